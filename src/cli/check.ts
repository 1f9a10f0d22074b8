import { availableParallelism } from "node:os";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parseFile } from "../manifests/index.js";
import { readBundle } from "../policy/bundle.js";
import { mergeData } from "../policy/data.js";
import type { FileToEvaluate } from "../evaluation/evaluate-file.js";
import type { FileReport } from "../evaluation/report.js";
import { decideVerdict, type Verdict } from "../evaluation/verdict.js";
import { WorkerPool } from "../evaluation/worker-pool.js";
import type { Logger } from "../log.js";
import { mapLimit } from "../pipeline/map-limit.js";
import { outputter } from "../render/index.js";
import { packageVersion } from "../paths.js";
import { discover, readAllStdin, readFile } from "./discover.js";
import { loadPolicySource } from "./policy-source.js";

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly policy: readonly string[];
  readonly namespaces: readonly string[];
  readonly allNamespaces: boolean;
  readonly data: readonly string[];
  readonly combine: boolean;
  readonly failOnWarn: boolean;
  readonly output: string;
  readonly parser?: string;
  readonly regoVersion: "v0" | "v1";
  readonly timeoutMs?: number;
}

export interface CheckIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly stderrIsTty: boolean;
  /** Diagnostics (JSON lines); the report itself goes to stdout. */
  readonly log?: Logger;
}

/** Exit codes: 0 nothing blocks, 1 a deny (or a warn with --fail-on-warn), 2 a file could not be judged. */
export function exitCode(verdict: Verdict): number {
  if (verdict.hasErrors) return 2;
  return verdict.conclusion === "failure" ? 1 : 0;
}

async function loadData(paths: readonly string[]): Promise<Record<string, unknown>> {
  let data: Record<string, unknown> = {};
  const files = await discover(paths);
  for (const f of files) {
    const parsed = parseFile({ path: f.path, bytes: await readFile(f.path) }, f.format);
    if (!parsed.ok) throw new Error(`load data ${f.path}: line ${parsed.error.line}: ${parsed.error.message}`);
    for (const doc of parsed.documents) data = mergeData(data, doc.content);
  }
  return data;
}

function displayPath(p: string): string {
  return isAbsolute(p) ? p : relative(".", p) || p;
}

export async function runCheck(options: CheckOptions, io: CheckIo): Promise<number> {
  const render = outputter(options.output);
  const started = Date.now();
  const source = await loadPolicySource(options.policy, options.regoVersion);
  io.log?.debug({ policy: options.policy.length ? options.policy : "built-in", ms: Date.now() - started }, "policy loaded");
  const bundle = readBundle(source.bytes);
  // conftest compatibility: user policy folders default to namespace `main`; the
  // built-in packs spread over many namespaces and run whole.
  const namespaces =
    options.allNamespaces || (source.builtin && options.namespaces.length === 0)
      ? "all"
      : options.namespaces.length > 0
        ? options.namespaces
        : ["main"];
  const data = await loadData(options.data);

  const stdin = options.paths.includes("-");
  const found = await discover(options.paths.filter((p) => p !== "-"), options.parser);
  // Files are read when their turn comes, not all up front.
  const files: Array<() => Promise<FileToEvaluate>> = found.map((f) => async () => ({
    path: displayPath(f.path),
    format: f.format,
    dir: resolve(dirname(f.path)),
    bytes: await readFile(f.path),
  }));
  if (stdin) {
    const bytes = await readAllStdin();
    files.unshift(async () => ({ path: "-", format: options.parser ?? "yaml", dir: process.cwd(), bytes }));
  }

  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(files.length / 20)));
  io.log?.debug({ files: files.length, workers }, "evaluating");
  const pool = await WorkerPool.start({
    bundles: [{ bytes: source.bytes, engine: { namespaces, data } }],
    workers,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  let reports: FileReport[];
  try {
    if (options.combine) {
      reports = await pool.evaluateCombined(await Promise.all(files.map((load) => load())));
    } else {
      // A few files in flight per worker: enough to keep workers busy, while a large
      // tree is never read into memory all at once.
      const progress = io.stderrIsTty && files.length >= 200;
      let done = 0;
      let last = 0;
      reports = await mapLimit(files, workers * 4, async (load) => {
        const report = await pool.evaluateFile(await load());
        done++;
        if (progress && (Date.now() - last > 100 || done === files.length)) {
          last = Date.now();
          io.stderr(`\rchecked ${done}/${files.length} files${done === files.length ? "\n" : ""}`);
        }
        return report;
      });
    }
  } finally {
    await pool.close();
  }
  const selected = namespaces === "all" ? Object.keys(bundle.metadata.namespaces) : namespaces;
  const rules = Object.values(bundle.metadata.rules).filter((r) => selected.includes(r.namespace));
  // conftest's rule: a deny fails, a warning only with --fail-on-warn; errors always.
  const verdict = decideVerdict(reports, options.failOnWarn ? ["deny", "warn"] : ["deny"]);
  io.log?.info({ ...verdict.counts, conclusion: verdict.conclusion, ms: Date.now() - started }, "check finished");
  io.stdout(render({ verdict, toolVersion: packageVersion(), bundleDigest: bundle.digest, rules }));
  return exitCode(verdict);
}

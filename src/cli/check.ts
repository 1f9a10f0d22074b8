import { availableParallelism } from "node:os";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parseFile } from "../manifests/index.js";
import { readBundle } from "../policy/bundle.js";
import { mergeData } from "../policy/data.js";
import { Checker } from "../pipeline/checker.js";
import { mapLimit } from "../pipeline/map-limit.js";
import type { FileReport, FileToCheck } from "../pipeline/check.js";
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
}

/** Exit codes: 0 nothing blocks, 1 a deny (or a warn with --fail-on-warn), 2 a file could not be judged. */
export function exitCode(reports: readonly FileReport[], failOnWarn: boolean): number {
  const findings = reports.flatMap((r) => r.findings);
  if (findings.some((f) => f.kind === "error")) return 2;
  if (findings.some((f) => f.kind === "deny" || (failOnWarn && f.kind === "warn"))) return 1;
  return 0;
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
  const source = await loadPolicySource(options.policy, options.regoVersion);
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
  const files: Array<() => Promise<FileToCheck>> = found.map((f) => async () => ({
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
  const checker = await Checker.start({
    bundle: source.bytes,
    engine: { namespaces, data },
    workers,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  let reports: FileReport[];
  try {
    if (options.combine) {
      reports = await checker.checkCombined(await Promise.all(files.map((load) => load())));
    } else {
      // A few files in flight per worker: enough to keep workers busy, while a large
      // tree is never read into memory all at once.
      const progress = io.stderrIsTty && files.length >= 200;
      let done = 0;
      let last = 0;
      reports = await mapLimit(files, workers * 4, async (load) => {
        const report = await checker.checkFile(await load());
        done++;
        if (progress && (Date.now() - last > 100 || done === files.length)) {
          last = Date.now();
          io.stderr(`\rchecked ${done}/${files.length} files${done === files.length ? "\n" : ""}`);
        }
        return report;
      });
    }
  } finally {
    await checker.close();
  }
  const selected = namespaces === "all" ? Object.keys(bundle.metadata.namespaces) : namespaces;
  const rules = Object.values(bundle.metadata.rules).filter((r) => selected.includes(r.namespace));
  io.stdout(render({ reports, toolVersion: packageVersion(), bundleDigest: bundle.digest, rules }));
  return exitCode(reports, options.failOnWarn);
}

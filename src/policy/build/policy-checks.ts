// What a policy repository's own pull request must pass before its Rego reaches every
// repository that uses it: `opa check --strict`, `opa test`, and a WebAssembly compile with
// the same capabilities and conventions as the App. Problems come back at file and line.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { compilePolicies } from "./compile.js";

const run = promisify(execFile);

export interface PolicyProblem {
  readonly stage: "check" | "test" | "compile";
  /** Path inside the checked folder. */
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface PolicyCheckResult {
  readonly problems: readonly PolicyProblem[];
  readonly tests: { readonly passed: number; readonly failed: number };
}

interface OpaError {
  message?: string;
  code?: string;
  location?: { file?: string; row?: number };
}

/** Runs opa and returns its stdout, whatever its exit code (failures are in the output). */
async function opa(bin: string, args: string[], cwd: string): Promise<string> {
  try {
    return (await run(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message?: string };
    return err.stdout || err.stderr || err.message || String(e);
  }
}

function jsonOf(text: string): unknown {
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
}

function errorsOf(text: string, stage: PolicyProblem["stage"], dir: string): PolicyProblem[] {
  const parsed = jsonOf(text) as { errors?: OpaError[] } | undefined;
  const errors = parsed?.errors ?? [];
  if (errors.length === 0 && text.trim()) return [{ stage, file: "", line: 1, message: text.trim().slice(0, 2000) }];
  return errors.map((e) => ({
    stage,
    file: e.location?.file ? relative(dir, join(dir, e.location.file)).replace(/^(\.\.\/)+/, "") : "",
    line: e.location?.row ?? 1,
    message: `${e.code ? `${e.code}: ` : ""}${e.message ?? "error"}`,
  }));
}

/** Checks a folder of Rego (with its tests and test data) as it stands on disk. */
export async function checkPolicyFolder(dir: string, options: { opa: string; regoVersion?: "v0" | "v1" }): Promise<PolicyCheckResult> {
  const v0 = options.regoVersion === "v0" ? ["--v0-compatible"] : [];
  const problems: PolicyProblem[] = [];
  // Paths relative to the folder, so locations name the folder's own files.
  const checked = await opa(options.opa, ["check", "--strict", "--format", "json", ...v0, "."], dir);
  problems.push(...(checked.trim() ? errorsOf(checked, "check", dir) : []));

  let passed = 0;
  let failed = 0;
  const tested = await opa(options.opa, ["test", "--format", "json", ...v0, "."], dir);
  const results = jsonOf(tested);
  if (Array.isArray(results)) {
    for (const r of results as Array<{ location?: { file?: string; row?: number }; package?: string; name?: string; fail?: boolean; error?: OpaError }>) {
      if (!r.fail && !r.error) {
        passed++;
        continue;
      }
      failed++;
      const why = r.error ? `errored: ${r.error.message ?? "error"}` : "failed";
      problems.push({ stage: "test", file: r.location?.file ?? "", line: r.location?.row ?? 1, message: `test ${r.package?.replace(/^data\./, "") ?? ""}.${r.name ?? "?"} ${why}` });
    }
  } else if (!problems.some((p) => p.stage === "check")) {
    problems.push(...errorsOf(tested, "test", dir));
  }

  // The same compile the App does, when the folder is otherwise sound.
  if (problems.length === 0) {
    const work = await mkdtemp(join(tmpdir(), "gitops-gate-policy-check-"));
    try {
      await compilePolicies({ sources: [dir], sourceNames: [""], opa: options.opa, out: join(work, "bundle.tar.gz"), regoVersion: options.regoVersion ?? "v1" });
    } catch (e) {
      const text = (e as Error).message;
      const found = [...text.matchAll(/([^\s:"]+\.rego)"?:?\s*(\d+)?/g)];
      problems.push(
        found.length
          ? { stage: "compile", file: relative(dir, found[0]?.[1] ?? "").replace(/^(\.\.\/)+/, ""), line: Number(found[0]?.[2] ?? 1), message: text.slice(0, 2000) }
          : { stage: "compile", file: "", line: 1, message: text.slice(0, 2000) },
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return { problems, tests: { passed, failed } };
}

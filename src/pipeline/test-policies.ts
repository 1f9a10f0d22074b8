// Step "test changed policies": when a pull request changes Rego that is a policy source
// (a `path:` of this repository, or this repository named as a `repo:` source by its own or
// the organisation's config), the source's folder at the pull request's head goes through
// `opa check --strict`, `opa test` and the App's own compile. Problems are blocking findings
// at the Rego line, so a broken policy is caught before it reaches every repository.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import type { Config } from "../config/schema.js";
import { errorFinding, type FileReport } from "../evaluation/report.js";
import type { ChangedFile, RepoRef, SourceReader } from "../github/types.js";
import { CONTENT_CONCURRENCY } from "../limits.js";
import { checkPolicyFolder } from "../policy/build/policy-checks.js";
import { code } from "../render/escape.js";
import { mapLimit } from "./map-limit.js";
import { FileTooLargeError, PlainFailure } from "../github/failures.js";

export const POLICY_CHECK_RULE = "gitops-gate/policy-check";

const TITLES = { check: "Policy fails opa check --strict", test: "Policy test fails", compile: "Policy does not compile for WebAssembly" } as const;

/** Folders of this repository that config names as policy sources, with their Rego version. */
export function ownPolicyFolders(judged: RepoRef, configs: ReadonlyArray<Pick<Config, "policies">>): Array<{ path: string; regoVersion: "v0" | "v1" }> {
  const out = new Map<string, "v0" | "v1">();
  const same = (repo: string) => repo.toLowerCase() === `${judged.owner}/${judged.repo}`.toLowerCase();
  for (const config of configs) {
    for (const s of config.policies.sources) {
      if ("repo" in s && !same(s.repo)) continue;
      const path = (s.path ?? "").replace(/^\.\/+/, "").replace(/\/+$/, "");
      out.set(path, s.rego_version ?? "v1");
    }
  }
  return [...out].map(([path, regoVersion]) => ({ path, regoVersion }));
}

/** The folders among `folders` in which the change touches a `.rego` file. */
export function touchedFolders<T extends { path: string }>(folders: readonly T[], changed: readonly ChangedFile[]): T[] {
  return folders.filter((f) => changed.some((c) => c.path.endsWith(".rego") && (f.path === "" || c.path.startsWith(`${f.path}/`))));
}

/** One report per Rego file with problems, and a note per folder tested. */
export async function testPolicies(
  params: { judged: RepoRef; headSha: string; folders: ReadonlyArray<{ path: string; regoVersion: "v0" | "v1" }> },
  deps: { reader: SourceReader; opa: () => Promise<string> },
): Promise<{ reports: FileReport[]; notes: string[] }> {
  const reports = new Map<string, FileReport>();
  const notes: string[] = [];
  for (const folder of params.folders) {
    const entry = await deps.reader.entry(params.judged, params.headSha, folder.path);
    const label = `${folder.path || "."}/`;
    if (entry?.type !== "tree") {
      notes.push(`Policy folder ${code(label)} is gone at this commit; nothing to test.`);
      continue;
    }
    const files = entry.files.filter((f) => /\.(rego|json|ya?ml)$/i.test(f.path));
    const work = await mkdtemp(join(tmpdir(), "gitops-gate-policy-pr-"));
    try {
      await mapLimit(files, CONTENT_CONCURRENCY, async (f) => {
        if (f.size > 1024 * 1024) throw new FileTooLargeError(`${label}${f.path}`, f.size, 1024 * 1024, "a file of a policy folder");
        const blob = await deps.reader.readBlob(params.judged, f.sha, 1024 * 1024);
        if ("tooLarge" in blob) throw new FileTooLargeError(`${label}${f.path}`, blob.tooLarge, 1024 * 1024, "a file of a policy folder");
        const target = join(work, f.path);
        if (!target.startsWith(work + sep)) throw new PlainFailure(`test policies ${label}: ${f.path} leaves the folder`, "Rename the file inside the policy folder.");
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, blob.bytes);
      });
      const result = await checkPolicyFolder(work, { opa: await deps.opa(), regoVersion: folder.regoVersion });
      notes.push(
        `Policy folder ${code(label)} at this commit: ${result.tests.passed} test(s) passed, ${result.tests.failed} failed; ${result.problems.length ? `${result.problems.length} problem(s), annotated below` : "opa check --strict and the WebAssembly compile pass"}.`,
      );
      for (const p of result.problems) {
        const path = [folder.path, p.file].filter(Boolean).join("/") || `${label}`;
        const report = reports.get(path) ?? { path, format: "rego", status: "error" as const, documents: 0, findings: [], waived: [] };
        report.findings.push({
          ...errorFinding({ file: path, line: p.line, ruleId: POLICY_CHECK_RULE, title: TITLES[p.stage], message: p.message }),
          remediation: "Fix the policy in this pull request: every repository that uses this source would run it after merge.",
        });
        reports.set(path, report);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return { reports: [...reports.values()], notes };
}

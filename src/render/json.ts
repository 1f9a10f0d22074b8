import type { Finding } from "../policy/types.js";
import type { WaiverInput } from "../waivers/apply.js";
import type { ReportInput } from "./summary.js";

function waiverJson(w: WaiverInput) {
  return {
    rule: w.rule, resources: w.resources, paths: w.paths, reason: w.reason, owner: w.owner, expires: w.expires, line: w.line, origin: w.origin,
    ...(w.problems.length ? { problems: w.problems } : {}),
  };
}

/** Machine-readable: the summary plus every file's findings and waived results. */
export function renderJson(input: ReportInput): string {
  // The JSON summary keeps its documented fields; severities are in each finding.
  const { verdict } = input;
  const { files, documents, denied, warnings, errors, waived, passedFiles, emptyFiles } = verdict.counts;
  const summary = {
    files, documents, denied, warnings, errors, waived, passedFiles, emptyFiles,
    ...(verdict.counts.new !== undefined ? { new: verdict.counts.new, preExisting: verdict.counts.preExisting ?? 0, verdict: verdict.mode } : {}),
    blocking: verdict.blocking.length,
  };
  // Each finding with what the verdict decided about it.
  const judged = new Map(verdict.findings.map((j) => [j.finding, j]));
  const decided = (f: Finding) => {
    const j = judged.get(f);
    return { ...f, blocks: j?.blocks ?? false, ...(j?.baseline ? { baseline: j.baseline } : {}), ...(j?.waiver ? { waiver: waiverJson(j.waiver) } : {}) };
  };
  // Findings that belong to no file report: about waivers, or a conftest exception that cannot apply.
  const inReports = new Set(verdict.reports.flatMap((r) => r.findings));
  return (
    JSON.stringify(
      {
        tool: { name: "gitops-gate", version: input.toolVersion },
        ...(input.bundleDigest ? { policyBundle: { sha256: input.bundleDigest } } : {}),
        ...(input.policies ? { policies: input.policies } : {}),
        ...(input.renders?.length ? { renders: input.renders } : {}),
        summary,
        files: verdict.reports.map((r) => ({
          path: r.path,
          status: r.status,
          documents: r.documents,
          findings: r.findings.map(decided),
          waived: r.waived,
        })),
        ...(verdict.findings.some((j) => !inReports.has(j.finding)) ? { other: verdict.findings.filter((j) => !inReports.has(j.finding)).map((j) => decided(j.finding)) } : {}),
        ...(verdict.waivers.length ? { waivers: verdict.waivers.map((w) => ({ ...waiverJson(w.entry), state: w.state, matched: w.matched, waived: w.waived })) } : {}),
      },
      null,
      2,
    ) + "\n"
  );
}

import type { ReportInput } from "./summary.js";

/** Machine-readable: the summary plus every file's findings and waived results. */
export function renderJson(input: ReportInput): string {
  // The JSON summary keeps its documented fields; severities are in each finding.
  const { files, documents, denied, warnings, errors, waived, passedFiles, emptyFiles } = input.verdict.counts;
  const summary = { files, documents, denied, warnings, errors, waived, passedFiles, emptyFiles };
  return (
    JSON.stringify(
      {
        tool: { name: "gitops-gate", version: input.toolVersion },
        ...(input.bundleDigest ? { policyBundle: { sha256: input.bundleDigest } } : {}),
        ...(input.policies ? { policies: input.policies } : {}),
        ...(input.renders?.length ? { renders: input.renders } : {}),
        summary,
        files: input.verdict.reports.map((r) => ({
          path: r.path,
          status: r.status,
          documents: r.documents,
          findings: r.findings,
          waived: r.waived,
        })),
      },
      null,
      2,
    ) + "\n"
  );
}

import { summarise, type ReportInput } from "./summary.js";

/** Machine-readable: the summary plus every file's findings and waived results. */
export function renderJson(input: ReportInput): string {
  return (
    JSON.stringify(
      {
        tool: { name: "gitops-gate", version: input.toolVersion },
        ...(input.bundleDigest ? { policyBundle: { sha256: input.bundleDigest } } : {}),
        summary: summarise(input),
        files: input.reports.map((r) => ({
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

import type { Finding, RuleMetadata, WaivedResult } from "../policy/types.js";

/** The outcome of a run over many files, as every output format needs it. */
export interface CheckSummary {
  readonly files: number;
  readonly documents: number;
  readonly denied: number;
  readonly warnings: number;
  readonly errors: number;
  readonly waived: number;
  readonly passedFiles: number;
  readonly emptyFiles: number;
}

export interface ReportInput {
  readonly reports: ReadonlyArray<{
    readonly path: string;
    readonly status: "evaluated" | "empty" | "error";
    readonly documents: number;
    readonly findings: readonly Finding[];
    readonly waived: readonly WaivedResult[];
  }>;
  readonly toolVersion: string;
  readonly bundleDigest?: string;
  /** Every rule that was evaluated, for outputs that describe rules (SARIF). */
  readonly rules?: readonly RuleMetadata[];
}

export function summarise(input: ReportInput): CheckSummary {
  let documents = 0, denied = 0, warnings = 0, errors = 0, waived = 0, passedFiles = 0, emptyFiles = 0;
  for (const r of input.reports) {
    documents += r.documents;
    waived += r.waived.length;
    for (const f of r.findings) {
      if (f.kind === "deny") denied++;
      else if (f.kind === "warn") warnings++;
      else errors++;
    }
    if (r.status === "empty") emptyFiles++;
    else if (r.status === "evaluated" && !r.findings.some((f) => f.kind !== "warn")) passedFiles++;
  }
  return { files: input.reports.length, documents, denied, warnings, errors, waived, passedFiles, emptyFiles };
}

/** Findings in reading order: by file, then line, then rule. */
export function sortedFindings(input: ReportInput): Finding[] {
  return input.reports
    .flatMap((r) => r.findings)
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(s: CheckSummary): string {
  const parts = [
    plural(s.denied, "failure"),
    plural(s.warnings, "warning"),
    plural(s.errors, "error"),
  ];
  if (s.waived > 0) parts.push(`${s.waived} waived by exceptions`);
  const empty = s.emptyFiles > 0 ? `, ${plural(s.emptyFiles, "file")} with nothing to evaluate` : "";
  return `${plural(s.files, "file")}, ${plural(s.documents, "document")}: ${parts.join(", ")}; ${plural(s.passedFiles, "file")} passed${empty}`;
}

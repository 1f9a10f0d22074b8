// The verdict on a set of file reports, decided once: which findings block, in which
// order they are read, and the counts every output shows. Renderers only format it.
import type { Finding, Severity } from "../policy/types.js";
import { SEVERITIES } from "../policy/types.js";
import type { FileReport } from "./report.js";

/** Kinds (`deny`, `warn`) and severities that make a finding block. */
export type BlockOn = readonly ("deny" | "warn" | Severity)[];

/** The outcome of a run over many files, as every output format needs it. */
export interface Counts {
  readonly files: number;
  readonly documents: number;
  readonly denied: number;
  readonly warnings: number;
  readonly errors: number;
  readonly waived: number;
  readonly passedFiles: number;
  readonly emptyFiles: number;
  /** Findings per severity, most severe first, zeros left out. */
  readonly bySeverity: ReadonlyArray<readonly [Severity, number]>;
}

/** A finding with the one decision taken about it. */
export interface JudgedFinding {
  readonly finding: Finding;
  readonly blocks: boolean;
}

export interface Verdict {
  readonly conclusion: "success" | "failure";
  /** Every finding in reading order: by file, then line, then rule. */
  readonly findings: readonly JudgedFinding[];
  readonly blocking: readonly Finding[];
  readonly nonBlocking: readonly Finding[];
  /** True when a file could not be parsed or evaluated (the CLI's exit code 2). */
  readonly hasErrors: boolean;
  readonly counts: Counts;
  readonly blockOn: BlockOn;
  readonly reports: readonly FileReport[];
}

/** Which findings block a merge: errors always; the rest by kind, or a deny by its severity. */
export function blocks(finding: Finding, blockOn: BlockOn): boolean {
  if (finding.kind === "error") return true;
  return blockOn.includes(finding.kind) || (finding.kind === "deny" && blockOn.includes(finding.severity));
}

function compare(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

function count(reports: readonly FileReport[], findings: readonly Finding[]): Counts {
  let documents = 0, waived = 0, passedFiles = 0, emptyFiles = 0;
  for (const r of reports) {
    documents += r.documents;
    waived += r.waived.length;
    if (r.status === "empty") emptyFiles++;
    else if (r.status === "evaluated" && !r.findings.some((f) => f.kind !== "warn")) passedFiles++;
  }
  const of = (kind: Finding["kind"]) => findings.filter((f) => f.kind === kind).length;
  const bySeverity = SEVERITIES.map((sev) => [sev, findings.filter((f) => f.severity === sev).length] as const).filter(([, n]) => n > 0);
  return { files: reports.length, documents, denied: of("deny"), warnings: of("warn"), errors: of("error"), waived, passedFiles, emptyFiles, bySeverity };
}

export function decideVerdict(reports: readonly FileReport[], blockOn: BlockOn): Verdict {
  const all = reports.flatMap((r) => r.findings).sort(compare);
  const findings = all.map((finding) => ({ finding, blocks: blocks(finding, blockOn) }));
  const blocking = findings.filter((j) => j.blocks).map((j) => j.finding);
  return {
    conclusion: blocking.length > 0 ? "failure" : "success",
    findings,
    blocking,
    nonBlocking: findings.filter((j) => !j.blocks).map((j) => j.finding),
    hasErrors: all.some((f) => f.kind === "error"),
    counts: count(reports, all),
    blockOn,
    reports,
  };
}

import type { Counts, Verdict } from "../evaluation/verdict.js";
import type { PolicyProvenance, RuleMetadata } from "../policy/types.js";

/** What every output format is given: the verdict, decided once, and provenance. */
export interface ReportInput {
  readonly verdict: Verdict;
  readonly toolVersion: string;
  readonly bundleDigest?: string;
  /** Every policy bundle that judged, with where it came from. */
  readonly policies?: readonly PolicyProvenance[];
  /** Charts and overlays rendered, with their object counts. */
  readonly renders?: ReadonlyArray<{ readonly label: string; readonly environment?: string; readonly objects: number; readonly failed: boolean }>;
  /** Every rule that was evaluated, for outputs that describe rules (SARIF). */
  readonly rules?: readonly RuleMetadata[];
  /** conftest's --suppress-exceptions: the text output leaves exceptions out. */
  readonly suppressExceptions?: boolean;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(s: Counts): string {
  const parts = [
    plural(s.denied, "failure"),
    plural(s.warnings, "warning"),
    plural(s.errors, "error"),
  ];
  if (s.new !== undefined) parts.push(`${s.new} new`, `${s.preExisting ?? 0} pre-existing`);
  if (s.waived > 0) parts.push(plural(s.waived, "exception"));
  const empty = s.emptyFiles > 0 ? `, ${plural(s.emptyFiles, "file")} with nothing to evaluate` : "";
  return `${plural(s.files, "file")}, ${plural(s.documents, "document")}: ${parts.join(", ")}; ${plural(s.passedFiles, "file")} passed${empty}`;
}

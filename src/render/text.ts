import { summaryLine, type ReportInput } from "./summary.js";

const LABEL = { deny: "FAIL", warn: "WARN", error: "ERROR" } as const;

/** For people at a terminal: grouped by file, `file:line`, rule title, message, fix. */
export function renderText(input: ReportInput): string {
  const lines: string[] = [];
  let current: string | undefined;
  for (const { finding: f, waiver, baseline } of input.verdict.findings) {
    if (f.file !== current) {
      if (current !== undefined) lines.push("");
      lines.push(f.file);
      current = f.file;
    }
    const label = waiver ? "WAIVED" : LABEL[f.kind];
    lines.push(`  ${f.file}:${f.line}  ${label}  ${f.title} [${f.ruleId}]${baseline === "pre-existing" && !waiver ? " (pre-existing)" : ""}`);
    lines.push(`      ${f.message}`);
    if (waiver) lines.push(`      waived until ${waiver.expires ?? "?"} (owner ${waiver.owner ?? "?"}): ${waiver.reason ?? ""}`);
    if (f.field) lines.push(`      field: ${f.field}`);
    if (f.remediation) lines.push(`      fix: ${f.remediation}`);
    if (f.docs) lines.push(`      docs: ${f.docs}`);
  }
  // conftest's exception lines (EXCP, its query as the message), with what each one waived.
  if (!input.suppressExceptions) {
    for (const r of input.verdict.reports) {
      for (const w of r.waived) {
        if (w.file !== current) {
          if (current !== undefined) lines.push("");
          lines.push(w.file);
          current = w.file;
        }
        lines.push(`  ${w.file}:${w.line ?? 1}  EXCP  ${w.message}`);
        lines.push(`      waives ${w.namespace}.${w.rule}${w.waived.length ? `: ${w.waived.join("; ")}` : " (which found nothing here)"}`);
      }
    }
  }
  const empty = input.verdict.reports.filter((r) => r.status === "empty").map((r) => r.path);
  if (empty.length > 0) {
    if (lines.length > 0) lines.push("");
    for (const p of empty) lines.push(`${p}: nothing to evaluate (no documents)`);
  }
  for (const r of input.renders ?? []) lines.push(`rendered ${r.label}${r.environment ? ` (${r.environment})` : ""}: ${r.failed ? "failed" : `${r.objects} object${r.objects === 1 ? "" : "s"}`}`);
  if (lines.length > 0) lines.push("");
  lines.push(summaryLine(input.verdict.counts));
  return lines.join("\n") + "\n";
}

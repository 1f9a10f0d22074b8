import type { Finding, Severity } from "../policy/types.js";
import { sortedFindings, summarise, type ReportInput } from "./summary.js";
import { truncate } from "./truncate.js";
import { blocks } from "./verdict.js";

// https://docs.github.com/en/rest/checks/runs#update-a-check-run: summary and text up
// to 65,535 characters; annotation messages up to 64 KB; title kept to one line.
const MAX_OUTPUT = 65535;
const MAX_TITLE = 255;
const MAX_ANNOTATION_MESSAGE = 64 * 1024;
const MAX_ANNOTATION_TITLE = 255;

export interface CheckRunInput extends ReportInput {
  readonly blockOn: readonly ("deny" | "warn" | Severity)[];
  readonly configSources: readonly string[];
  readonly headSha: string;
  /** Extra lines for the summary (a config change that takes effect after merge, a skip reason). */
  readonly notes?: readonly string[];
}

export interface RenderedAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "failure" | "warning" | "notice";
  readonly title: string;
  readonly message: string;
}

export interface RenderedCheckRun {
  readonly conclusion: "success" | "failure";
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations: readonly RenderedAnnotation[];
}

const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function annotation(f: Finding, blocking: boolean): RenderedAnnotation {
  const message = [f.message, f.remediation ? `Fix: ${f.remediation}` : "", f.docs ? `Docs: ${f.docs}` : ""].filter(Boolean).join("\n");
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    annotation_level: blocking ? "failure" : f.kind === "warn" ? "warning" : "notice",
    title: truncate(`${f.title} [${f.ruleId}]`, MAX_ANNOTATION_TITLE, "…"),
    message: truncate(message, MAX_ANNOTATION_MESSAGE, "…"),
  };
}

/** Findings → the check run: verdict, counts, a table by file, provenance, annotations. */
export function renderCheckRun(input: CheckRunInput): RenderedCheckRun {
  const findings = sortedFindings(input);
  const blocking = findings.filter((f) => blocks(f, input.blockOn));
  const s = summarise(input);
  const failed = blocking.length > 0;
  const title = truncate(
    failed
      ? `${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"} in ${new Set(blocking.map((f) => f.file)).size} file(s)`
      : s.files === 0
        ? "No manifests changed"
        : `Passed: ${s.files} file(s), ${s.documents} document(s)${findings.length ? `, ${findings.length} non-blocking finding(s)` : ""}`,
    MAX_TITLE,
    "…",
  );
  const bySeverity = SEVERITY_ORDER.map((sev) => [sev, findings.filter((f) => f.severity === sev).length] as const).filter(([, n]) => n > 0);
  const lines: string[] = [
    failed ? `### ❌ gitops-gate: ${blocking.length} finding(s) block this change` : "### ✅ gitops-gate: nothing blocks this change",
    "",
    ...(input.notes ?? []).map((n) => `> ${n}`),
    ...(input.notes?.length ? [""] : []),
    `**${s.denied}** failure(s), **${s.warnings}** warning(s), **${s.errors}** error(s)${s.waived ? `, ${s.waived} waived by exceptions` : ""}` +
      (bySeverity.length ? ` · by severity: ${bySeverity.map(([sev, n]) => `${sev} ${n}`).join(", ")}` : ""),
    "",
  ];
  if (findings.length > 0) {
    lines.push("| File | Line | Rule | Blocks |", "|---|---:|---|---|");
    for (const f of findings) {
      const rule = f.docs ? `[${cell(f.title)}](${f.docs})` : cell(f.title);
      lines.push(`| \`${cell(f.file)}\` | ${f.line} | ${rule} \`${cell(f.ruleId)}\` | ${blocks(f, input.blockOn) ? "yes" : "no"} |`);
    }
    lines.push("");
  }
  lines.push(
    "<details><summary>What was evaluated</summary>",
    "",
    `- Head commit: \`${input.headSha}\``,
    `- Files: ${s.files}, documents: ${s.documents}${s.emptyFiles ? `, ${s.emptyFiles} with nothing to evaluate` : ""}`,
    `- Policy bundle: gitops-gate ${input.toolVersion}${input.bundleDigest ? `, sha256 \`${input.bundleDigest.slice(0, 16)}…\`` : ""}`,
    `- Config: ${input.configSources.join(" over ")}`,
    `- Blocking: ${input.blockOn.join(", ")}`,
    "",
    "</details>",
  );
  const text = findings.length
    ? findings.map((f) => `- \`${f.file}:${f.line}\` **${f.title}** (\`${f.ruleId}\`, ${f.severity}): ${f.message}${f.remediation ? ` — ${f.remediation}` : ""}`).join("\n")
    : undefined;
  return {
    conclusion: failed ? "failure" : "success",
    title,
    summary: truncate(lines.join("\n"), MAX_OUTPUT),
    ...(text ? { text: truncate(text, MAX_OUTPUT) } : {}),
    annotations: findings.map((f) => annotation(f, blocks(f, input.blockOn))),
  };
}

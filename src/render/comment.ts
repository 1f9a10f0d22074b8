import type { Severity } from "../policy/types.js";
import { sortedFindings, type ReportInput } from "./summary.js";
import { truncate } from "./truncate.js";
import { blocks } from "./verdict.js";

/** Hidden marker by which the App finds its one comment again. */
export const COMMENT_MARKER = "<!-- gitops-gate:pr-comment -->";
// https://docs.github.com/en/rest/issues/comments#create-an-issue-comment: 65,536 characters.
const MAX_COMMENT = 65536;

export interface CommentInput extends ReportInput {
  readonly blockOn: readonly ("deny" | "warn" | Severity)[];
  readonly headSha: string;
  readonly checkUrl?: string;
  /** The comment as it stood, to say "fixed" when a later push clears everything. */
  readonly previous?: string;
}

/** The PR comment: verdict, the blocking findings, the rest collapsed. */
export function renderComment(input: CommentInput): string {
  const findings = sortedFindings(input);
  const blocking = findings.filter((f) => blocks(f, input.blockOn));
  const rest = findings.filter((f) => !blocks(f, input.blockOn));
  const line = (f: (typeof findings)[number]): string =>
    `- \`${f.file}:${f.line}\` **${f.title}**: ${f.message}${f.remediation ? `\n  ${f.remediation}` : ""}`;
  const wasFailing = input.previous?.includes("gitops-gate: blocked") ?? false;
  const head = blocking.length
    ? `### ❌ gitops-gate: blocked by ${blocking.length} finding(s)`
    : wasFailing
      ? "### ✅ gitops-gate: all blocking findings are fixed"
      : "### ✅ gitops-gate: nothing blocks this change";
  const parts = [COMMENT_MARKER, head, "", `Evaluated at \`${input.headSha.slice(0, 12)}\`${input.checkUrl ? ` · [check run](${input.checkUrl})` : ""}.`, ""];
  if (blocking.length) parts.push(...blocking.map(line), "");
  if (rest.length) parts.push(`<details><summary>${rest.length} non-blocking finding(s)</summary>`, "", ...rest.map(line), "", "</details>");
  return truncate(parts.join("\n"), MAX_COMMENT);
}

import type { Verdict } from "../evaluation/verdict.js";
import { MAX_COMMENT_BODY } from "../limits.js";
import type { Finding } from "../policy/types.js";
import { code, text, url } from "./escape.js";
import { hiddenData, readHiddenData } from "./hidden-data.js";
import { truncate } from "./truncate.js";

/** Hidden marker by which the App finds its one comment again. */
export const COMMENT_MARKER = "<!-- gitops-gate:pr-comment -->";
const STATE_DATA = "comment-state";

/** What the comment remembers about the verdict it shows. */
export interface CommentState {
  readonly blocking: number;
  readonly headSha: string;
}

export interface CommentInput {
  readonly verdict: Verdict;
  readonly headSha: string;
  readonly checkUrl?: string;
  /** The state of the comment as it stood, to say "fixed" when a later push clears everything. */
  readonly previous?: CommentState;
}

/** The state stored in a comment body this App wrote; undefined for anything else. */
export function commentState(body: string): CommentState | undefined {
  const data = readHiddenData(STATE_DATA, body) as Partial<CommentState> | undefined;
  if (!data || typeof data.blocking !== "number" || typeof data.headSha !== "string") return undefined;
  return { blocking: data.blocking, headSha: data.headSha };
}

/** The PR comment: verdict, the blocking findings, the rest collapsed. */
export function renderComment(input: CommentInput): string {
  const { blocking, nonBlocking } = input.verdict;
  const line = (f: Finding): string =>
    `- ${code(`${f.file}:${f.line}`)} **${text(f.title, 200)}**: ${text(f.message, 2000)}${f.remediation ? `\n  ${text(f.remediation)}` : ""}`;
  const wasFailing = (input.previous?.blocking ?? 0) > 0;
  const head = blocking.length
    ? `### ❌ gitops-gate: blocked by ${blocking.length} finding(s)`
    : wasFailing
      ? "### ✅ gitops-gate: all blocking findings are fixed"
      : "### ✅ gitops-gate: nothing blocks this change";
  const state: CommentState = { blocking: blocking.length, headSha: input.headSha };
  const parts = [COMMENT_MARKER, hiddenData(STATE_DATA, state), head, "", `Evaluated at ${code(input.headSha.slice(0, 12))}${url(input.checkUrl) ? ` · [check run](${url(input.checkUrl)})` : ""}.`, ""];
  if (blocking.length) parts.push(...blocking.map(line), "");
  if (nonBlocking.length) parts.push(`<details><summary>${nonBlocking.length} non-blocking finding(s)</summary>`, "", ...nonBlocking.map(line), "", "</details>");
  return truncate(parts.join("\n"), MAX_COMMENT_BODY);
}

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

/** The PR comment: verdict, the new blocking findings first, pending waivers, the rest collapsed. */
export function renderComment(input: CommentInput): string {
  const { verdict } = input;
  const { blocking } = verdict;
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
  // What this change introduces comes first; under `verdict: all`, what it kept follows.
  const judged = new Map(verdict.findings.map((j) => [j.finding, j]));
  const isOld = (f: Finding) => judged.get(f)?.baseline === "pre-existing";
  const fresh = blocking.filter((f) => !isOld(f));
  const kept = blocking.filter(isOld);
  if (fresh.length) parts.push(...(verdict.counts.new !== undefined ? ["**New in this change:**", ""] : []), ...fresh.map(line), "");
  if (kept.length) parts.push(`**Already on the base branch** (blocking: \`verdict: all\`):`, "", ...kept.map(line), "");
  const pending = verdict.waivers.filter((w) => w.state === "pending");
  if (pending.length) {
    parts.push(`**Waivers awaiting approval** (a waiver approver other than the author must approve${verdict.waiverSet?.approvers ? `: ${text(verdict.waiverSet.approvers, 500)}` : ""}):`, "");
    for (const { entry: e } of pending) parts.push(`- ${code(e.rule ?? "?", { max: 200 })} ${[...e.resources, ...e.paths].map((x) => code(x, { max: 300 })).join(", ")}: owner ${text(e.owner ?? "?", 200)}, expires ${text(e.expires ?? "?", 40)}, “${text(e.reason ?? "", 500)}”`);
    parts.push("");
  }
  const nonBlocking = verdict.nonBlocking;
  const preExisting = nonBlocking.filter(isOld);
  const others = nonBlocking.filter((f) => !isOld(f));
  const waived = verdict.findings.filter((j) => j.waiver);
  const fold = (title: string, lines: string[]) => parts.push(`<details><summary>${title}</summary>`, "", ...lines, "", "</details>", "");
  if (others.length) fold(`${others.length} non-blocking finding(s)`, others.map(line));
  if (preExisting.length) fold(`${preExisting.length} pre-existing finding(s), not blocking (already on the base branch)`, preExisting.map(line));
  if (waived.length) fold(`${waived.length} waived finding(s)`, waived.map((j) => `${line(j.finding)}\n  Waived until ${text(j.waiver?.expires ?? "?", 40)} (owner ${text(j.waiver?.owner ?? "?", 200)}): ${text(j.waiver?.reason ?? "", 500)}`));
  return truncate(parts.join("\n"), MAX_COMMENT_BODY);
}

// Unreviewed pushes (issue 15): the `gitops-gate/unreviewed` check run on a commit pushed to a
// release branch without a pull request, and the one issue per branch that lists them. The
// issue's entries travel as hidden data in its body, so a later push adds to them without
// reading our own prose back. Pure: facts in, Markdown out.
import { createHash } from "node:crypto";
import type { EnvironmentFacts } from "../release/facts.js";
import { MAX_CHECK_OUTPUT, MAX_ISSUE_BODY, MAX_TITLE } from "../limits.js";
import { cap, code, link, mention, plain, text } from "./escape.js";
import { hiddenData, readHiddenData } from "./hidden-data.js";
import { environmentLines } from "./release.js";
import { truncate } from "./truncate.js";

export const UNREVIEWED_LABEL = "gitops-gate:unreviewed";
const ENTRIES_DATA = "unreviewed-entries";
/** Entries an issue keeps; older ones are counted, not listed (the check runs keep them all). */
const MAX_ISSUE_ENTRIES = 50;
/** Files named per entry in the issue (the check run names them all). */
const MAX_ENTRY_FILES = 20;

/**
 * A branch as hidden markers name it: URI-encoded, so no name can end the comment; a name
 * longer than git hosts allow (255 bytes) by its sha256, so a marker stays one short line.
 */
export function branchKey(branch: string): string {
  const encoded = encodeURIComponent(branch);
  return encoded.length <= 255 * 3 ? encoded : `sha256-${createHash("sha256").update(branch).digest("hex")}`;
}

/** The hidden marker of a branch's issue. */
export function unreviewedMarker(branch: string): string {
  return `<!-- gitops-gate:unreviewed:${branchKey(branch)} -->`;
}

/** One reported push: a commit pushed without a pull request, or a force push (before → after). */
export interface UnreviewedPush {
  readonly sha: string;
  readonly branch: string;
  /** The commit it was measured from: the commit's parent, or the branch's tip before a force push. */
  readonly before: string;
  readonly forced: boolean;
  readonly pusher: string;
  readonly message: string;
  readonly files: readonly string[];
  readonly environments: readonly EnvironmentFacts[];
  readonly renderErrors: readonly string[];
}

/** What the issue keeps per push. */
export interface UnreviewedEntry {
  readonly sha: string;
  readonly before: string;
  readonly forced: boolean;
  readonly pusher: string;
  readonly at: string;
  readonly files: readonly string[];
  /** More files than `files` names. */
  readonly moreFiles: number;
  readonly images: ReadonlyArray<{ readonly environment: string; readonly workload: string; readonly before: string | null; readonly after: string | null }>;
  readonly warnings: readonly string[];
  readonly checkUrl: string;
}

function headline(p: UnreviewedPush): string {
  return p.forced
    ? `Force push to ${code(p.branch, { max: 255 })} by ${mention(p.pusher)}: ${code(p.before.slice(0, 12))} → ${code(p.sha.slice(0, 12))}, without a pull request`
    : `Commit ${code(p.sha.slice(0, 12))} was pushed to ${code(p.branch, { max: 255 })} by ${mention(p.pusher)} without a pull request`;
}

/** The check run on the pushed commit: who, what, and the release facts a merge would have recorded. */
export function renderUnreviewedCheck(p: UnreviewedPush, options: { conclusion: "failure" | "neutral"; notes?: readonly string[] }): { title: string; summary: string; text: string } {
  const envs = p.environments.map((e) => e.environment);
  const title = `${p.forced ? "Force push" : "Unreviewed push"} to ${p.branch}: ${p.files.length} evaluated file(s)${envs.length ? ` in ${envs.join(", ")}` : ""}`;
  const lines = [
    `### ${options.conclusion === "failure" ? "❌" : "⚠️"} ${headline(p)}`,
    "",
    ...(options.notes ?? []).map((n) => `> ${n}`),
    ...(options.notes?.length ? [""] : []),
    `It changes paths gitops-gate evaluates, and no merged pull request made it: nobody reviewed it and no policy check judged it before it reached the branch.${p.forced ? ` The branch was at ${code(p.before)} before and is at ${code(p.sha)} now; commits between may have been rewritten or dropped.` : ""}`,
    "",
    `Commit message: ${text(p.message.split("\n")[0] ?? "", 300)}`,
    "",
    "#### Files",
    "",
    ...p.files.slice(0, 300).map((f) => `- ${code(f)}`),
    ...(p.files.length > 300 ? [`- … and ${p.files.length - 300} more`] : []),
    "",
  ];
  for (const e of p.renderErrors) lines.push(`> ⚠️ Not in these facts: ${text(e)}`, "");
  for (const env of p.environments) lines.push(...environmentLines(env, { warnings: true }), "");
  lines.push(`${options.conclusion === "failure" ? "This check fails" : "This is a notice (`unreviewed: notice`)"}; the push is also listed in the branch's ${code(UNREVIEWED_LABEL)} issue. Open a pull request for the change, or revert it through one.`);
  return {
    title: plain(truncate(title, MAX_TITLE, "…"), MAX_TITLE),
    summary: truncate(lines.join("\n"), MAX_CHECK_OUTPUT),
    text: truncate(JSON.stringify({ schema: "gitops-gate/unreviewed@1", ...p }, null, 2), MAX_CHECK_OUTPUT),
  };
}

/** The issue's entry for a reported push. */
export function unreviewedEntry(p: UnreviewedPush, checkUrl: string, at: string): UnreviewedEntry {
  // Each field capped: the entries travel in the body's hidden data, which must fit with fifty of them.
  const c = (s: string | null, max = 300) => (s === null ? null : cap(s, max));
  return {
    sha: p.sha, before: p.before, forced: p.forced, pusher: cap(p.pusher, 100), at: cap(at, 40), checkUrl: cap(checkUrl, 500),
    files: p.files.slice(0, MAX_ENTRY_FILES).map((f) => cap(f, 300)), moreFiles: Math.max(0, p.files.length - MAX_ENTRY_FILES),
    images: p.environments.flatMap((e) => e.images.map((i) => ({ environment: cap(e.environment, 100), workload: cap(`${i.workload}/${i.container}`, 300), before: c(i.before), after: c(i.after) }))).slice(0, 20),
    warnings: p.environments.flatMap((e) => e.irreversible.map((w) => cap(`${e.environment}: ${w}`, 500))).slice(0, 20),
  };
}

/** The entries an issue body holds (none when it holds no readable data). */
export function readUnreviewedEntries(body: string): { entries: UnreviewedEntry[]; earlier: number } {
  const data = readHiddenData(ENTRIES_DATA, body) as { entries?: unknown; earlier?: unknown } | undefined;
  const entries = Array.isArray(data?.entries) ? (data.entries as UnreviewedEntry[]).filter((e) => typeof e?.sha === "string" && typeof e.pusher === "string") : [];
  return { entries, earlier: typeof data?.earlier === "number" ? data.earlier : 0 };
}

export function unreviewedIssueTitle(branch: string): string {
  return plain(truncate(`Unreviewed pushes to ${branch}`, MAX_TITLE, "…"), MAX_TITLE);
}

/** The issue body: every push listed (newest last), its hidden data first so a cut never loses it. */
export function renderUnreviewedIssue(branch: string, entries: readonly UnreviewedEntry[], earlier = 0): string {
  let kept = [...entries];
  let dropped = earlier;
  while (kept.length > MAX_ISSUE_ENTRIES) {
    kept = kept.slice(1);
    dropped++;
  }
  for (;;) {
    const body = issueBody(branch, kept, dropped);
    if (body.length <= MAX_ISSUE_BODY || kept.length <= 1) return truncate(body, MAX_ISSUE_BODY);
    kept = kept.slice(1);
    dropped++;
  }
}

function issueBody(branch: string, entries: readonly UnreviewedEntry[], earlier: number): string {
  const img = (s: string | null) => (s ? code(s, { max: 200 }) : "—");
  const lines = [
    unreviewedMarker(branch),
    hiddenData(ENTRIES_DATA, { entries, earlier }),
    `Commits that reached ${code(branch, { max: 255 })} without a pull request and change paths gitops-gate evaluates. gitops-gate adds each new one here; a maintainer closes this issue once they are accounted for (a later push opens a new one).`,
    "",
    ...(earlier ? [`${earlier} earlier push(es) are no longer listed here; their check runs remain on their commits.`, ""] : []),
  ];
  for (const e of entries) {
    const what = e.forced ? `Force push ${code(e.before.slice(0, 12))} → ${code(e.sha.slice(0, 12))}` : `Commit ${code(e.sha.slice(0, 12))}`;
    lines.push(`- [ ] ${what} by ${mention(e.pusher)} at ${text(e.at, 40)} (${link("check run", e.checkUrl)})`);
    lines.push(`  - Files: ${e.files.map((f) => code(f)).join(", ")}${e.moreFiles ? ` and ${e.moreFiles} more` : ""}`);
    for (const i of e.images) lines.push(`  - Image in ${code(i.environment, { max: 100 })} ${code(i.workload)}: ${img(i.before)} → ${img(i.after)}`);
    for (const w of e.warnings) lines.push(`  - ⚠️ ${text(w, 500)}`);
  }
  return lines.join("\n");
}

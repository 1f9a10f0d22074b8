// Is the gate enforced? For each release branch, the rulesets and branch protection GitHub
// applies to it are read (never changed): gitops-gate is enforced when a required status
// check named `gitops-gate` is pinned to this App's id (any other App, or a token with
// checks: write, could otherwise post a passing `gitops-gate` status) and, when the config
// asks for it, requires the branch to be up to date. A branch where it is not gets one issue,
// closed by the App when the rule appears; every check summary says so in one line. The
// answer is kept for a few minutes per repository and branch, so pull requests in a burst
// cost no extra requests.
import { auditLog } from "./audit.js";
import { CHECK_NAME_FOR_RULES } from "./names.js";
import type { BranchRules, IssueStore, RepoRef, RulesReader } from "../github/types.js";
import type { Logger } from "../log.js";
import { MAX_TITLE } from "../limits.js";
import { code, link, plain } from "../render/escape.js";
import { truncate } from "../render/truncate.js";
import { branchKey } from "../render/unreviewed.js";

export const NOT_ENFORCED_LABEL = "gitops-gate:not-enforced";
/** How long an answer is kept: a rule added in the settings shows within this time. */
export const ENFORCEMENT_TTL_MS = 5 * 60_000;

export type Enforcement =
  | { readonly state: "enforced" }
  | { readonly state: "missing"; readonly why: string }
  /** Branch protection could not be read and no ruleset requires the check. */
  | { readonly state: "unknown" };

/** The verdict on one branch's rules. Pure. */
export function judgeEnforcement(rules: BranchRules, appId: number, requireUpToDate: boolean): Enforcement {
  const named = rules.checks.filter((c) => c.context === CHECK_NAME_FOR_RULES);
  const pinned = named.filter((c) => c.appId === appId);
  const good = pinned.filter((c) => c.strict || !requireUpToDate);
  if (good.length) return { state: "enforced" };
  if (!rules.protectionReadable && pinned.length === 0) return { state: "unknown" };
  if (pinned.length) return { state: "missing", why: "it is required and pinned to this App, but without \"Require branches to be up to date before merging\", which the config asks for (`enforcement.require_up_to_date`)" };
  if (named.length) return { state: "missing", why: "it is a required status check, but not pinned to this App: any App or token with `checks: write` can satisfy it" };
  return { state: "missing", why: "no ruleset or branch protection requires it as a status check" };
}

function marker(branch: string): string {
  return `<!-- gitops-gate:enforcement:${branchKey(branch)} -->`;
}

export interface EnforcementDeps {
  readonly rules: RulesReader;
  readonly issues: IssueStore;
  readonly appId: number;
  readonly log: Pick<Logger, "info" | "warn">;
  readonly now?: () => number;
}

const cache = new Map<string, { at: number; value: Enforcement }>();

/** Forgets every kept answer (tests). */
export function forgetEnforcement(): void {
  cache.clear();
}

/** One branch: the kept answer, or the rules read now and the issue opened or closed to match. */
async function audit(repo: RepoRef, branch: string, requireUpToDate: boolean, deps: EnforcementDeps): Promise<Enforcement> {
  const now = deps.now?.() ?? Date.now();
  const key = `${repo.owner}/${repo.repo}\u0000${branch}\u0000${requireUpToDate}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < ENFORCEMENT_TTL_MS) return hit.value;
  const value = judgeEnforcement(await deps.rules.branchRules(branch), deps.appId, requireUpToDate);
  cache.set(key, { at: now, value });
  // The issue follows the answer; an unknown answer changes nothing.
  if (value.state !== "unknown") {
    const open = await deps.issues.findOpen(NOT_ENFORCED_LABEL, marker(branch));
    if (value.state === "missing" && !open) {
      await deps.issues.create({
        title: plain(truncate(`gitops-gate is not enforced on ${branch}`, MAX_TITLE, "…"), MAX_TITLE),
        labels: [NOT_ENFORCED_LABEL],
        body: [
          marker(branch),
          `gitops-gate is not enforced on ${code(branch, { max: 255 })}: ${value.why}. A pull request can be merged whatever gitops-gate says about it.`,
          "",
          `To enforce it, require the status check ${code(CHECK_NAME_FOR_RULES)} with this App as its source in a ruleset (or branch protection) of this branch: ${link("rules settings", deps.rules.settingsUrl)}. gitops-gate reads the rules and never changes them; it closes this issue when the rule is in place.`,
        ].join("\n"),
      });
      auditLog(deps.log, "enforcement-missing", { repository: `${repo.owner}/${repo.repo}`, commit: null, actor: null, policyDigest: null, branch });
    } else if (value.state === "enforced" && open) {
      await deps.issues.comment(open.number, `${code(CHECK_NAME_FOR_RULES)} is now a required status check of ${code(branch, { max: 255 })} pinned to this App; closing.`);
      await deps.issues.update(open.number, { state: "closed", stateReason: "completed" });
      auditLog(deps.log, "enforcement-restored", { repository: `${repo.owner}/${repo.repo}`, commit: null, actor: null, policyDigest: null, branch });
    }
  }
  return value;
}

/**
 * The one line every check summary of the repository carries while a release branch is not
 * enforced (or cannot be verified), or undefined when every one is. Best effort: a failure
 * to read the rules is logged and costs the check nothing.
 */
export async function enforcementNote(params: { repo: RepoRef; branches: readonly string[]; requireUpToDate: boolean }, deps: EnforcementDeps): Promise<string | undefined> {
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const branch of params.branches) {
    try {
      const e = await audit(params.repo, branch, params.requireUpToDate, deps);
      if (e.state === "missing") missing.push(branch);
      if (e.state === "unknown") unknown.push(branch);
    } catch (err) {
      deps.log.warn({ err, branch }, "enforcement: the branch's rules could not be read; no note");
    }
  }
  const list = (bs: string[]) => bs.map((b) => code(b, { max: 255 })).join(", ");
  const parts: string[] = [];
  if (missing.length) parts.push(`⚠️ gitops-gate is not enforced on ${list(missing)}: it is not a required status check pinned to this App, so this verdict does not block merging (${link("rules settings", deps.rules.settingsUrl)}).`);
  if (unknown.length) parts.push(`gitops-gate enforcement could not be verified on ${list(unknown)}: the App cannot read branch protection (it needs \`administration: read\`) (${link("rules settings", deps.rules.settingsUrl)}).`);
  return parts.length ? parts.join(" ") : undefined;
}

/** The branches the audit and the unreviewed-push report watch: the config's, else the default branch. */
export function releaseBranches(config: { release: { branches: readonly string[] } }, defaultBranch: string): readonly string[] {
  return config.release.branches.length ? config.release.branches : [defaultBranch];
}

import { compileGlob } from "../config/glob.js";
import type { EnvironmentFacts } from "./facts.js";

/** A waiver in force, as the check run and the release record list it. */
export interface WaiverFact {
  readonly rule: string;
  readonly resources: readonly string[];
  readonly paths: readonly string[];
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  /** Findings of the change it waived. */
  readonly waived: number;
}

export type MergeMethod = "merge" | "squash" | "rebase";

/**
 * The release record, schema version 1: what the App attaches to every merge. The JSON
 * form is stored in the `gitops-gate/release` check run's output text; see
 * docs/release-record.md for the field-by-field description.
 */
export interface ReleaseRecord {
  readonly schema: "gitops-gate/release-record@1";
  readonly repository: string;
  readonly pullRequest: { readonly number: number; readonly title: string; readonly url: string; readonly labels: readonly string[]; readonly linkedIssues: readonly number[] };
  readonly author: string;
  readonly mergedBy: string;
  readonly approvedBy: readonly string[];
  readonly mergedAt: string;
  readonly mergeSha: string;
  readonly baseSha: string;
  /** The branch's state just before the merge: what a rollback returns to. */
  readonly beforeSha: string;
  readonly headSha: string;
  readonly mergeMethod: MergeMethod;
  readonly branch: string;
  readonly policy: {
    readonly verdict: "success" | "failure" | "neutral" | "not evaluated";
    readonly checkRunUrl: string | null;
    readonly summary: string | null;
    readonly acceptedWarnings: number | null;
    /** The policies that judged the merged head: name, resolved commit, bundle digest. */
    readonly sources?: ReadonlyArray<{ readonly name: string; readonly commit?: string; readonly digest: string }>;
    /** Findings at the merged head that its base had already (when the check compared them). */
    readonly preExisting?: number | null;
    /** Waivers-file entries in force for the merged change: what they waived, why, whose, until when. */
    readonly waivers?: readonly WaiverFact[];
  };
  readonly environments: ReadonlyArray<EnvironmentFacts & { readonly rollback: RollbackNotes }>;
  /** True when no file of a known manifest format changed. */
  readonly manifestsChanged: boolean;
  /** Set when the config on the branch was invalid, so built-in settings were used instead. */
  readonly configError?: string;
  /** Roots whose state could not be rendered on one side: their changes are not in the facts. */
  readonly renderErrors?: readonly string[];
  /**
   * Set when the whole record did not fit GitHub's 65,535 characters: entries left out per
   * list (JSON pointer → count; `strings`: values cut at 500 characters). The check run's
   * summary shows more of them.
   */
  readonly omitted?: Readonly<Record<string, number>>;
}

export interface RollbackNotes {
  /** The images and versions to return to: the state before the merge. */
  readonly restore: readonly string[];
  readonly revertCommand: string;
  readonly oneClick: string;
  readonly warnings: readonly string[];
  readonly owners: readonly string[];
  readonly ownersFrom: "config" | "CODEOWNERS" | "merger";
}

/** The git command that undoes this merge, for each way GitHub merges. */
export function revertCommand(method: MergeMethod, mergeSha: string, commits: number): string {
  if (method === "merge") return `git revert -m 1 ${mergeSha}`;
  if (method === "squash" || commits <= 1) return `git revert ${mergeSha}`;
  return `git revert --no-edit ${mergeSha}~${commits}..${mergeSha}`;
}

export function rollbackNotes(params: {
  facts: EnvironmentFacts;
  method: MergeMethod;
  mergeSha: string;
  commits: number;
  owners: readonly string[];
  ownersFrom: RollbackNotes["ownersFrom"];
}): RollbackNotes {
  const { facts } = params;
  const restore = [
    ...facts.images.map((i) => (i.before ? `${i.workload} container ${i.container}: image ${i.before}` : `${i.workload} container ${i.container}: did not exist (remove it)`)),
    ...facts.replicas.map((r) => `${r.resource}: replicas ${r.before ?? "unset"}`),
    ...facts.charts.map((c) => `${c.resource}: ${c.before ?? "absent"}`),
    ...facts.removed.map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}: re-create from ${params.mergeSha.slice(0, 12)}^`),
  ];
  return {
    restore,
    revertCommand: revertCommand(params.method, params.mergeSha, params.commits),
    oneClick: "Comment `/gitops-gate rollback` on the merged pull request: the App opens a reviewed revert pull request.",
    warnings: facts.irreversible.map((w) => `A revert will not restore data: ${w}.`),
    owners: params.owners,
    ownersFrom: params.ownersFrom,
  };
}

/** Issue numbers a pull request body closes ("Fixes #12", "closes #3", "resolves #4"). */
export function linkedIssues(body: string | null | undefined): number[] {
  const out = new Set<number>();
  for (const m of (body ?? "").matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)/gi)) out.add(Number(m[1]));
  return [...out].sort((a, b) => a - b);
}

/** CODEOWNERS lines read: GitHub reads files up to 3 MB; we read the last this many rules. */
export const MAX_CODEOWNERS_RULES = 2000;

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/** CODEOWNERS owners of a path: the last matching line wins, as GitHub reads the file. */
export function codeOwners(codeowners: string, paths: readonly string[], match: (pattern: string, path: string) => boolean): string[] {
  const rules = (
    codeowners
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean)
      .map((l) => l.split(/\s+/))
      .filter((parts) => parts.length >= 2) as Array<[string, ...string[]]>
  ).slice(-MAX_CODEOWNERS_RULES);
  const owners = new Set<string>();
  for (const path of paths) {
    // The last matching rule wins: look from the end and stop at the first match.
    const found = rules.findLast(([pattern]) => match(pattern, path));
    for (const o of found?.slice(1) ?? []) owners.add(o);
  }
  return [...owners].sort();
}

/**
 * GitHub's CODEOWNERS patterns (gitignore-like) as a matcher, on the bounded glob matcher:
 * CODEOWNERS is written by whoever can push, so a pattern that is too long or not
 * supported matches nothing rather than costing time.
 */
export function codeOwnersMatcher(): (pattern: string, path: string) => boolean {
  const cache = new Map<string, (path: string) => boolean>();
  const compile = (glob: string): ((path: string) => boolean) => {
    try {
      return compileGlob(glob);
    } catch {
      return () => false;
    }
  };
  return (pattern, path) => {
    let m = cache.get(pattern);
    if (!m) {
      const anchored = pattern.startsWith("/");
      let p = pattern.replace(/^\//, "");
      if (p.endsWith("/")) p += "**";
      if (!anchored && !p.slice(0, -1).includes("/")) p = `**/${p}`;
      const file = compile(p);
      const dir = compile(`${p}/**`);
      m = (x: string) => file(x) || dir(x);
      cache.set(pattern, m);
    }
    return m(path);
  };
}

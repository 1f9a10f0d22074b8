// Policy sources named by config, resolved to exact commits and folders, and the key a
// compiled bundle is cached under. Pure: the reading is done through a reader passed in.
import { createHash } from "node:crypto";
import type { PolicySourceConfig } from "../config/schema.js";

export interface RepoName {
  readonly owner: string;
  readonly repo: string;
}

/** One source as config names it, with everything defaulted and checked. */
export interface SourceSpec {
  /** How people see it: `policy/` or `acme/policies@v3:kubernetes/`. */
  readonly label: string;
  readonly repo: RepoName;
  /** True for a folder of the repository being judged (read at its base branch). */
  readonly local: boolean;
  /** Branch, tag or sha; undefined: the repository's default branch. */
  readonly ref: string | undefined;
  /** Folder of Rego, without leading or trailing slashes ("" is the root). */
  readonly path: string;
  readonly data: readonly string[];
  readonly regoVersion: "v0" | "v1";
}

/** A source pinned to a commit, with the git ids of what it reads. */
export interface ResolvedSource extends SourceSpec {
  readonly commit: string;
  /** Tree sha of the Rego folder: equal trees compile to equal bundles. */
  readonly treeSha: string;
  /** Blob or tree shas of the data paths, in order. */
  readonly dataShas: readonly string[];
}

function clean(path: string | undefined): string {
  return (path ?? "").replace(/^\.\/+/, "").replace(/\/+$/, "").replace(/^\/+/, "");
}

/**
 * Config entries → specs. A `repo:` of another owner is refused unless the organisation
 * allows it, so a repository cannot make the App read (with the installation's token)
 * whatever another account publishes.
 */
export function sourceSpecs(
  entries: readonly PolicySourceConfig[],
  judged: RepoName,
  baseRef: string,
  allowExternal: boolean,
): { ok: true; specs: SourceSpec[] } | { ok: false; error: string } {
  const specs: SourceSpec[] = [];
  for (const entry of entries) {
    const path = clean(entry.path);
    const data = (entry.data ?? []).map(clean);
    const regoVersion = entry.rego_version ?? "v1";
    if (!("repo" in entry)) {
      specs.push({ label: `${path || "."}/`, repo: judged, local: true, ref: baseRef, path, data, regoVersion });
      continue;
    }
    const [owner, name] = entry.repo.split("/") as [string, string];
    const self = owner.toLowerCase() === judged.owner.toLowerCase() && name.toLowerCase() === judged.repo.toLowerCase();
    if (owner.toLowerCase() !== judged.owner.toLowerCase() && !allowExternal) {
      return {
        ok: false,
        error: `policy source ${entry.repo}: outside the account ${judged.owner}; only the organisation's .github config can allow that (policies.allow_external: true)`,
      };
    }
    const label = `${entry.repo}${entry.ref ? `@${entry.ref}` : ""}${path ? `:${path}/` : ""}`;
    // Naming the judged repository itself is still its base branch unless a ref is pinned.
    specs.push({ label, repo: { owner, repo: name }, local: self && !entry.ref, ref: entry.ref ?? (self ? baseRef : undefined), path, data, regoVersion });
  }
  return { ok: true, specs };
}

/** Revision of how sources become a bundle; bump it when that changes, to leave old cache entries. */
export const BUNDLE_REVISION = "3";

/** The cache key of the bundle compiled from these sources: their git ids, not their bytes. */
export function bundleKey(sources: readonly ResolvedSource[], opaVersion: string): string {
  const parts = sources.map((s) => ({ repo: `${s.repo.owner}/${s.repo.repo}`, path: s.path, tree: s.treeSha, data: s.dataShas, rego: s.regoVersion }));
  return createHash("sha256").update(JSON.stringify({ revision: BUNDLE_REVISION, opa: opaVersion, parts })).digest("hex");
}

// The release facts of a change between two commits of a release branch, per environment:
// resources added, changed and removed, images before → after, replicas, chart versions and
// data-loss warnings. Computed once here for a merge's release record and for a direct push
// reported as unreviewed, so the two never say different things about the same change.
import { globMatcher } from "../config/glob.js";
import { environmentsOf, type Config } from "../config/schema.js";
import type { WorkerPool } from "../evaluation/worker-pool.js";
import type { ChangedFile, ChangedFiles, RepoReader, RepoRef } from "../github/types.js";
import { BATCHED_READS } from "../limits.js";
import { parseFile } from "../manifests/index.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import { diffEnvironment, type EnvironmentFacts, type ManifestSnapshot } from "../release/facts.js";
import type { BlobCache } from "./blob-cache.js";
import { mapLimit } from "./map-limit.js";
import { renderedSnapshots } from "./render-snapshots.js";
import { selector } from "./select.js";

export interface ReleaseFactsDeps {
  readonly reader: RepoReader;
  /** For the rendered state on both sides. */
  readonly pool: () => Promise<WorkerPool>;
  readonly blobs: BlobCache;
}

export interface ReleaseFacts {
  /** Every file that differs between the two commits. */
  readonly changed: ChangedFiles;
  /** The changed files the config evaluates, with their format. */
  readonly manifests: ReadonlyArray<ChangedFile & { readonly format: string }>;
  /** Facts per environment, sorted by name. */
  readonly environments: readonly EnvironmentFacts[];
  /** Roots that could not be rendered on a side: left out of the facts, and said. */
  readonly renderErrors: readonly string[];
}

/** The environment a path belongs to; without configured environments, the branch's name. */
function environmentOf(config: Config, branch: string): (path: string) => string {
  const envs = environmentsOf(config).map((e) => [e.name, globMatcher(e.paths)] as const);
  if (envs.length === 0) return () => branch;
  return (path) => envs.find(([, m]) => m(path))?.[0] ?? "unassigned";
}

/** What changed from `before` to `after` on `branch`, as facts per environment. */
export async function releaseFacts(change: { before: string; after: string; branch: string; repo?: RepoRef }, config: Config, deps: ReleaseFactsDeps): Promise<ReleaseFacts> {
  const { reader } = deps;
  // What changed, and which of it is a manifest.
  const changed = await reader.diffCommits(change.before, change.after);
  const formatOf = selector(config);
  const manifests = changed.files.flatMap((f) => {
    const format = formatOf(f.path);
    return format ? [{ ...f, format }] : [];
  });

  // Rendered roots the change touches, both sides; their inputs are not read as files.
  const rendered = await renderedSnapshots({ ...(change.repo ? { repo: change.repo } : {}), before: change.before, after: change.after, changed: changed.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])) }, config, deps);

  // The other manifests, both sides parsed with the same parsers as the check.
  const read = async (sha: string | undefined, f: ChangedFile & { format: string }, size: number | undefined): Promise<unknown[]> => {
    // Sizes come from the trees: a blob over the limit is never downloaded.
    if (!sha || size === undefined || size > DEFAULT_LIMITS.maxBytes) return [];
    const blob = await reader.readBlob(sha, DEFAULT_LIMITS.maxBytes, size);
    if ("tooLarge" in blob) return [];
    const parsed = parseFile({ path: f.path, bytes: blob.bytes }, f.format);
    return parsed.ok ? parsed.documents.map((d) => d.content) : [];
  };
  // Both sides of every file asked at once: the reader batches them into GraphQL queries.
  const sides = await mapLimit(manifests.filter((f) => !rendered.rendered.has(f.path)), BATCHED_READS, async (f) => {
    const [before, after] = await Promise.all([
      read(f.status === "added" || f.baseKind !== "file" ? undefined : f.baseSha, f, f.baseSize),
      read(f.status === "removed" || f.kind !== "file" ? undefined : f.sha, f, f.size),
    ]);
    return { file: f, before, after };
  });

  // Facts per environment.
  const envOf = environmentOf(config, change.branch);
  const byEnv = new Map<string, { before: ManifestSnapshot[]; after: ManifestSnapshot[] }>();
  const add = (env: string, path: string, before: readonly unknown[], after: readonly unknown[]) => {
    const slot = byEnv.get(env) ?? { before: [], after: [] };
    slot.before.push({ path, documents: before });
    slot.after.push({ path, documents: after });
    byEnv.set(env, slot);
  };
  for (const s of sides) add(envOf(s.file.path), s.file.path, s.before, s.after);
  for (const r of rendered.snapshots) {
    // A side that cannot be rendered would read as every object added or removed: leave it out, and say so.
    if (r.error) continue;
    const env = r.environment ?? envOf(r.files[0] ?? r.target.root);
    const [first, ...rest] = r.files.length ? r.files : [r.target.label];
    add(env, first as string, r.before, r.after);
    for (const f of rest) add(env, f, [], []);
  }
  const environments = [...byEnv].sort(([a], [b]) => a.localeCompare(b)).map(([env, s]) => diffEnvironment(env, s.before, s.after));
  return { changed, manifests, environments, renderErrors: rendered.snapshots.flatMap((r) => (r.error ? [r.error] : [])) };
}

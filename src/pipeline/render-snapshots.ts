// Step "rendered state" of a merge record: the roots the merge touches, rendered before and
// after it, so a values bump shows as the image it changes in the environment it deploys
// to, and an object deleted by an overlay gives its data-loss warning.
import type { Config } from "../config/schema.js";
import type { WorkerPool } from "../evaluation/worker-pool.js";
import type { RepoReader, RepoRef } from "../github/types.js";
import { repositoryMatcher, type RenderTarget } from "../hydrate/plan.js";
import type { BlobCache } from "./blob-cache.js";
import { withEnvironment } from "./evaluate-change.js";
import { loadRenderInputs, type RenderInputs } from "./render-inputs.js";

export interface RenderedSnapshot {
  /** The environment: the root's own, else the config's by path. */
  readonly environment: string | undefined;
  readonly target: RenderTarget;
  /** Changed files among the root's inputs (what CODEOWNERS and the record list). */
  readonly files: readonly string[];
  readonly before: readonly unknown[];
  readonly after: readonly unknown[];
  /** Why a side could not be rendered, when it could not. */
  readonly error?: string;
}

async function objectsOf(inputs: RenderInputs | undefined, id: string, pool: WorkerPool): Promise<{ objects: unknown[]; error?: string }> {
  const target = inputs?.plan.targets.find((t) => t.id === id);
  if (!inputs || !target) return { objects: [] };
  const files = Object.fromEntries(target.inputs.flatMap((p) => (inputs.files.has(p) ? [[p, inputs.files.get(p) as string | Uint8Array]] : [])));
  const outcome = await pool.render(target, files, undefined, { objects: true });
  const error = outcome.render?.error;
  if (error) return { objects: [], error: `${error.action}: ${error.detail}` };
  return { objects: (outcome.render?.manifests ?? []).map((m) => m.object) };
}

export async function renderedSnapshots(
  params: { before: string; after: string; changed: readonly string[]; repo?: RepoRef },
  config: Pick<Config, "render" | "environments">,
  deps: { reader: RepoReader; blobs: BlobCache; pool: () => Promise<WorkerPool> },
): Promise<{ snapshots: RenderedSnapshot[]; rendered: ReadonlySet<string> }> {
  if (!config.render.enabled || params.changed.length === 0) return { snapshots: [], rendered: new Set() };
  const options = { kubeVersion: config.render.kube_version, apiVersions: config.render.api_versions, roots: config.render.roots, ...(params.repo ? { isThisRepo: repositoryMatcher(params.repo.owner, params.repo.repo) } : {}) };
  const load = (sha: string) => loadRenderInputs({ headSha: sha, changed: params.changed, options }, { reader: deps.reader, blobs: deps.blobs });
  const [before, after] = await Promise.all([load(params.before), load(params.after)]);
  const targets = new Map<string, RenderTarget>();
  for (const t of [...before.plan.targets, ...after.plan.targets]) targets.set(t.id, withEnvironment(t, config));
  if (targets.size === 0) return { snapshots: [], rendered: new Set() };
  const pool = await deps.pool();
  const changed = new Set(params.changed);
  const snapshots = await Promise.all(
    [...targets.values()].map(async (target): Promise<RenderedSnapshot> => {
      const [b, a] = await Promise.all([objectsOf(before, target.id, pool), objectsOf(after, target.id, pool)]);
      const error = a.error ?? b.error;
      return { environment: target.environment, target, files: target.inputs.filter((p) => changed.has(p)), before: b.objects, after: a.objects, ...(error ? { error } : {}) };
    }),
  );
  return { snapshots, rendered: new Set([...before.plan.rendered, ...after.plan.rendered]) };
}

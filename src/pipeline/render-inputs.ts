// Step "render inputs": the files the change's renders read, from the evaluated commit.
// Discovery needs the repository's kustomizations, charts, values files and the YAML that
// may hold Argo CD or Flux objects; each render then needs its own inputs. Contents come
// through the blob cache, a few requests at a time.
import { posix } from "node:path";
import type { RepoReader, TreeEntry } from "../github/types.js";
import { planRenders, type RenderOptions, type RenderPlan } from "../hydrate/plan.js";
import { BATCHED_READS, CONTENT_CONCURRENCY } from "../limits.js";
import type { BlobCache } from "./blob-cache.js";
import { text } from "../render/escape.js";
import { MAX_LINK_TARGET_BYTES, resolveLink, treeWorld, type LinkResolution } from "./links.js";
import { mapLimit } from "./map-limit.js";
import { FileTooLargeError, PlainFailure } from "../github/failures.js";
import { renderInput } from "../hydrate/content.js";

/** Discovery reads every YAML file of a repository up to these bounds, then only likely ones. */
const DISCOVERY_MAX_FILES = 2000;
const DISCOVERY_MAX_FILE_BYTES = 256 * 1024;
/** Any one input of a render. */
const INPUT_MAX_BYTES = 2 * 1024 * 1024;
/** Links of a repository followed for rendering. */
const MAX_LINKS = 200;
const MAX_LINKED_FILES = 20_000;

type TreeFile = { readonly path: string; readonly sha: string; readonly size: number };

export interface RenderInputs {
  readonly plan: RenderPlan;
  /** Contents of every input of every target (text, or bytes for archives). */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  /** Blob ids of those files, for cache keys. */
  readonly shas: ReadonlyMap<string, string>;
  readonly notes: readonly string[];
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const CHART_FILE = /(^|\/)(Chart\.ya?ml|values[^/]*\.ya?ml|requirements\.ya?ml)$/;
const LIKELY_GITOPS = /(^|\/)(argo|argocd|apps?|applications?|clusters?|flux|fluxcd|releases?|gitops|infra|infrastructure)(\/|$)/i;


/** Links of the tree as the files they lead to (a link to a folder: each file below it, under the link). */
async function linkedFiles(entries: readonly TreeEntry[], deps: { reader: RepoReader; blobs: BlobCache }): Promise<{ files: TreeFile[]; refused: Map<string, string> }> {
  const links = entries.filter((e) => e.kind === "link").slice(0, MAX_LINKS);
  const refused = new Map<string, string>();
  if (links.length === 0) return { files: [], refused };
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const world = treeWorld(entries, async (path) => {
    const e = byPath.get(path);
    if (!e || e.size > MAX_LINK_TARGET_BYTES) return undefined;
    const bytes = await deps.blobs.read(e.sha, async (sha) => {
      const blob = await deps.reader.readBlob(sha, MAX_LINK_TARGET_BYTES);
      if ("tooLarge" in blob) throw new Error(`read link ${path}: ${blob.tooLarge} bytes`);
      return blob.bytes;
    });
    return Buffer.from(bytes).toString("utf8");
  });
  const files: TreeFile[] = [];
  const resolved = await mapLimit(links, CONTENT_CONCURRENCY, (link) => resolveLink(link.path, world));
  for (const [i, link] of links.entries()) {
    const r = resolved[i] as LinkResolution;
    if (!r.ok) refused.set(link.path, r.message);
    else if (r.kind === "file") files.push({ ...(byPath.get(r.path) as TreeEntry), path: link.path });
    else if (r.kind === "folder") {
      const prefix = r.path ? `${r.path}/` : "";
      for (const e of entries) {
        if (files.length >= MAX_LINKED_FILES) break;
        if (e.kind === "file" && e.path.startsWith(prefix)) files.push({ ...e, path: `${link.path}/${e.path.slice(prefix.length)}` });
      }
    }
  }
  return { files, refused };
}

export async function loadRenderInputs(
  params: { headSha: string; changed: readonly string[]; options: RenderOptions },
  deps: { reader: RepoReader; blobs: BlobCache },
): Promise<RenderInputs> {
  const listed = await deps.reader.tree(params.headSha);
  if (listed.truncated) throw new PlainFailure(`GitHub truncated the repository's tree at ${params.headSha.slice(0, 12)}, so render roots cannot be found`, "Set `render.enabled: false` in the config, or split the repository.");
  const notes: string[] = [];
  // Links inside the repository read as what they lead to, as for Helm and Kustomize on a
  // checkout; links that leave it (or are broken, or loop) are never followed.
  const { files: linked, refused } = await linkedFiles(listed.files, deps);
  const links = listed.files.filter((f) => f.kind === "link").length;
  if (links > MAX_LINKS) notes.push(`The repository has ${links} symbolic links; the first ${MAX_LINKS} were followed for rendering.`);
  const tree = { files: [...listed.files.filter((f) => f.kind === "file"), ...linked] };
  const byPath = new Map(tree.files.map((f) => [f.path, f]));
  const read = async (files: readonly TreeFile[]): Promise<Map<string, string | Uint8Array>> => {
    const out = new Map<string, string | Uint8Array>();
    // All at once: the reader batches them into GraphQL queries of 50 blobs.
    await mapLimit(files, BATCHED_READS, async (f) => {
      if (f.size > INPUT_MAX_BYTES) throw new FileTooLargeError(f.path, f.size, INPUT_MAX_BYTES, "a render input");
      const bytes = await deps.blobs.read(f.sha, async (sha) => {
        const blob = await deps.reader.readBlob(sha, INPUT_MAX_BYTES, f.size);
        if ("tooLarge" in blob) throw new FileTooLargeError(f.path, blob.tooLarge, INPUT_MAX_BYTES, "a render input");
        return blob.bytes;
      });
      out.set(f.path, renderInput(f.path, bytes));
    });
    return out;
  };

  // 1. What discovery reads: kustomizations, charts and values always; other YAML (Argo CD
  // and Flux objects) all of it in a repository of ordinary size, else the likely folders.
  const yaml = tree.files.filter((f) => /\.ya?ml$/i.test(f.path) && f.size <= DISCOVERY_MAX_FILE_BYTES);
  const needed = (f: TreeFile) => KUSTOMIZATION.test(f.path) || CHART_FILE.test(f.path);
  const all = yaml.length <= DISCOVERY_MAX_FILES;
  if (!all) notes.push(`The repository has ${yaml.length} YAML files; Argo CD and Flux objects were looked for only in folders named like apps/, clusters/, argocd/ or flux/ (declare others in render.roots).`);
  const discoveryFiles = tree.files.filter((f) => needed(f) || (yaml.includes(f) && (all || LIKELY_GITOPS.test(posix.dirname(f.path)))));
  const known = await read(discoveryFiles);
  // Paths without contents still exist for discovery (a resource file that is only listed).
  const view = new Map<string, string | Uint8Array>(tree.files.map((f) => [f.path, known.get(f.path) ?? ""]));

  // 2. What the change makes us render, and the inputs each render reads.
  const plan = planRenders(view, params.changed, params.options);
  const inputs = new Set(plan.targets.flatMap((t) => t.inputs));
  const missing = [...inputs].filter((p) => !known.has(p)).flatMap((p) => byPath.get(p) ?? []);
  for (const [p, c] of await read(missing)) known.set(p, c);
  for (const p of inputs) {
    const why = refused.get(p);
    if (why && !known.has(p)) notes.push(`Not read for rendering: ${text(why)}.`);
  }
  const files = new Map([...inputs].filter((p) => known.has(p)).map((p) => [p, known.get(p) as string | Uint8Array]));
  const shas = new Map([...inputs].flatMap((p) => (byPath.has(p) ? [[p, (byPath.get(p) as TreeFile).sha] as const] : [])));
  return { plan, files, shas, notes };
}

// What a merge changed, as facts: resources, images, replicas, chart versions, and what a
// revert cannot undo. Pure: parsed documents in, facts out.

export interface ManifestSnapshot {
  readonly path: string;
  readonly documents: readonly unknown[];
}

export interface ResourceId {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface ImageChange {
  readonly workload: string;
  readonly container: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface ValueChange<T> {
  readonly resource: string;
  readonly before: T | null;
  readonly after: T | null;
}

export interface EnvironmentFacts {
  readonly environment: string;
  readonly files: readonly string[];
  readonly added: readonly ResourceId[];
  readonly removed: readonly ResourceId[];
  readonly changed: readonly ResourceId[];
  readonly images: readonly ImageChange[];
  readonly replicas: readonly ValueChange<number>[];
  readonly charts: readonly ValueChange<string>[];
  /** Changes a `git revert` does not undo: the data is gone once the cluster applies them. */
  readonly irreversible: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

export function resourceKey(r: ResourceId): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
}

function idOf(doc: unknown): ResourceId | undefined {
  if (!isObj(doc) || typeof doc["kind"] !== "string") return undefined;
  const meta = isObj(doc["metadata"]) ? doc["metadata"] : {};
  return { kind: doc["kind"], namespace: str(meta["namespace"]), name: str(meta["name"]) };
}

/** Pod templates and their containers, for every workload kind. */
function containers(doc: Obj): Array<[string, string]> {
  const spec = isObj(doc["spec"]) ? doc["spec"] : {};
  let pod: unknown = spec;
  if (doc["kind"] === "CronJob") pod = (((spec["jobTemplate"] as Obj)?.["spec"] as Obj)?.["template"] as Obj)?.["spec"];
  else if (doc["kind"] !== "Pod") pod = (spec["template"] as Obj | undefined)?.["spec"];
  if (!isObj(pod)) return [];
  const out: Array<[string, string]> = [];
  for (const field of ["initContainers", "containers"]) {
    const list = pod[field];
    if (Array.isArray(list)) for (const c of list) if (isObj(c)) out.push([`${field === "initContainers" ? "init:" : ""}${str(c["name"])}`, str(c["image"])]);
  }
  return out;
}

/** A chart or module version a document pins: Chart.yaml, a Flux HelmRelease, an Argo CD Application. */
function chartVersion(doc: Obj, path: string): [string, string] | undefined {
  if (/(^|\/)Chart\.ya?ml$/.test(path) && typeof doc["name"] === "string" && doc["version"] !== undefined) return [`chart ${doc["name"]}`, String(doc["version"])];
  const spec = isObj(doc["spec"]) ? doc["spec"] : {};
  if (doc["kind"] === "HelmRelease") {
    const chart = ((spec["chart"] as Obj | undefined)?.["spec"] as Obj | undefined) ?? {};
    if (chart["version"] !== undefined) return [`HelmRelease ${str((doc["metadata"] as Obj)?.["name"])} chart ${str(chart["chart"])}`, String(chart["version"])];
  }
  if (doc["kind"] === "Application" && isObj(spec["source"]) && spec["source"]["targetRevision"] !== undefined) {
    return [`Application ${str((doc["metadata"] as Obj)?.["name"])} ${str(spec["source"]["chart"] ?? spec["source"]["path"])}`, String(spec["source"]["targetRevision"])];
  }
  return undefined;
}

interface Indexed {
  readonly resources: Map<string, { id: ResourceId; doc: Obj; json: string }>;
  readonly charts: Map<string, string>;
}

function index(snapshots: readonly ManifestSnapshot[]): Indexed {
  const resources = new Map<string, { id: ResourceId; doc: Obj; json: string }>();
  const charts = new Map<string, string>();
  for (const s of snapshots) {
    for (const doc of s.documents) {
      if (!isObj(doc)) continue;
      const chart = chartVersion(doc, s.path);
      if (chart) charts.set(chart[0], chart[1]);
      const id = idOf(doc);
      if (id && id.name) resources.set(resourceKey(id), { id, doc, json: JSON.stringify(doc) });
    }
  }
  return { resources, charts };
}

const DATA_KINDS = new Set(["StatefulSet", "PersistentVolumeClaim", "PersistentVolume"]);

/**
 * Facts for one environment: `before` is the state the merge started from, `after` the
 * merge commit, each the parsed manifests of the changed files in that environment.
 */
export function diffEnvironment(environment: string, before: readonly ManifestSnapshot[], after: readonly ManifestSnapshot[]): EnvironmentFacts {
  const a = index(before);
  const b = index(after);
  const added: ResourceId[] = [];
  const removed: ResourceId[] = [];
  const changed: ResourceId[] = [];
  const images: ImageChange[] = [];
  const replicas: ValueChange<number>[] = [];
  const irreversible: string[] = [];
  for (const [key, now] of b.resources) {
    const was = a.resources.get(key);
    if (!was) added.push(now.id);
    else if (was.json !== now.json) changed.push(now.id);
  }
  for (const [key, was] of a.resources) {
    if (b.resources.has(key)) continue;
    removed.push(was.id);
    if (DATA_KINDS.has(was.id.kind)) irreversible.push(`${resourceKey(was.id)} is deleted: its volumes and their data are not restored by a revert`);
    if (was.id.kind === "CustomResourceDefinition") irreversible.push(`${resourceKey(was.id)} is removed: every custom resource of that type is deleted with it`);
    if (was.id.kind === "Namespace") irreversible.push(`${resourceKey(was.id)} is deleted: everything in that namespace is deleted with it`);
  }
  for (const key of new Set([...a.resources.keys(), ...b.resources.keys()])) {
    const was = a.resources.get(key)?.doc;
    const now = b.resources.get(key)?.doc;
    const wasC = new Map(was ? containers(was) : []);
    const nowC = new Map(now ? containers(now) : []);
    for (const name of new Set([...wasC.keys(), ...nowC.keys()])) {
      const before = wasC.get(name) ?? null;
      const afterImg = nowC.get(name) ?? null;
      if (before !== afterImg) images.push({ workload: key, container: name, before, after: afterImg });
    }
    const r = (d: Obj | undefined): number | null => (d && isObj(d["spec"]) && typeof d["spec"]["replicas"] === "number" ? d["spec"]["replicas"] : null);
    if (r(was) !== r(now) && (was || now) && (r(was) !== null || r(now) !== null)) replicas.push({ resource: key, before: r(was), after: r(now) });
  }
  const charts: ValueChange<string>[] = [];
  for (const name of new Set([...a.charts.keys(), ...b.charts.keys()])) {
    const before = a.charts.get(name) ?? null;
    const afterV = b.charts.get(name) ?? null;
    if (before !== afterV) charts.push({ resource: name, before, after: afterV });
  }
  const files = [...new Set([...before, ...after].map((s) => s.path))].sort();
  const byKey = (x: ResourceId, y: ResourceId): number => resourceKey(x).localeCompare(resourceKey(y));
  return {
    environment, files, added: added.sort(byKey), removed: removed.sort(byKey), changed: changed.sort(byKey),
    images: images.sort((x, y) => x.workload.localeCompare(y.workload) || x.container.localeCompare(y.container)),
    replicas: replicas.sort((x, y) => x.resource.localeCompare(y.resource)), charts, irreversible,
  };
}

/** Splits image references into repository, tag and digest for display. */
export function parseImage(ref: string): { repository: string; tag: string | null; digest: string | null } {
  const [name = "", digest] = ref.split("@", 2);
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const hasTag = colon > slash;
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : null, digest: digest ?? null };
}

// A finding on a rendered object → the line a person edits. Kustomize: the patch that set
// the field, else the resource's own line for it. Helm: the values file line when the
// field's value comes from `.Values`, else the template line where the field is written,
// else the template's first line. Pure: works on the files the render was given.
import type { PathSegment } from "../manifests/source-map.js";
import type { ManifestDocument } from "../manifests/types.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import { yamlParser } from "../manifests/yaml.js";
import type { ObjectSource, PatchRef } from "./types.js";

export interface MappedLocation {
  readonly file: string;
  readonly line: number;
  /** What the line is: where the reader should look and why. */
  readonly via: "patch" | "resource" | "values" | "template" | "kustomization";
}

type Files = ReadonlyMap<string, string | Uint8Array>;

/** Kubernetes' list merge keys, in the order strategic merge patches use them. */
const MERGE_KEYS = ["name", "mountPath", "devicePath", "containerPort", "port", "ip", "key", "topologyKey", "type"] as const;

function text(files: Files, path: string): string | undefined {
  const c = files.get(path);
  return c === undefined ? undefined : typeof c === "string" ? c : undefined;
}

const byText = new Map<string, readonly ManifestDocument[]>();

function documents(files: Files, path: string): readonly ManifestDocument[] {
  const t = text(files, path);
  if (t === undefined) return [];
  const cached = byText.get(t);
  if (cached) return cached;
  const r = yamlParser.parse(t, DEFAULT_LIMITS);
  const docs = r.ok ? r.documents : [];
  if (byText.size > 256) byText.clear();
  byText.set(t, docs);
  return docs;
}

/** The document of `path` that starts at (or first after) `line`. */
function documentAt(files: Files, path: string, line: number): ManifestDocument | undefined {
  const docs = documents(files, path);
  return docs.find((d) => d.line >= line) ?? docs[docs.length - 1];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The element of `list` that is `wanted`'s counterpart: same merge key value, else same index. */
function counterpart(list: readonly unknown[], wanted: unknown, index: number): number | undefined {
  if (isRecord(wanted)) {
    for (const key of MERGE_KEYS) {
      if (wanted[key] === undefined) continue;
      const i = list.findIndex((e) => isRecord(e) && e[key] === wanted[key]);
      return i >= 0 ? i : undefined;
    }
  }
  return index < list.length ? index : undefined;
}

/**
 * Walks `path` through the rendered object and a source document side by side (list
 * elements matched by merge key), and returns how much of the path the source holds:
 * its own path to the deepest match, and whether the whole path matched.
 */
export function locateIn(doc: unknown, rendered: unknown, path: readonly PathSegment[]): { path: PathSegment[]; exact: boolean } {
  const out: PathSegment[] = [];
  let src: unknown = doc;
  let obj: unknown = rendered;
  for (const seg of path) {
    if (typeof seg === "number") {
      if (!Array.isArray(src) || !Array.isArray(obj)) return { path: out, exact: false };
      const i = counterpart(src, obj[seg], seg);
      if (i === undefined) return { path: out, exact: false };
      out.push(i);
      src = src[i];
      obj = obj[seg];
    } else {
      if (!isRecord(src) || !(seg in src)) return { path: out, exact: false };
      out.push(seg);
      src = src[seg];
      obj = isRecord(obj) ? obj[seg] : undefined;
    }
  }
  return { path: out, exact: true };
}

/** The deepest prefix of `path` that exists in the rendered object (a missing field's parent). */
export function existingPath(rendered: unknown, path: readonly PathSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let obj: unknown = rendered;
  for (const seg of path) {
    const next = typeof seg === "number" ? (Array.isArray(obj) ? obj[seg] : undefined) : isRecord(obj) ? obj[seg] : undefined;
    if (next === undefined) break;
    out.push(seg);
    obj = next;
  }
  return out;
}

/** `/spec/template/spec/containers/0/image` → segments (`~1` and `~0` unescaped). */
function pointer(p: string): PathSegment[] {
  return p
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

/** The line in a patch that sets `path` (exactly, or a parent it replaces whole), if it does. */
function patchLine(files: Files, patch: PatchRef, rendered: unknown, path: readonly PathSegment[]): number | undefined {
  const doc = documentAt(files, patch.file, patch.line);
  if (!doc) return undefined;
  if (Array.isArray(doc.content)) {
    // JSON 6902: the last operation whose path covers the field.
    const ops = doc.content as unknown[];
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i];
      if (!isRecord(op) || typeof op["path"] !== "string" || op["op"] === "remove" || op["op"] === "test") continue;
      if (startsWith(path, pointer(op["path"]))) return doc.sourceMap.lineOf([i]);
    }
    return undefined;
  }
  // A patch inline in a kustomization: its text is a string there, with no lines of its own.
  if (patch.file === patch.kustomization && patch.field !== "patchesStrategicMerge") return undefined;
  const found = locateIn(doc.content, rendered, path);
  return found.exact ? doc.sourceMap.lineOf(found.path) : undefined;
}

function mapKustomize(source: ObjectSource, rendered: unknown, path: readonly PathSegment[], files: Files): MappedLocation | undefined {
  const exists = existingPath(rendered, path);
  const missing = exists.length < path.length;
  const patches = [...(source.patches ?? [])].reverse();
  const fromPatch = (target: readonly PathSegment[]): MappedLocation | undefined => {
    for (const p of patches) {
      const line = patchLine(files, p, rendered, target);
      if (line !== undefined) return { file: p.file, line, via: "patch" };
    }
    return undefined;
  };
  // 1. A field that is there: the last patch that writes it, else the resource.
  if (!missing && path.length) {
    const patched = fromPatch(path);
    if (patched) return patched;
  }
  // 2. The resource the object was read from, at the field or its nearest ancestor there. A
  // missing field belongs where its parent is defined: the resource, unless a patch added
  // the parent (a sidecar container the resource does not have).
  if (source.file && source.line !== undefined) {
    const doc = documentAt(files, source.file, source.line);
    if (!doc) return { file: source.file, line: source.line, via: "resource" };
    const found = locateIn(doc.content, rendered, exists);
    if (!found.exact) {
      const patched = fromPatch(exists);
      if (patched) return patched;
    }
    return { file: source.file, line: doc.sourceMap.lineOf(found.path), via: "resource" };
  }
  const patched = exists.length ? fromPatch(exists) : undefined;
  if (patched) return patched;
  // 3. A generated object (configMapGenerator): the kustomization that generates it.
  const config = source.origin?.configuredIn;
  return config ? { file: config, line: 1, via: "kustomization" } : undefined;
}

/** The lines of a template where the keys of `path` are written, nested by indentation. */
export function templateLine(template: string, path: readonly PathSegment[]): { line: number; exact: boolean } | undefined {
  const lines = template.split("\n");
  const keys = path.filter((s): s is string => typeof s === "string");
  let from = 0;
  let indent = -1;
  let found: number | undefined;
  for (const [k, key] of keys.entries()) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`^(\\s*)(?:-\\s+)?["']?${escaped}["']?\\s*:`);
    let hit: number | undefined;
    for (let i = from; i < lines.length; i++) {
      const m = re.exec(lines[i] as string);
      if (m && (m[1] as string).length > indent) {
        hit = i;
        indent = (m[1] as string).length;
        break;
      }
    }
    if (hit === undefined) return found === undefined ? undefined : { line: found + 1, exact: false };
    found = hit;
    from = hit + 1;
    if (k === keys.length - 1) return { line: hit + 1, exact: true };
  }
  return found === undefined ? undefined : { line: found + 1, exact: false };
}

/** `.Values.image.tag` references on a template line, as key paths. */
export function valuesReferences(line: string): string[][] {
  return [...line.matchAll(/\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g)].map((m) => (m[1] as string).slice(1).split("."));
}

function mapHelm(source: ObjectSource, rendered: unknown, path: readonly PathSegment[], files: Files, helm: { chart: string; valueFiles: readonly string[] }): MappedLocation | undefined {
  const template = source.file;
  const templateText = template ? text(files, template) : undefined;
  if (!template || templateText === undefined) return template ? { file: template, line: 1, via: "template" } : undefined;
  const at = templateLine(templateText, existingPath(rendered, path).length ? existingPath(rendered, path) : path);
  if (!at) return { file: template, line: 1, via: "template" };
  // The field's value comes from .Values: the values file that sets it, highest precedence first.
  const refs = valuesReferences(templateText.split("\n")[at.line - 1] ?? "");
  if (at.exact && refs.length) {
    const chartValues = `${helm.chart ? `${helm.chart}/` : ""}values.yaml`;
    for (const file of [...[...helm.valueFiles].reverse(), chartValues]) {
      const doc = documents(files, file)[0];
      if (!doc) continue;
      for (const ref of [...refs].reverse()) if (doc.sourceMap.has(ref)) return { file, line: doc.sourceMap.lineOf(ref), via: "values" };
    }
  }
  return { file: template, line: at.line, via: "template" };
}

/**
 * Where a finding on a rendered object lands. `field` is the policy's field path (none:
 * the object's own first line in its source).
 */
export function mapBack(params: {
  kind: "helm" | "kustomize";
  object: unknown;
  source: ObjectSource;
  field: readonly PathSegment[] | undefined;
  files: Files;
  helm?: { chart: string; valueFiles: readonly string[] };
}): MappedLocation | undefined {
  const path = params.field ?? [];
  return params.kind === "kustomize"
    ? mapKustomize(params.source, params.object, path, params.files)
    : mapHelm(params.source, params.object, path, params.files, params.helm ?? { chart: "", valueFiles: [] });
}

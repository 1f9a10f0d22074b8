// New or pre-existing: a finding of the head is pre-existing when the base has a finding
// with the same rule, about the same resource, at the same field path. The resource of a
// Kubernetes object is its kind/namespace/name within its file (the file's previous path
// when it was renamed) or, for a rendered object, within the root that rendered it; other
// formats have no names, so there it is the file and the document's position. Moving a
// document within its file, reformatting or adding lines changes nothing; a new field path
// (a container inserted before another) is new. Errors are never pre-existing.
import type { Finding } from "../policy/types.js";

/** What "the same finding" means across two commits. */
export function baselineKey(f: Finding, pathAtBase: (file: string) => string = (p) => p): string {
  const renderedBy = f.details?.["renderedBy"];
  const object = typeof f.details?.["object"] === "string" ? (f.details["object"] as string) : f.resource;
  const where = typeof renderedBy === "string" ? `render ${renderedBy}` : `file ${pathAtBase(f.file)}`;
  const what = object ? `object ${object}` : `document ${f.document ?? 0}`;
  return [f.ruleId, where, what, f.field ?? ""].join("\u0000");
}

/**
 * The head findings that were there at the base already. `renames` maps a head path to the
 * path the file had at the base. Each base finding accounts for one head finding only, so
 * a second identical violation is new.
 */
export function preExisting(head: readonly Finding[], base: readonly Finding[], renames: ReadonlyMap<string, string> = new Map()): Set<Finding> {
  const left = new Map<string, number>();
  for (const f of base) {
    if (f.kind === "error") continue;
    const key = baselineKey(f);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  const atBase = (p: string) => renames.get(p) ?? p;
  const out = new Set<Finding>();
  for (const f of head) {
    if (f.kind === "error") continue;
    const key = baselineKey(f, atBase);
    const n = left.get(key) ?? 0;
    if (n > 0) {
      left.set(key, n - 1);
      out.add(f);
    }
  }
  return out;
}

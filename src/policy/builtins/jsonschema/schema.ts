/**
 * OPA's gojsonschema fork (internal/gojsonschema): schema loading (schemaPool,
 * schemaLoader.Compile with auto-detected drafts) and parsing (schema.go), with its error
 * messages. Remote references are not fetched: only the draft meta-schemas it embeds.
 */
import { isMap, keysOf, parseJSONText, type J } from "./doc.js";
import { parseKeywords } from "./keywords.js";
import { DRAFT4, DRAFT6, fail, getString, HYBRID, invalidType, META_SCHEMAS, template, T } from "./messages.js";
import { JsonReference } from "./reference.js";
import { sub, type Sub } from "./sub.js";

interface PoolDoc {
  document: J;
  draft: number | undefined;
}

/** parseSchemaURL: the draft a document declares with $schema. */
function schemaDraft(document: J): number | undefined {
  if (typeof document === "boolean") return undefined;
  if (!isMap(document)) return fail("schema is invalid");
  if (!document.has("$schema")) return undefined;
  const s = document.get("$schema");
  if (typeof s !== "string") return fail(template(T.mustBeOfType, { key: "$schema", type: "string" }));
  return META_SCHEMAS.get(JsonReference.parse(s).toString())?.draft;
}

class Pool {
  readonly docs = new Map<string, PoolDoc>();

  parseReferences(document: J, ref: JsonReference, pooled: boolean): void {
    const reference = ref.toString();
    if (pooled && this.docs.has(reference)) fail(`Reference already exists: "${reference}"`);
    const draft = schemaDraft(document);
    try {
      this.parseRecursive(document, ref, draft);
    } finally {
      if (pooled) this.docs.set(reference, { document, draft });
    }
  }

  private parseRecursive(document: J, ref: JsonReference, draft: number | undefined): void {
    if (Array.isArray(document)) {
      for (const v of document) this.parseRecursive(v, ref, draft);
      return;
    }
    if (!isMap(document)) return;
    let local = ref;
    const id = document.get(document.has("id") ? "id" : "$id");
    if (typeof id === "string") {
      const child = tryParse(id);
      const resolved = child && tryInherit(ref, child);
      if (resolved) {
        local = resolved;
        if (this.docs.has(local.toString())) fail(`Reference already exists: "${local.toString()}"`);
        this.docs.set(local.toString(), { document, draft });
      }
    }
    const r = document.get("$ref");
    if (typeof r === "string") {
      const child = tryParse(r);
      const resolved = child && tryInherit(local, child);
      if (resolved) document.set("$ref", resolved.toString());
    }
    for (const k of keysOf(document)) {
      if (k === "const" || k === "enum") continue;
      const v = document.get(k)!;
      if (k === "properties" || k === "dependencies" || k === "patternProperties") {
        if (isMap(v)) for (const key of keysOf(v)) this.parseRecursive(v.get(key)!, local, draft);
      } else this.parseRecursive(v, local, draft);
    }
  }

  getDocument(reference: JsonReference): PoolDoc {
    const refToURL = JsonReference.parse(reference.toString());
    const hit = this.docs.get(refToURL.toString());
    if (hit) return hit;
    const base = refToURL.withoutFragment();
    const cached = this.docs.get(base.toString());
    if (cached) {
      const spd = { document: reference.get(cached.document), draft: cached.draft };
      this.docs.set(reference.toString(), spd);
      return spd;
    }
    if (!reference.isCanonical()) fail(template(T.referenceMustBeCanonical, { reference: reference.toString() }));
    const meta = META_SCHEMAS.get(base.toString());
    if (!meta) return fail(`remote reference loading disabled: ${reference.toString()}`);
    const document = parseJSONText(meta.text);
    this.parseReferences(document, base, true);
    return { document: reference.get(document), draft: schemaDraft(document) };
  }
}

function tryParse(s: string): JsonReference | undefined {
  try {
    return JsonReference.parse(s);
  } catch {
    return undefined;
  }
}

function tryInherit(base: JsonReference, child: JsonReference): JsonReference | undefined {
  try {
    return base.inherits(child);
  } catch {
    return undefined;
  }
}

export class Schema {
  readonly pool = new Pool();
  private readonly refs = new Map<string, Sub>();
  readonly root: Sub;
  private readonly documentRef = JsonReference.parse("#");

  /** SchemaLoader.Compile for a document given inline (its reference is "#", i.e. ""). */
  constructor(document: J) {
    this.pool.parseReferences(document, this.documentRef, true);
    const draft = schemaDraft(document) ?? HYBRID;
    this.root = sub("(Root)", undefined);
    this.root.draft = draft;
    this.parse(document, this.root);
  }

  private parse(node: J, s: Sub): void {
    if (s.draft === undefined) {
      if (!s.parent) fail("Draft not set");
      s.draft = s.parent!.draft;
    }
    const draft = s.draft!;
    if (draft >= DRAFT6 && typeof node === "boolean") {
      s.pass = node;
      return;
    }
    if (!isMap(node)) return fail(template(T.parseError, { expected: "Valid Schema" }));
    const m = node;
    if (!s.parent) s.ref = s.id = this.documentRef;
    if (!s.id && s.parent) s.id = s.parent.id;
    const keyID = draft === DRAFT4 ? "id" : draft === HYBRID && m.has("id") ? "id" : "$id";
    const id = getString(m, keyID);
    if (id !== undefined) {
      const ref = JsonReference.parse(id);
      s.id = s === this.root ? ref : s.parent!.id!.inherits(ref);
    }
    if (m.has("definitions")) {
      const defs = m.get("definitions");
      if (!isMap(defs)) return invalidType("Array Of Schemas", "definitions");
      for (const k of keysOf(defs)) {
        const dv = defs.get(k)!;
        if (typeof dv !== "boolean" && !isMap(dv)) return invalidType("Array Of Schemas", "definitions");
        this.parse(dv, sub("definitions", s));
      }
    }
    getString(m, "title");
    getString(m, "description");
    const ref = getString(m, "$ref");
    if (ref !== undefined) {
      s.ref = JsonReference.parse(ref);
      const known = this.refs.get(s.ref.toString());
      if (known) s.refSchema = known;
      else return this.parseReference(s);
    }
    parseKeywords(m, s, draft, (node, property, parent) => this.child(node, property, parent));
  }

  private parseReference(s: Sub): void {
    const n = sub("$ref", s, s.ref);
    if (!this.refs.has(s.ref!.toString())) this.refs.set(s.ref!.toString(), n);
    const dsp = this.pool.getDocument(s.ref!);
    n.id = s.ref;
    n.draft = dsp.draft;
    if (typeof dsp.document !== "boolean" && !isMap(dsp.document)) fail(template(T.mustBeOfType, { key: "Valid Schema", type: "object" }));
    this.parse(dsp.document, n);
    s.refSchema = n;
  }

  private child(node: J, property: string, parent: Sub): Sub {
    const n = sub(property, parent, parent.ref);
    this.parse(node, n);
    return n;
  }
}

/**
 * json.marshal_with_options and json.patch (v1/topdown/encoding.go, json.go), and Go's
 * encoding/json output for Rego values (ast.JSON then json.Marshal), used by other builtins.
 */
import { quote } from "./go/strconv.js";
import { arr, atoi64, BuiltinError, obj, operandErr, type Registry } from "./types.js";
import { compare, compareStrings, equal, RNum, RObject, RSet, regoString, typeName, type Value } from "./value.js";

const HEX = "0123456789abcdef";

/** encoding/json string encoding (HTML-safe, as json.Marshal). */
export function goJSONString(s: string, escapeHTML = true): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xdc80 && c <= 0xdcff) out += "\\ufffd";
    else if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c < 0x20) {
      const named: Record<number, string> = { 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t" };
      out += named[c] ?? `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (escapeHTML && (ch === "<" || ch === ">" || ch === "&")) out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** ast.JSON's object key: strings as they are, other keys as their JSON text. */
function jsonKey(k: Value): string {
  return typeof k === "string" ? k : goJSON(k);
}

/** The Go-JSON view of a value: objects become string-keyed maps (sorted), sets arrays. */
function entriesOf(v: RObject): Array<[string, Value]> {
  const m = new Map<string, Value>();
  for (const [k, x] of v.entries) m.set(jsonKey(k), x);
  return [...m].sort(([a], [b]) => compareStrings(a, b));
}

/** json.Marshal(ast.JSON(v)), or MarshalIndent when `indent` is given. */
export function goJSON(v: Value, indent?: { prefix: string; indent: string }, depth = 0): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return goJSONString(v);
  if (v instanceof RNum) return v.text;
  const nl = (d: number): string => (indent ? `\n${indent.prefix}${indent.indent.repeat(d)}` : "");
  const items = Array.isArray(v) ? v : v instanceof RSet ? v.items : undefined;
  if (items) {
    if (items.length === 0) return "[]";
    return `[${items.map((x) => nl(depth + 1) + goJSON(x, indent, depth + 1)).join(",")}${nl(depth)}]`;
  }
  const entries = entriesOf(v as RObject);
  if (entries.length === 0) return "{}";
  const sep = indent ? ": " : ":";
  return `{${entries.map(([k, x]) => `${nl(depth + 1)}${goJSONString(k)}${sep}${goJSON(x, indent, depth + 1)}`).join(",")}${nl(depth)}}`;
}

function marshalWithOptions(value: Value, optsV: Value | undefined): string {
  const opts = obj(optsV, 2);
  let indent = "\t";
  let prefix = "";
  let implicit = false;
  let explicit = false;
  let pretty = false;
  opts.entries.forEach(([k, v], idx) => {
    if (typeof k !== "string") {
      throw operandErr(2, `failed to stringify key ${regoString(k)} at index ${idx}: operand ${idx} must be string but got ${typeName(k)}`);
    }
    switch (k) {
      case "prefix":
      case "indent":
        if (typeof v !== "string") throw operandErr(2, `key ${quote(k)} failed cast to string: operand ${idx} must be string but got ${typeName(v)}`);
        if (k === "prefix") prefix = v;
        else indent = v;
        implicit = true;
        break;
      case "pretty":
        explicit = true;
        if (typeof v !== "boolean") throw operandErr(2, `key ${quote(k)} failed cast to bool`);
        pretty = v;
        break;
      default:
        throw operandErr(2, `object contained unknown key ${quote(k)}`);
    }
  });
  if (!explicit) pretty = implicit;
  return pretty ? prefix + goJSON(value, { prefix, indent }) : goJSON(value);
}

// ---------------------------------------------------------------- json.patch

const GO_TYPE: Record<string, string> = { string: "ast.String", number: "ast.Number", boolean: "ast.Boolean", null: "ast.Null" };

function goType(v: Value): string {
  return GO_TYPE[typeName(v)] ?? typeName(v);
}

function parsePath(p: Value | undefined): Value[] {
  if (typeof p === "string") {
    if (p === "") return [];
    return p.replace(/^\/+/, "").split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  if (Array.isArray(p)) return p;
  throw operandErr(2, `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p ?? null)}`);
}

function toIndex(length: number, key: Value): number {
  if (key instanceof RNum) {
    const i = atoi64(key.text);
    if (i === undefined) throw new BuiltinError("invalid number type for indexing");
    return Number(i);
  }
  if (typeof key === "string") {
    if (key === "-") return length;
    const i = atoi64(key);
    if (i === undefined) throw new BuiltinError("invalid string for indexing");
    if (key !== "0" && key.startsWith("0")) throw new BuiltinError("leading zeros are not allowed in JSON paths");
    return Number(i);
  }
  throw new BuiltinError("invalid type for indexing");
}

function child(node: Value, key: Value): Value {
  if (node instanceof RObject) {
    const v = node.get(key);
    if (v === undefined) throw new BuiltinError(`path ${regoString(key)} does not exist in object term ${regoString(node)}`);
    return v;
  }
  if (node instanceof RSet) {
    if (!node.has(key)) throw new BuiltinError(`path ${regoString(key)} does not exist in set term ${regoString(node)}`);
    return key;
  }
  if (Array.isArray(node)) {
    const i = toIndex(node.length, key);
    if (i < 0 || i >= node.length) throw new BuiltinError(`path ${i} does not exist in array term ${regoString(node)}`);
    return node[i]!;
  }
  throw new BuiltinError(`expected composite type for path ${regoString(key)}, found value: ${regoString(node)} (type: ${goType(node)})`);
}

/** Rebuilds `root` with `f` applied to the node at `path` (which must exist). */
function update(root: Value, path: readonly Value[], f: (node: Value) => Value): Value {
  if (path.length === 0) return f(root);
  const [key, ...rest] = path as [Value, ...Value[]];
  const next = update(child(root, key), rest, f);
  if (root instanceof RObject) return new RObject([...root.entries, [key, next]]);
  if (root instanceof RSet) return new RSet([...root.items.filter((x) => !equal(x, key)), next]);
  const i = toIndex((root as Value[]).length, key);
  return (root as Value[]).map((x, k) => (k === i ? next : x));
}

function insert(node: Value, key: Value, value: Value): Value {
  if (node instanceof RObject) return new RObject([...node.entries, [key, value]]);
  if (node instanceof RSet) {
    if (!equal(key, value)) throw new BuiltinError(`set key ${regoString(key)} does not equal value to be inserted ${regoString(value)}`);
    return new RSet([...node.items, value]);
  }
  if (Array.isArray(node)) {
    const i = toIndex(node.length, key);
    if (i < 0 || i > node.length) throw new BuiltinError("index for array insertion out of bounds");
    return [...node.slice(0, i), value, ...node.slice(i)];
  }
  throw new BuiltinError(`expected composite type, found value: ${regoString(node)} (type: ${goType(node)})`);
}

function remove(node: Value, key: Value): Value {
  if (node instanceof RObject) {
    if (!node.has(key)) throw new BuiltinError(`cannot delete child key ${regoString(key)} that does not exist`);
    return new RObject(node.entries.filter(([k]) => compare(k, key) !== 0));
  }
  if (node instanceof RSet) {
    if (!node.has(key)) throw new BuiltinError(`cannot delete child key ${regoString(key)} that does not exist`);
    return new RSet(node.items.filter((x) => !equal(x, key)));
  }
  if (Array.isArray(node)) {
    const i = toIndex(node.length, key);
    if (i < 0 || i > node.length - 1) throw new BuiltinError("index for array delete out of bounds");
    return node.filter((_, k) => k !== i);
  }
  throw new BuiltinError(`expected composite type, found value: ${regoString(node)} (type: ${goType(node)})`);
}

const DELETED = Symbol("deleted");
type Doc = Value | typeof DELETED;

function live(doc: Doc, op: "insert" | "delete"): Value {
  if (doc === DELETED) throw new BuiltinError(op === "insert" ? "nil value encountered where composite value was expected" : "deleted node encountered during delete operation");
  return doc;
}

function renderAt(doc: Doc, path: readonly Value[]): Value {
  let node = live(doc, "insert");
  for (const key of path) node = child(node, key);
  return node;
}

function insertAt(doc: Doc, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  return update(live(doc, "insert"), path.slice(0, -1), (n) => insert(n, path[path.length - 1]!, value));
}

function deleteAt(doc: Doc, path: readonly Value[]): Doc {
  if (path.length === 0) {
    live(doc, "delete");
    return DELETED;
  }
  return update(live(doc, "insert"), path.slice(0, -1), (n) => remove(n, path[path.length - 1]!));
}

function patch(source: Value, operations: Value[]): Value | undefined {
  let doc: Doc = source;
  for (const opV of operations) {
    if (!(opV instanceof RObject)) throw new BuiltinError("must be an array of JSON-Patch objects, but at least one element is not an object");
    if (!opV.has("path")) throw new BuiltinError("missing required attribute 'path'");
    const op = opV.get("op");
    if (op === undefined) throw new BuiltinError("missing required attribute 'op'");
    if (typeof op !== "string") throw new BuiltinError(`attribute 'op' must be a string but found: ${typeName(op)}`);
    const path = parsePath(opV.get("path"));
    const value = (): Value => {
      const v = opV.get("value");
      if (v === undefined) throw new BuiltinError("missing required attribute 'value'");
      return v;
    };
    const from = (): Value[] => {
      const f = opV.get("from");
      if (f === undefined) throw new BuiltinError("missing required attribute 'from'");
      return parsePath(f);
    };
    switch (op) {
      case "add":
        doc = insertAt(doc, path, value());
        break;
      case "remove":
        doc = deleteAt(doc, path);
        break;
      case "replace":
        doc = deleteAt(doc, path);
        doc = insertAt(doc, path, value());
        break;
      case "move": {
        const f = from();
        const chunk = renderAt(doc, f);
        doc = insertAt(deleteAt(doc, f), path, chunk);
        break;
      }
      case "copy": {
        const f = from();
        doc = insertAt(doc, path, renderAt(doc, f));
        break;
      }
      case "test": {
        const chunk = renderAt(doc, path);
        const v = value();
        if (!equal(chunk, v)) throw new BuiltinError(`value from EditTree != patch value.\n\nExpected: ${regoString(v)}\n\nFound: ${regoString(chunk)}`);
        break;
      }
      default:
        throw new BuiltinError(`unrecognized op: '${op}'`);
    }
  }
  return doc === DELETED ? undefined : doc;
}

export const JSON_BUILTINS: Registry = {
  "json.marshal_with_options": ([v, o]) => marshalWithOptions(v!, o),
  "json.patch": ([s, ops]) => patch(s!, arr(ops, 2)),
};

/**
 * yaml.unmarshal / yaml.is_valid / yaml.marshal as OPA 1.22.3 does them
 * (internal/yaml on go.yaml.in/yaml/v3): v3's resolution of plain scalars (ints with
 * 0x/0o/0b and underscores, 1.2 booleans, .inf/.nan, timestamps kept as strings), merge
 * keys, duplicate keys (the last wins), map keys stringified, then JSON numbers as Go
 * writes them. Parsing itself is js-yaml's: its error messages are not v3's.
 */
import { EVENT_ID, getScalarValue, parseEvents } from "js-yaml";
import type { Event } from "js-yaml";
import { formatFloat } from "./go/strconv.js";
import { goJSON } from "./json.js";
import { emitYAML, naturalLess, type YValue } from "./go/yamlemit.js";
import { decodeScalar, fail, resolvePlain, YamlError, type G } from "./go/yamlresolve.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { floatValue, intValue, RNum, RObject, RSet, type Value } from "./value.js";

type YNode =
  | { k: "scalar"; value: string; tag: string; plain: boolean }
  | { k: "seq"; items: YNode[] }
  | { k: "map"; pairs: Array<[YNode, YNode]> };



function documents(text: string): Array<YNode | undefined> {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: 10000 });
  } catch (e) {
    throw new YamlError(`yaml: ${(e as Error).message.split("\n")[0]}`);
  }
  const docs: Array<YNode | undefined> = [];
  const anchors = new Map<string, YNode>();
  const stack: Array<{ node: YNode | undefined; key?: YNode; doc?: true }> = [];
  const tagOf = (start: number, end: number): string => {
    if (start < 0) return "";
    const t = text.slice(start, end);
    if (t.startsWith("!<tag:yaml.org,2002:")) return `!!${t.slice(20, -1)}`;
    return t;
  };
  const place = (n: YNode): void => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.doc) top.node = n;
    else if (top.node!.k === "seq") top.node!.items.push(n);
    else if (top.key === undefined) top.key = n;
    else {
      (top.node as { pairs: Array<[YNode, YNode]> }).pairs.push([top.key, n]);
      top.key = undefined;
    }
  };
  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        stack.push({ node: undefined, doc: true });
        break;
      case EVENT_ID.POP: {
        const done = stack.pop()!;
        if (done.doc) docs.push(done.node);
        else place(done.node!);
        break;
      }
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const node: YNode = ev.type === EVENT_ID.SEQUENCE ? { k: "seq", items: [] } : { k: "map", pairs: [] };
        if (ev.anchorStart >= 0) anchors.set(text.slice(ev.anchorStart, ev.anchorEnd), node);
        stack.push({ node });
        break;
      }
      case EVENT_ID.SCALAR: {
        const node: YNode = { k: "scalar", value: getScalarValue(text, ev), tag: tagOf(ev.tagStart, ev.tagEnd), plain: ev.style === 1 };
        if (ev.anchorStart >= 0) anchors.set(text.slice(ev.anchorStart, ev.anchorEnd), node);
        place(node);
        break;
      }
      case EVENT_ID.ALIAS: {
        const target = anchors.get(text.slice(ev.anchorStart, ev.anchorEnd));
        if (!target) fail(`yaml: unknown anchor '${text.slice(ev.anchorStart, ev.anchorEnd)}' referenced`);
        place(target!);
        break;
      }
    }
  }
  return docs;
}

function decode(n: YNode, depth = 0): G {
  if (depth > 10000) fail("yaml: exceeded max depth");
  if (n.k === "scalar") {
    const v = decodeScalar(n);
    return v === "merge" ? "<<" : v;
  }
  if (n.k === "seq") return n.items.map((x) => decode(x, depth + 1));
  const out = new Map<G, G>();
  const set = new Set<string>();
  const keyOf = (k: G): string => JSON.stringify(k, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
  const merges: YNode[] = [];
  const pairs = dedupe(n.pairs);
  for (const [kn, vn] of pairs) {
    if (kn.k === "scalar" && kn.plain && kn.tag === "" && kn.value === "<<") {
      merges.push(vn);
      continue;
    }
    const k = decode(kn, depth + 1);
    if (Array.isArray(k) || k instanceof Map) fail("yaml: invalid map key");
    out.set(lookupKey(out, k), decode(vn, depth + 1));
    set.add(keyOf(k));
  }
  for (const m of merges.flatMap((x) => (x.k === "seq" ? x.items : [x]))) {
    if (m.k !== "map") fail("yaml: map merge requires map or sequence of maps as the value");
    const merged = decode(m, depth + 1) as Map<G, G>;
    for (const [k, v] of merged) {
      if (set.has(keyOf(k))) continue;
      set.add(keyOf(k));
      out.set(k, v);
    }
  }
  return out;
}

/** The same key (by value) already in the map, so that a later one replaces it. */
function lookupKey(m: Map<G, G>, k: G): G {
  const s = JSON.stringify(k, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
  for (const existing of m.keys()) if (JSON.stringify(existing, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)) === s) return existing;
  return k;
}

/** OPA's dedupeKeys: a repeated scalar key takes the last value, at the first key's place. */
function dedupe(pairs: Array<[YNode, YNode]>): Array<[YNode, YNode]> {
  const out: Array<[YNode, YNode]> = [];
  const seen = new Map<string, number>();
  for (const [k, v] of pairs) {
    if (k.k === "scalar" && !(k.plain && k.tag === "" && k.value === "<<")) {
      let id: string | undefined;
      try {
        id = keyString(decode(k));
      } catch {
        id = undefined;
      }
      if (id !== undefined) {
        const at = seen.get(id);
        if (at !== undefined) {
          out[at] = [out[at]![0], v];
          continue;
        }
        seen.set(id, out.length);
      }
    }
    out.push([k, v]);
  }
  return out;
}

function keyString(k: G): string | undefined {
  if (typeof k === "string") return k;
  if (typeof k === "boolean") return String(k);
  if (k !== null && typeof k === "object" && "int" in k) return k.int.toString();
  if (k !== null && typeof k === "object" && "float" in k) {
    const f = Math.fround(k.float);
    if (Number.isNaN(f)) return ".nan";
    if (!Number.isFinite(f)) return f > 0 ? ".inf" : "-.inf";
    return shortestFloat32(f);
  }
  return undefined;
}

/** strconv.FormatFloat(f, 'g', -1, 32) */
function shortestFloat32(f: number): string {
  for (let p = 1; p <= 17; p++) {
    const s = formatFloat(f, "g", p - 1 < 0 ? 0 : p);
    if (Math.fround(Number(s)) === f) return formatFloat(Number(s), "g", -1);
  }
  return formatFloat(f, "g", -1);
}

/** jsonable, json.Marshal, and OPA's JSON decoding into a Rego value. */
function toValue(g: G): Value {
  if (g === null || typeof g === "boolean" || typeof g === "string") return g;
  if (Array.isArray(g)) return g.map(toValue);
  if (g instanceof Map) {
    const entries: Array<[Value, Value]> = [];
    for (const [k, v] of g) {
      const ks = keyString(k);
      if (ks === undefined) fail(`unsupported map key of type: <nil>, key: <nil>, value: ${String(v)}`);
      entries.push([ks!, toValue(v)]);
    }
    return new RObject(entries);
  }
  if ("int" in g) return intValue(g.int);
  const f = g.float;
  if (!Number.isFinite(f)) return fail(`json: unsupported value: ${Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf"}`);
  return goJSONFloat(f);
}

/** encoding/json's float64 text. */
function goJSONFloat(f: number): RNum {
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return new RNum(formatFloat(f, "e", -1).replace(/e-0(\d)$/, "e-$1"));
  return new RNum(formatFloat(f, "f", -1));
}

function unmarshal(text: string): Value {
  const docs = documents(text);
  const first = docs[0];
  return first === undefined ? null : toValue(decode(first));
}

// ---------------------------------------------------------------- marshal

/**
 * OPA marshals through JSON and reads that back with go-yaml: a raw U+0085 (which Go's JSON
 * leaves unescaped) is a line break inside the double-quoted scalar, folded like any other.
 */
function throughJSON(s: string): string {
  if (!s.includes("\u0085")) return s;
  return s.replace(/[ \t]*((?:\u0085[ \t]*)+)/g, (_m, breaks: string) => {
    const n = (breaks.match(/\u0085/g) ?? []).length;
    return n === 1 ? " " : "\n".repeat(n - 1);
  });
}

function toYValue(v: Value): YValue {
  if (v === null) return { t: "null" };
  if (typeof v === "boolean") return { t: "bool", v };
  if (typeof v === "string") return { t: "str", v: throughJSON(v) };
  if (v instanceof RNum) {
    const r = resolvePlain(v.text);
    if (typeof r === "string") return { t: "str", v: r };
    if (r !== null && typeof r === "object" && "int" in r) return { t: "num", text: r.int.toString() };
    const f = r !== null && typeof r === "object" && "float" in r ? r.float : Number(v.text);
    return { t: "num", text: floatValue(f).text };
  }
  if (Array.isArray(v)) return { t: "seq", items: v.map(toYValue) };
  if (v instanceof RSet) return { t: "seq", items: v.items.map(toYValue) };
  const m = new Map<string, YValue>();
  for (const [k, x] of v.entries) m.set(throughJSON(typeof k === "string" ? k : goJSON(k)), toYValue(x));
  const entries = [...m].sort(([a], [b]) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  return { t: "map", entries };
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof YamlError) throw new BuiltinError(e.message);
    throw e;
  }
}

export const YAML_BUILTINS: Registry = {
  "yaml.unmarshal": ([s]) => wrap(() => unmarshal(str(s, 1))),
  "yaml.is_valid": ([s]) => {
    if (typeof s !== "string") return false;
    try {
      unmarshal(s);
      return true;
    } catch (e) {
      if (e instanceof YamlError) return false;
      throw e;
    }
  },
  "yaml.marshal": ([v]) => wrap(() => emitYAML(toYValue(v!))),
};

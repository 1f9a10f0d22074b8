/**
 * JSON documents as gojsonschema sees them: decoded with UseNumber (numbers keep their
 * text), objects as Go maps, and encoding/json's Marshal for `const`, `enum` and
 * `uniqueItems` comparisons.
 */
import { goJSON, goJSONString } from "../json.js";
import { formatFloat } from "../go/strconv.js";
import { compareStrings, RNum, RSet, type RObject, type Value } from "../value.js";

/** json.Number: the number's text. */
export class JNum {
  constructor(readonly text: string) {}
}

export type J = null | boolean | string | JNum | J[] | JMap;
export type JMap = Map<string, J>;

export class DocError extends Error {}

export const isMap = (x: J | undefined): x is JMap => x instanceof Map;

/** Keys in a fixed order where Go ranges over a map (Go's order is random). */
export function keysOf(m: JMap): string[] {
  return [...m.keys()].sort(compareStrings);
}

// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** json.Valid, then decoding with UseNumber (duplicate keys: the last wins). */
export function parseJSONText(text: string): J {
  let i = 0;
  const fail = (): never => {
    throw new DocError("invalid JSON string");
  };
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return fail();
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): J => {
    if (depth > 10000) fail();
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const m: JMap = new Map();
      ws();
      if (text[i] === "}") {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i++] !== ":") fail();
        m.set(k, value(depth + 1));
        ws();
        const d = text[i++];
        if (d === "}") return m;
        if (d !== ",") fail();
      }
    }
    if (c === "[") {
      i++;
      const a: J[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        const d = text[i++];
        if (d === "]") return a;
        if (d !== ",") fail();
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail();
    i += m[0].length;
    return new JNum(m[0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail();
  return v;
}

/** ast.JSON of a Rego value (non-string keys as their JSON text), then through json.Marshal and back (NewGoLoader). */
export function fromValue(v: Value): J {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (v instanceof RNum) return new JNum(v.text);
  if (Array.isArray(v)) return v.map(fromValue);
  if (v instanceof RSet) return v.items.map(fromValue);
  const m: JMap = new Map();
  for (const [k, x] of (v as RObject).entries) {
    m.set(typeof k === "string" ? k : goJSON(k), fromValue(x));
  }
  return m;
}

/** json.Marshal: keys sorted, HTML-safe strings, json.Number as written. */
export function marshal(x: J): string {
  if (x === null) return "null";
  if (typeof x === "boolean") return x ? "true" : "false";
  if (typeof x === "string") return goJSONString(x);
  if (x instanceof JNum) return x.text;
  if (Array.isArray(x)) return `[${x.map(marshal).join(",")}]`;
  return `{${keysOf(x).map((k) => `${goJSONString(k)}:${marshal(x.get(k)!)}`).join(",")}}`;
}

/** encoding/json's float64 encoding (strconv 'f' between 1e-6 and 1e21, else 'e' with a short exponent). */
function goJSONFloat(f: number): string {
  const a = Math.abs(f);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) return formatFloat(f, "e", -1).replace(/e([+-])0(\d)$/, "e$1$2");
  return formatFloat(f, "f", -1);
}

/** marshalWithoutNumber: marshalled, decoded without UseNumber (float64), marshalled again. */
export function marshalWithoutNumber(x: J): string {
  if (x instanceof JNum) {
    const f = Number(x.text);
    if (!Number.isFinite(f)) throw new DocError(`json: cannot unmarshal number ${x.text} into Go value of type float64`);
    return goJSONFloat(f);
  }
  if (Array.isArray(x)) return `[${x.map(marshalWithoutNumber).join(",")}]`;
  if (isMap(x)) return `{${keysOf(x).map((k) => `${goJSONString(k)}:${marshalWithoutNumber(x.get(k)!)}`).join(",")}}`;
  return marshal(x);
}

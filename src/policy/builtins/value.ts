/**
 * Rego values as the host builtins see them. JSON loses what OPA's builtins depend on
 * (sets, non-string object keys, the text of a number such as `1.0` or a 30-digit
 * integer), so values cross the wasm boundary in Rego syntax (`opa_value_dump` /
 * `opa_value_parse`) and are held here as:
 * null, boolean, string, `RNum` (the number's text), arrays, `RSet`, `RObject`.
 * Sets and objects are kept in OPA's canonical order (ast.Compare), as OPA prints them.
 */
import { quote } from "./go/strconv.js";

export class RNum {
  constructor(readonly text: string) {}
}

export type Value = null | boolean | string | RNum | Value[] | RSet | RObject;

export class RSet {
  /** Sorted by `compare`, without duplicates. */
  readonly items: readonly Value[];
  constructor(items: Iterable<Value>) {
    this.items = canonical([...items]);
  }
  has(v: Value): boolean {
    return binarySearch(this.items, v, (x) => x) >= 0;
  }
  get size(): number {
    return this.items.length;
  }
}

export class RObject {
  /** Sorted by key (`compare`), keys unique; a later duplicate key wins. */
  readonly entries: ReadonlyArray<readonly [Value, Value]>;
  constructor(entries: Iterable<readonly [Value, Value]>) {
    const list = [...entries];
    const sorted = list
      .map((e, i) => [e, i] as const)
      .sort((a, b) => compare(a[0][0], b[0][0]) || a[1] - b[1])
      .map(([e]) => e);
    const out: Array<readonly [Value, Value]> = [];
    for (const e of sorted) {
      const last = out[out.length - 1];
      if (last && compare(last[0], e[0]) === 0) out[out.length - 1] = e;
      else out.push(e);
    }
    this.entries = out;
  }
  static of(record: Record<string, Value>): RObject {
    return new RObject(Object.entries(record));
  }
  get(key: Value): Value | undefined {
    const i = binarySearch(this.entries, key, (e) => e[0]);
    return i >= 0 ? this.entries[i]![1] : undefined;
  }
  has(key: Value): boolean {
    return binarySearch(this.entries, key, (e) => e[0]) >= 0;
  }
  get size(): number {
    return this.entries.length;
  }
  keys(): Value[] {
    return this.entries.map((e) => e[0]);
  }
}

function binarySearch<T>(list: readonly T[], key: Value, get: (t: T) => Value): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(get(list[mid]!), key);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function canonical(items: Value[]): Value[] {
  items.sort(compare);
  const out: Value[] = [];
  for (const v of items) if (out.length === 0 || compare(out[out.length - 1]!, v) !== 0) out.push(v);
  return out;
}

// ---------------------------------------------------------------- numbers

/** A number's exact decimal value: (-1)^neg × digits × 10^exp. */
export interface Decimal {
  neg: boolean;
  digits: bigint;
  exp: number;
}

const NUMBER_RE = /^(-)?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function parseDecimal(text: string): Decimal | undefined {
  const m = NUMBER_RE.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  const exp = Number(m[4] ?? "0") - frac.length;
  if (!Number.isFinite(exp)) return undefined;
  return { neg: m[1] === "-", digits: BigInt(m[2]! + frac), exp };
}

function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = a.digits === 0n ? 0 : a.neg ? -1 : 1;
  const sb = b.digits === 0n ? 0 : b.neg ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Compare magnitudes: align exponents (bounded: exponents this far apart cannot be equal).
  const ma = magnitude(a);
  const mb = magnitude(b);
  let c: number;
  if (ma !== mb) c = ma < mb ? -1 : 1;
  else {
    const e = Math.min(a.exp, b.exp);
    const x = a.digits * 10n ** BigInt(a.exp - e);
    const y = b.digits * 10n ** BigInt(b.exp - e);
    c = x === y ? 0 : x < y ? -1 : 1;
  }
  return sa < 0 ? -c : c;
}

/** Position of the leading digit: floor(log10(|x|)). */
function magnitude(d: Decimal): number {
  return d.digits.toString().length - 1 + d.exp;
}

export function compareNumbers(a: RNum, b: RNum): number {
  if (a.text === b.text) return 0;
  const x = parseDecimal(a.text);
  const y = parseDecimal(b.text);
  if (x && y) return compareDecimal(x, y);
  const fx = Number(a.text);
  const fy = Number(b.text);
  return fx === fy ? 0 : fx < fy ? -1 : 1;
}

/** Go string order (UTF-8 bytes, i.e. code points), not UTF-16 code units. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// ---------------------------------------------------------------- types and order

export type TypeName = "null" | "boolean" | "number" | "string" | "array" | "object" | "set";

export function typeName(v: Value): TypeName {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "string":
      return "string";
  }
  if (v instanceof RNum) return "number";
  if (Array.isArray(v)) return "array";
  if (v instanceof RSet) return "set";
  return "object";
}

const ORDER: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 7, object: 8, set: 9 };

/** ast.Compare. */
export function compare(a: Value, b: Value): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return ORDER[ta] < ORDER[tb] ? -1 : 1;
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "number":
      return compareNumbers(a as RNum, b as RNum);
    case "string":
      return compareStrings(a as string, b as string);
    case "array":
      return compareLists(a as Value[], b as Value[]);
    case "set":
      return compareLists((a as RSet).items, (b as RSet).items);
    case "object": {
      const x = (a as RObject).entries;
      const y = (b as RObject).entries;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i]![0], y[i]![0]) || compare(x[i]![1], y[i]![1]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}

function compareLists(a: readonly Value[], b: readonly Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function equal(a: Value, b: Value): boolean {
  return compare(a, b) === 0;
}

// ---------------------------------------------------------------- Rego text

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Rego text that `opa_value_parse` reads back as the same value. A string that is not
 * UTF-8 (see go/utf8.ts) cannot be: the policy's parser refuses it, so it gets U+FFFD.
 */
export function toRegoText(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return JSON.stringify(v.replace(LONE_SURROGATE, "\ufffd"));
  if (v instanceof RNum) return v.text;
  if (Array.isArray(v)) return `[${v.map(toRegoText).join(",")}]`;
  if (v instanceof RSet) return v.size === 0 ? "set()" : `{${v.items.map(toRegoText).join(",")}}`;
  return `{${v.entries.map(([k, x]) => `${toRegoText(k)}:${toRegoText(x)}`).join(",")}}`;
}

/** Plain JSON (for values that need a JSON document: marshalling, schemas, patches). */
export function toJS(v: Value): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (v instanceof RNum) return Number(v.text);
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof RSet) return v.items.map(toJS);
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.entries) out[typeof k === "string" ? k : toRegoText(k)] = toJS(x);
  return out;
}

/** From parsed JSON (numbers as JS numbers, formatted as Go formats a float64 or int). */
export function fromJS(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === "boolean" || typeof x === "string") return x;
  if (typeof x === "number") return numberValue(x);
  if (typeof x === "bigint") return new RNum(x.toString());
  if (Array.isArray(x)) return x.map(fromJS);
  if (x instanceof RNum || x instanceof RSet || x instanceof RObject) return x;
  return new RObject(Object.entries(x as Record<string, unknown>).map(([k, y]) => [k, fromJS(y)] as const));
}

/** ast.IntNumberTerm: an integer in decimal. */
export function intValue(n: number | bigint): RNum {
  return new RNum(typeof n === "bigint" ? n.toString() : BigInt(n).toString());
}

/** ast.FloatNumberTerm: strconv.FormatFloat(f, 'g', -1, 64). */
export function floatValue(f: number): RNum {
  return new RNum(shortestG(f));
}

/** A JS number from JSON: integers as IntNumberTerm, others as FloatNumberTerm. */
export function numberValue(n: number): RNum {
  return Number.isSafeInteger(n) ? intValue(n) : floatValue(n);
}

/** strconv.FormatFloat(f, 'g', -1, 64). */
export function shortestG(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mant, e] = f.toExponential().split("e") as [string, string];
  const exp = Number(e);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let out: string;
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp >= digits.length - 1) out = digits + "0".repeat(exp - digits.length + 1);
  else if (exp >= 0) out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else out = `0.${"0".repeat(-exp - 1)}${digits}`;
  return neg ? `-${out}` : out;
}

/** ast.Value.String(): Rego syntax, object keys and set members in canonical order. */
export function regoString(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return quote(v);
  if (v instanceof RNum) return v.text;
  if (Array.isArray(v)) return `[${v.map(regoString).join(", ")}]`;
  if (v instanceof RSet) return v.size === 0 ? "set()" : `{${v.items.map(regoString).join(", ")}}`;
  return `{${v.entries.map(([k, x]) => `${regoString(k)}: ${regoString(x)}`).join(", ")}}`;
}

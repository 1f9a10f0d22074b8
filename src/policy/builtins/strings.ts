/**
 * strings.* and friends that OPA's wasm target leaves to the host (v1/topdown/strings.go,
 * glob.go), with Go's strings package semantics (byte offsets for ASCII, runes otherwise).
 */
import { runeCount } from "./go/strconv.js";
import { BuiltinError, intOperand, operandElementErr, operandTypeErr, str, type Registry } from "./types.js";
import { RSet, intValue as intNumber, type Value } from "./value.js";

function stringsOf(v: Value, pos: number): string[] {
  const items = Array.isArray(v) ? v : v instanceof RSet ? v.items : undefined;
  if (!items) throw operandTypeErr(pos, v, "array", "set");
  return items.map((x) => {
    if (typeof x !== "string") throw operandElementErr(pos, v, x, "string");
    return x;
  });
}

function anyAffixMatch(a: Value, base: Value, suffix: boolean): boolean {
  const match = suffix ? (s: string, x: string) => s.endsWith(x) : (s: string, x: string) => s.startsWith(x);
  let strs: string[];
  if (typeof a === "string") strs = [a];
  else if (Array.isArray(a) || a instanceof RSet) strs = stringsOf(a, 1);
  else throw operandTypeErr(1, a, "string", "set", "array");
  if (typeof base === "string") return strs.some((s) => match(s, base));
  if (!Array.isArray(base) && !(base instanceof RSet)) throw operandTypeErr(2, base, "string", "set", "array");
  const bases = stringsOf(base, 2);
  return strs.some((s) => bases.some((b) => match(s, b)));
}

/** strings.Count */
function count(s: string, sub: string): number {
  if (sub === "") return runeCount(s) + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** strings.SplitN (n < 0: all) */
function splitN(s0: string, sep: string, n0: number): string[] {
  let n = n0;
  let s = s0;
  if (n === 0) return [];
  if (sep === "") {
    const runes = [...s];
    if (n < 0 || n > runes.length) n = runes.length;
    if (n === 0) return [];
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join("")];
  }
  if (n < 0) n = count(s, sep) + 1;
  const out: string[] = [];
  while (out.length < n - 1) {
    const m = s.indexOf(sep);
    if (m < 0) break;
    out.push(s.slice(0, m));
    s = s.slice(m + sep.length);
  }
  out.push(s);
  return out;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

function indexOfN(base: string, search: string): number[] {
  if (search === "") throw new BuiltinError("empty search character");
  const out: number[] = [];
  if (ASCII.test(base) && ASCII.test(search)) {
    for (let offset = 0; ; ) {
      const i = base.indexOf(search, offset);
      if (i < 0) break;
      out.push(i);
      offset = i + 1;
    }
    return out;
  }
  const b = [...base];
  const s = [...search];
  for (let i = 0; i + s.length <= b.length; i++) {
    if (s.every((r, k) => b[i + k] === r)) out.push(i);
  }
  return out;
}

export const STRINGS: Registry = {
  "strings.any_prefix_match": ([a, b]) => anyAffixMatch(a!, b!, false),
  "strings.any_suffix_match": ([a, b]) => anyAffixMatch(a!, b!, true),
  "strings.count": ([s, sub]) => intNumber(count(str(s, 1), str(sub, 2))),
  "strings.split_n": ([s, d, n]) => {
    const text = str(s, 1);
    const delim = str(d, 2);
    const limit = intOperand(n, 3);
    if (limit >= 0) {
      const parts = splitN(text, delim, limit + 1 < 0 ? -1 : limit + 1);
      return parts.slice(0, Math.min(limit, parts.length));
    }
    const parts = splitN(text, delim, -1);
    return parts.slice(Math.max(parts.length + limit, 0));
  },
  indexof_n: ([b, s]) => indexOfN(str(b, 1), str(s, 2)).map(intNumber),
  "glob.quote_meta": ([p]) => str(p, 1).replace(/[*?\\[\]{}]/g, "\\$&"),
};

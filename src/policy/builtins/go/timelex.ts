/** The lexical helpers of time.Parse (time/format.go): numbers, names, zones, errors. */

export class TimeParseError extends Error {}

export const toBytes = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

/** time's own quote: bytes outside printable ASCII as \xNN. */
export function quote(b: string): string {
  let out = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += c === 0x22 || c === 0x5c ? `\\${b[i]}` : b[i];
  }
  return `${out}"`;
}

export function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): TimeParseError {
  if (message === "") {
    return new TimeParseError(`parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`);
  }
  return new TimeParseError(`parsing time ${quote(value)}${message}`);
}

export const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "9";

export const BAD = Symbol("bad");

function leadingInt(s: string): [bigint, string] | typeof BAD {
  let i = 0;
  let x = 0n;
  for (; i < s.length && isDigit(s, i); i++) {
    if (x > (1n << 63n) / 10n) return BAD;
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > 1n << 63n) return BAD;
  }
  return [x, s.slice(i)];
}

export function atoi(s0: string): number | typeof BAD {
  let s = s0;
  let neg = false;
  if (s.length > 0 && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const r = leadingInt(s);
  if (r === BAD || r[1].length > 0) return BAD;
  const x = Number(BigInt.asIntN(64, r[0]));
  return neg ? -x : x;
}

export function getnum(s: string, fixed: boolean): [number, string] | typeof BAD {
  if (!isDigit(s, 0)) return BAD;
  if (!isDigit(s, 1)) return fixed ? BAD : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

export function getnum3(s: string, fixed: boolean): [number, string] | typeof BAD {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) return BAD;
  return [n, s.slice(i)];
}

export function skip(value0: string, prefix0: string): string | typeof BAD {
  let value = value0;
  let prefix = prefix0;
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") return BAD;
      prefix = prefix.replace(/^ +/, "");
      value = value.replace(/^ +/, "");
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return BAD;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

export function lookup(tab: readonly string[], val: string): [number, string] | typeof BAD {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && matchCase(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  return BAD;
}

/** time.match: ASCII letters compare case-insensitively, anything else exactly. */
function matchCase(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const x = a.charCodeAt(i) | 0x20;
    const y = b.charCodeAt(i) | 0x20;
    if (x !== y || x < 0x61 || x > 0x7a) return false;
  }
  return true;
}

export function parseNanoseconds(value: string, nbytes0: number): { ns: number; range: string } | typeof BAD {
  if (value[0] !== "." && value[0] !== ",") return BAD;
  const nbytes = Math.min(nbytes0, 10);
  const ns = atoi(value.slice(1, nbytes));
  if (ns === BAD) return BAD;
  if (ns < 0) return { ns: 0, range: "fractional second" };
  return { ns: ns * 10 ** (10 - nbytes), range: "" };
}

function parseSignedOffset(value: string): number {
  if (value[0] !== "-" && value[0] !== "+") return 0;
  const r = leadingInt(value.slice(1));
  if (r === BAD || r[1] === value.slice(1) || r[0] > 23n) return 0;
  return value.length - r[1].length;
}

export function parseTimeZone(value: string): number | undefined {
  if (value.length < 3) return undefined;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === "+" || value[0] === "-") {
    const n = parseSignedOffset(value);
    return n > 0 ? n : undefined;
  }
  let n = 0;
  while (n < 6 && n < value.length && value[n]! >= "A" && value[n]! <= "Z") n++;
  if (n === 5 && value[4] === "T") return 5;
  if (n === 4 && (value[3] === "T" || value.startsWith("WITA"))) return 4;
  if (n === 3) return 3;
  return undefined;
}

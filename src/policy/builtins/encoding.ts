/** hex.*, base64url.encode_no_pad and urlquery.* (v1/topdown/encoding.go; Go's net/url, encoding/hex). */
import { bytesOf, stringOf } from "./go/utf8.js";
import { sprintf } from "./go/fmt.js";
import { quote } from "./go/strconv.js";
import { goJSON } from "./json.js";
import { BuiltinError, operandErr, operandTypeErr, str, type Registry } from "./types.js";
import { RObject, RSet, compareStrings, type Value } from "./value.js";

const HEX = "0123456789ABCDEF";

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of bytesOf(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** url.QueryUnescape */
export function queryUnescape(s: string): string {
  const bytes = bytesOf(s);
  const ishex = (i: number): boolean => i < bytes.length && /[0-9a-fA-F]/.test(String.fromCharCode(bytes[i]!));
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25) {
      if (i + 2 >= bytes.length || !ishex(i + 1) || !ishex(i + 2)) {
        const bad = stringOf(bytes.slice(i, Math.min(i + 3, bytes.length)));
        throw new BuiltinError(`invalid URL escape ${quote(bad)}`);
      }
      out.push(parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16));
      i += 2;
    } else out.push(b === 0x2b ? 0x20 : b);
  }
  return stringOf(Uint8Array.from(out));
}

function encodeObject(v: Value): string {
  if (!(v instanceof RObject)) throw operandTypeErr(1, v, "object");
  const valuesErr = operandErr(1, "values must be string, array[string], or set[string]");
  const pairs: Array<[string, string[]]> = [];
  for (const [k0, x] of v.entries) {
    const k = typeof k0 === "string" ? k0 : goJSON(k0);
    if (typeof x === "string") pairs.push([k, [x]]);
    else if (Array.isArray(x) || x instanceof RSet) {
      const items = Array.isArray(x) ? x : x.items;
      pairs.push([k, items.map((i) => {
        if (typeof i !== "string") throw valuesErr;
        return i;
      })]);
    } else throw valuesErr;
  }
  pairs.sort(([a], [b]) => compareStrings(a, b));
  return pairs
    .filter(([, vs]) => vs.length > 0)
    .flatMap(([k, vs]) => vs.map((x) => `${queryEscape(k)}=${queryEscape(x)}`))
    .join("&");
}

function decodeObject(query: string): RObject {
  if ((query.match(/&/g)?.length ?? 0) + 1 > 10000) throw new BuiltinError("number of URL query parameters exceeded limit");
  const m = new Map<string, string[]>();
  let err: BuiltinError | undefined;
  for (const key0 of query.split("&")) {
    if (key0.includes(";")) {
      err = new BuiltinError("invalid semicolon separator in query");
      continue;
    }
    if (key0 === "") continue;
    const eq = key0.indexOf("=");
    try {
      const key = queryUnescape(eq < 0 ? key0 : key0.slice(0, eq));
      const value = queryUnescape(eq < 0 ? "" : key0.slice(eq + 1));
      m.set(key, [...(m.get(key) ?? []), value]);
    } catch (e) {
      if (!(e instanceof BuiltinError)) throw e;
      err ??= e;
    }
  }
  if (err) throw err;
  return new RObject([...m].map(([k, vs]) => [k, vs] as const));
}

function hexDecode(s: string): string {
  const bytes = bytesOf(s);
  const out = new Uint8Array(bytes.length >> 1);
  const val = (c: number): number => {
    if (c >= 0x30 && c <= 0x39) return c - 0x30;
    if (c >= 0x61 && c <= 0x66) return c - 0x57;
    if (c >= 0x41 && c <= 0x46) return c - 0x37;
    return -1;
  };
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    const a = val(bytes[i]!);
    const b = val(bytes[i + 1]!);
    if (a < 0) throw new BuiltinError(`encoding/hex: invalid byte: ${invalidByte(bytes[i]!)}`);
    if (b < 0) throw new BuiltinError(`encoding/hex: invalid byte: ${invalidByte(bytes[i + 1]!)}`);
    out[i >> 1] = (a << 4) | b;
  }
  if (bytes.length % 2 === 1) {
    if (val(bytes[i]!) < 0) throw new BuiltinError(`encoding/hex: invalid byte: ${invalidByte(bytes[i]!)}`);
    throw new BuiltinError("encoding/hex: odd length hex string");
  }
  return stringOf(out);
}

/** hex.InvalidByteError: fmt.Sprintf("encoding/hex: invalid byte: %#U", rune(e)) */
function invalidByte(b: number): string {
  return sprintf("%#U", [{ t: "int64", v: BigInt(b) }]);
}

export const ENCODING: Registry = {
  "base64url.encode_no_pad": ([s]) => Buffer.from(bytesOf(str(s, 1))).toString("base64url"),
  "hex.encode": ([s]) => Buffer.from(bytesOf(str(s, 1))).toString("hex"),
  "hex.decode": ([s]) => hexDecode(str(s, 1)),
  "urlquery.encode": ([s]) => queryEscape(str(s, 1)),
  "urlquery.decode": ([s]) => queryUnescape(str(s, 1)),
  "urlquery.encode_object": ([o]) => encodeObject(o!),
  "urlquery.decode_object": ([s]) => decodeObject(str(s, 1)),
};

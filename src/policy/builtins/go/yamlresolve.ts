/**
 * go-yaml v3's resolution of scalars (resolve.go and decode.go): plain scalars to null,
 * booleans, ints (0x/0o/0b, underscores), floats (.inf/.nan), timestamps; explicit tags.
 */
import { parseTime } from "./timeparse.js";
import { format } from "./timefmt.js";
import { stringOf } from "./utf8.js";
import { setPlainCheck } from "./yamlemit.js";

/** A decoded Go value (what v3 puts into an interface{}). */
export type G = null | boolean | string | { int: bigint } | { float: number } | G[] | Map<G, G>;

export class YamlError extends Error {}
export const fail = (msg: string): never => {
  throw new YamlError(msg);
};

const RESOLVE_MAP: Record<string, G | "merge"> = {
  true: true, True: true, TRUE: true, false: false, False: false, FALSE: false, "": null, "~": null, null: null, Null: null, NULL: null,
  ".nan": { float: NaN }, ".NaN": { float: NaN }, ".NAN": { float: NaN }, ".inf": { float: Infinity }, ".Inf": { float: Infinity },
  ".INF": { float: Infinity }, "+.inf": { float: Infinity }, "+.Inf": { float: Infinity }, "+.INF": { float: Infinity },
  "-.inf": { float: -Infinity }, "-.Inf": { float: -Infinity }, "-.INF": { float: -Infinity }, "<<": "merge",
};
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const I64 = [-(1n << 63n), (1n << 63n) - 1n] as const;

/** strconv.ParseInt(s, base, 64) / ParseUint: undefined when invalid or out of range. */
function parseGoInt(s0: string, base0: number, unsigned: boolean): bigint | undefined {
  let s = s0;
  let neg = false;
  if (!unsigned && (s[0] === "+" || s[0] === "-")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let base = base0;
  if (base === 0) {
    base = 10;
    if (/^0[xX]/.test(s)) [base, s] = [16, s.slice(2)];
    else if (/^0[oO]/.test(s)) [base, s] = [8, s.slice(2)];
    else if (/^0[bB]/.test(s)) [base, s] = [2, s.slice(2)];
    else if (/^0\d/.test(s)) [base, s] = [8, s.slice(1)];
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!digits.test(s)) return undefined;
  const v = [...s].reduce((acc, c) => acc * BigInt(base) + BigInt(parseInt(c, 16)), 0n);
  const r = neg ? -v : v;
  if (unsigned) return r <= (1n << 64n) - 1n ? r : undefined;
  return r >= I64[0] && r <= I64[1] ? r : undefined;
}

function parseGoFloat(s: string): number | undefined {
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

/** v3 resolve(tag, in) for untagged plain scalars: the Go value, or "merge", or "timestamp". */
export function resolvePlain(s: string): G | "merge" | "timestamp" {
  if (Object.hasOwn(RESOLVE_MAP, s)) return RESOLVE_MAP[s]!;
  const c = s[0] ?? "";
  if (c === ".") {
    const f = /^\.\d/.test(s) ? parseGoFloat(s) : undefined;
    return f !== undefined ? { float: f } : s;
  }
  if (!/^[-+0-9]/.test(c)) return s;
  if (/^\d{4}-/.test(s) && isTimestamp(s)) return "timestamp";
  const plain = s.replaceAll("_", "");
  const i = parseGoInt(plain, 0, false) ?? parseGoInt(plain, 0, true);
  if (i !== undefined) return { int: i };
  if (YAML_FLOAT.test(plain)) {
    const f = parseGoFloat(plain);
    if (f !== undefined) return { float: f };
  }
  for (const [prefix, base] of [["0b", 2], ["0o", 8]] as const) {
    if (plain.startsWith(prefix)) {
      const v = parseGoInt(plain.slice(2), base, false) ?? parseGoInt(plain.slice(2), base, true);
      if (v !== undefined) return { int: v };
    } else if (plain.startsWith(`-${prefix}`)) {
      const v = parseGoInt(`-${plain.slice(3)}`, base, false);
      if (v !== undefined) return { int: v };
    }
  }
  return s;
}

const TIMESTAMPS = ["2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"];

function isTimestamp(s: string): boolean {
  return TIMESTAMPS.some((f) => {
    try {
      parseTime(f, s);
      return true;
    } catch {
      return false;
    }
  });
}

setPlainCheck((s) => {
  const r = resolvePlain(s);
  return typeof r === "string" && r !== "merge" && r !== "timestamp" && !/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s) && !OLD_BOOLS.has(s);
});
const OLD_BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);

// ---------------------------------------------------------------- decode (v3 into interface{})

export function decodeScalar(n: { value: string; tag: string; plain: boolean }): G | "merge" {
  let tag = n.tag;
  if (tag === "!" || (tag === "" && !n.plain)) tag = "!!str";
  if (tag === "") {
    const r = resolvePlain(n.value);
    return r === "timestamp" ? n.value : r;
  }
  switch (tag) {
    case "!!str":
      return n.value;
    case "!!binary": {
      const clean = n.value.replace(/\s/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return fail("yaml: !!binary value contains invalid base64 data");
      return stringOf(Buffer.from(clean, "base64"));
    }
    case "!!timestamp": {
      for (const f of TIMESTAMPS) {
        try {
          return format(parseTime(f, n.value), "2006-01-02T15:04:05.999999999Z07:00");
        } catch {
          /* next layout */
        }
      }
      return fail(`yaml: cannot decode !!str \`${n.value}\` as a !!timestamp`);
    }
    case "!!int":
    case "!!float":
    case "!!bool":
    case "!!null": {
      const r = resolvePlain(n.value);
      const got = r === null ? "!!null" : typeof r === "boolean" ? "!!bool" : typeof r === "string" ? "!!str" : "int" in (r as object) ? "!!int" : "!!float";
      if (got === tag) return r === "timestamp" ? n.value : (r as G);
      if (tag === "!!float" && got === "!!int") return { float: Number((r as { int: bigint }).int) };
      return fail(`yaml: cannot decode ${got} \`${n.value}\` as a ${tag}`);
    }
    default:
      return n.value;
  }
}

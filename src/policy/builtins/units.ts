/**
 * units.parse (math/big.Rat, exact) and units.parse_bytes (math/big.Float with 64-bit
 * mantissas, rounded as Go rounds them), from v1/topdown/parse_units.go and parse_bytes.go.
 */
import { bigFloatMul, parseBigFloat } from "./go/bigfloat.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { RNum } from "./value.js";

const KI = 1n << 10n;
const MI = 1n << 20n;
const GI = 1n << 30n;
const TI = 1n << 40n;
const PI = 1n << 50n;
const EI = 1n << 60n;

/** extractNumAndUnit: the leading number (digits, '.', exponent) and the rest. */
function extractNumAndUnit(s: string, exponentTooLarge: () => never): [string, string] {
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
  let first = -1;
  for (let idx = 0; idx < s.length; idx++) {
    const r = s[idx]!;
    if (!isDigit(r) && r !== "." && r !== "e" && r !== "E" && r !== "+" && r !== "-") {
      first = idx;
      break;
    }
    if (r === "e" || r === "E") {
      const next = s[idx + 1];
      if (idx === s.length - 1 || (!isDigit(next) && next !== "+" && next !== "-")) {
        first = idx;
        break;
      }
      if (next === "+" || next === "-") idx++;
      let end = idx + 1;
      while (end < s.length && isDigit(s[end])) end++;
      if (end - (idx + 1) > 6) exponentTooLarge();
    }
  }
  if (first === -1) return [s, ""];
  if (first === 0) return ["", s];
  return [s.slice(0, first), s.slice(first)];
}

interface Parsed {
  neg: boolean;
  mant: bigint;
  /** value = mant × 10^exp10 */
  exp10: number;
}

/** The decimal syntax math/big accepts here (the caller has limited the characters). */
function parseDecimalText(s: string): Parsed | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const frac = m[3] ?? "";
  return { neg: m[1] === "-", mant: BigInt((m[2] ?? "") + frac || "0"), exp10: Number(m[4] ?? "0") - frac.length };
}

function bytesUnit(unit: string): bigint | undefined {
  const table: Record<string, bigint> = {
    "": 1n, kb: 1000n, k: 1000n, kib: KI, ki: KI, mb: 1000n ** 2n, m: 1000n ** 2n, mib: MI, mi: MI,
    gb: 1000n ** 3n, g: 1000n ** 3n, gib: GI, gi: GI, tb: 1000n ** 4n, t: 1000n ** 4n, tib: TI, ti: TI,
    pb: 1000n ** 5n, p: 1000n ** 5n, pib: PI, pi: PI, eb: 1000n ** 6n, e: 1000n ** 6n, eib: EI, ei: EI,
  };
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

function parseBytes(raw: string): RNum {
  const fail = (msg: string): never => {
    throw new BuiltinError(`units.parse_bytes: ${msg}`);
  };
  const s = raw.toLowerCase().replaceAll('"', "");
  if (s.includes(" ")) fail("spaces not allowed in resource strings");
  const [num, unit] = extractNumAndUnit(s, () => fail("exponent too large"));
  if (num === "") fail("no byte amount provided");
  const m = bytesUnit(unit);
  if (m === undefined) return fail(`byte unit ${unit} not recognized`);
  const parsed = parseDecimalText(num);
  if (!parsed) return fail("could not parse byte amount to a number");
  if (parsed.mant === 0n) return new RNum("0");
  const total = bigFloatMul(parseBigFloat(parsed.mant, parsed.exp10), { mant: m, exp: 0 }, 64);
  const int = total.exp >= 0 ? total.mant << BigInt(total.exp) : total.mant >> BigInt(-total.exp);
  return new RNum((parsed.neg && int !== 0n ? -int : int).toString());
}

// ---------------------------------------------------------------- big.Rat

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** 0.001 as math/big's Rat.SetFloat64 holds it: the exact binary value of the float64. */
const MILLI: readonly [bigint, bigint] = (() => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, 0.001);
  const bits = view.getBigUint64(0);
  const mant = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const exp = Number((bits >> 52n) & 0x7ffn) - 1075;
  return [mant, 1n << BigInt(-exp)];
})();

function unitsUnit(unit: string): readonly [bigint, bigint] | undefined {
  if (unit === "m") return MILLI;
  const table: Record<string, bigint> = {
    "": 1n, k: 1000n, K: 1000n, ki: KI, Ki: KI, M: 1000n ** 2n, mi: MI, Mi: MI, g: 1000n ** 3n, G: 1000n ** 3n,
    gi: GI, Gi: GI, t: 1000n ** 4n, T: 1000n ** 4n, ti: TI, Ti: TI, p: 1000n ** 5n, P: 1000n ** 5n, pi: PI, Pi: PI,
    e: 1000n ** 6n, E: 1000n ** 6n, ei: EI, Ei: EI,
  };
  return Object.hasOwn(table, unit) ? [table[unit]!, 1n] : undefined;
}

function parseUnits(raw: string): RNum {
  const fail = (msg: string): never => {
    throw new BuiltinError(`units.parse: ${msg}`);
  };
  const s = raw.replaceAll('"', "");
  if (s.includes(" ")) fail("spaces not allowed in resource strings");
  const [num, unit0] = extractNumAndUnit(s, () => fail("exponent too large"));
  if (num === "") fail("no amount provided");
  const unit = [...unit0].length > 1 ? unit0.slice(0, 1) + unit0.slice(1).toLowerCase() : unit0;
  const x = unitsUnit(unit);
  if (!x) return fail(`unit ${unit} not recognized`);
  const p = parseDecimalText(num);
  if (!p) return fail("could not parse amount to a number");
  let a = p.mant * x[0];
  let b = x[1];
  if (p.exp10 >= 0) a *= 10n ** BigInt(p.exp10);
  else b *= 10n ** BigInt(-p.exp10);
  const g = gcd(a, b);
  a /= g;
  b /= g;
  const neg = p.neg && a !== 0n;
  if (b === 1n) return new RNum(`${neg ? "-" : ""}${a}`);
  // Rat.FloatString(10): ten decimals, the last rounded half away from zero.
  const q = a / b;
  let r = ((a % b) * 10n ** 10n) / b;
  const r2 = (((a % b) * 10n ** 10n) % b) * 2n;
  let whole = q;
  if (b <= r2) {
    r++;
    if (r >= 10n ** 10n) {
      whole++;
      r -= 10n ** 10n;
    }
  }
  return new RNum(`${neg ? "-" : ""}${whole}.${r.toString().padStart(10, "0")}`);
}

export const UNITS: Registry = {
  "units.parse_bytes": ([s]) => parseBytes(str(s, 1)),
  "units.parse": ([s]) => parseUnits(str(s, 1)),
};

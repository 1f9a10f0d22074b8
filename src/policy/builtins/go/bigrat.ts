/**
 * The parts of math/big that gojsonschema relies on: big.Rat from a JSON number's text
 * (exact comparisons, multipleOf) and `%v` of big.NewFloat().SetRat(r) in its messages
 * (shortest decimal that rounds back at the Float's precision, big/ftoa.go).
 */

export interface Rat {
  /** Numerator (sign carried here). */
  readonly n: bigint;
  /** Denominator, > 0. */
  readonly d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a0: bigint, b0: bigint): bigint {
  let [a, b] = [abs(a0), abs(b0)];
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function norm(n: bigint, d: bigint): Rat {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

/** Exponents beyond this are refused rather than expanded (a JSON number like 1e999999999). */
const MAX_EXP = 100_000;

/** Rat.SetString for a JSON number's text; undefined when it is not one. */
export function ratOf(text: string): Rat | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const digits = `${m[2]}${m[3] ?? ""}` || "0";
  const exp = Number(m[4] ?? "0") - (m[3] ?? "").length;
  if (!Number.isFinite(exp) || Math.abs(exp) > MAX_EXP) return undefined;
  let n = BigInt(digits);
  if (m[1] === "-") n = -n;
  return exp >= 0 ? norm(n * 10n ** BigInt(exp), 1n) : norm(n, 10n ** BigInt(-exp));
}

export function ratCmp(a: Rat, b: Rat): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const ratIsInt = (r: Rat): boolean => r.d === 1n;

/** (a / b).IsInt() for b != 0. */
export const ratQuoIsInt = (a: Rat, b: Rat): boolean => (a.n * b.d) % (a.d * b.n) === 0n;

const bitLen = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

/** A decimal m (digits, no trailing zeros) with value 0.m × 10^exp. */
interface Decimal {
  mant: string;
  exp: number;
}

function decimalOf(m: bigint, e: number): Decimal {
  if (m === 0n) return { mant: "", exp: 0 };
  let digits: string;
  let exp: number;
  if (e >= 0) {
    digits = (m << BigInt(e)).toString();
    exp = digits.length;
  } else {
    digits = (m * 5n ** BigInt(-e)).toString();
    exp = digits.length + e;
  }
  return { mant: digits.replace(/0+$/, ""), exp };
}

const at = (d: Decimal, i: number): string => (i >= 0 && i < d.mant.length ? d.mant[i]! : "0");

function roundUp(d: Decimal, n: number): Decimal {
  let i = n;
  while (i > 0 && d.mant[i - 1] === "9") i--;
  if (i === 0) return { mant: "1", exp: d.exp + 1 };
  return { mant: d.mant.slice(0, i - 1) + String.fromCharCode(d.mant.charCodeAt(i - 1) + 1), exp: d.exp };
}

const roundDown = (d: Decimal, n: number): Decimal => ({ mant: d.mant.slice(0, n).replace(/0+$/, ""), exp: d.exp });

function round(d: Decimal, n: number): Decimal {
  const half = d.mant[n] === "5" && n + 1 === d.mant.length;
  const up = half ? n > 0 && (d.mant.charCodeAt(n - 1) - 48) % 2 !== 0 : (d.mant[n] ?? "0") >= "5";
  return up ? roundUp(d, n) : roundDown(d, n);
}

/** big/ftoa.go roundShortest for x = m × 2^e with m of exactly `prec` bits. */
function roundShortest(d: Decimal, m: bigint, e: number): Decimal {
  if (d.mant === "") return d;
  const mant = m << 1n;
  const lower = decimalOf(mant - 1n, e - 1);
  const upper = decimalOf(mant + 1n, e - 1);
  const inclusive = (m & 1n) === 0n;
  for (let i = 0; i < d.mant.length; i++) {
    const digit = d.mant[i]!;
    const l = at(lower, i);
    const u = at(upper, i);
    const okdown = l !== digit || (inclusive && i + 1 === lower.mant.length);
    const okup = digit !== u && (inclusive || digit.charCodeAt(0) + 1 < u.charCodeAt(0) || i + 1 < upper.mant.length);
    if (okdown && okup) return round(d, i + 1);
    if (okdown) return roundDown(d, i + 1);
    if (okup) return roundUp(d, i + 1);
  }
  return d;
}

/** x = mantissa × 2^exp with the mantissa rounded (to nearest even) to `prec` bits. */
function toFloat(r: Rat): { m: bigint; e: number } {
  const n = abs(r.n);
  if (r.d === 1n) return { m: n, e: 0 };
  const prec = Math.max(bitLen(n), bitLen(r.d), 64);
  // q = n × 2^s / d with prec + 2 bits or more, then round to prec bits.
  const s = prec + 2 - (bitLen(n) - bitLen(r.d));
  const scaled = s >= 0 ? n << BigInt(s) : n >> BigInt(-s);
  let q = scaled / r.d;
  const sticky = scaled % r.d !== 0n;
  let e = -s;
  const extra = bitLen(q) - prec;
  if (extra > 0) {
    const drop = q & ((1n << BigInt(extra)) - 1n);
    const halfway = 1n << BigInt(extra - 1);
    q >>= BigInt(extra);
    e += extra;
    if (drop > halfway || (drop === halfway && (sticky || (q & 1n) === 1n))) q += 1n;
  }
  return { m: q, e };
}

/** fmt's `%v` of new(big.Float).SetRat(r): shortest 'g' at the Float's precision. */
export function bigFloatString(r: Rat): string {
  if (r.n === 0n) return "0";
  const { m, e } = toFloat(r);
  // Normalise the mantissa to exactly prec bits (prec ≥ 64, ≥ its own length) for roundShortest.
  const prec = r.d === 1n ? Math.max(bitLen(m), 64) : Math.max(bitLen(abs(r.n)), bitLen(r.d), 64);
  const shift = prec - bitLen(m);
  const mm = m << BigInt(shift);
  const ee = e - shift;
  const d = roundShortest(decimalOf(mm, ee), mm, ee);
  const sign = r.n < 0n ? "-" : "";
  const digits = d.mant;
  const exp = d.exp - 1;
  if (exp < -4 || exp >= 6) {
    const x = digits.length > 0 ? exp : 0;
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0] ?? "0"}${frac}e${x < 0 ? "-" : "+"}${String(Math.abs(x)).padStart(2, "0")}`;
  }
  const prec10 = Math.max(digits.length - d.exp, 0);
  let out = d.exp > 0 ? digits.slice(0, d.exp).padEnd(d.exp, "0") : "0";
  if (prec10 > 0) {
    out += ".";
    for (let i = 0; i < prec10; i++) out += at(d, d.exp + i);
  }
  return sign + out;
}

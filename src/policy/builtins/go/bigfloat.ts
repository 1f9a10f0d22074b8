/**
 * math/big.Float at a fixed mantissa precision (64 bits, as big.Float.SetString uses),
 * rounded to nearest, ties to even, the way Go rounds at each step.
 */
export interface BF {
  mant: bigint;
  exp: number; // value = mant × 2^exp
}

function bitLen(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Round to prec bits, to nearest, ties to even (sticky: bits below were non-zero). */
function roundBF(x: BF, prec: number, sticky = false): BF {
  const n = bitLen(x.mant);
  if (n <= prec && !sticky) return x;
  if (n <= prec) return x;
  const shift = BigInt(n - prec);
  let q = x.mant >> shift;
  const r = x.mant & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  if (r > half || (r === half && (sticky || (q & 1n) === 1n))) q++;
  let exp = x.exp + Number(shift);
  if (bitLen(q) > prec) {
    q >>= 1n;
    exp++;
  }
  return { mant: q, exp };
}

export function bigFloatMul(a: BF, b: BF, prec: number): BF {
  return roundBF({ mant: a.mant * b.mant, exp: a.exp + b.exp }, prec);
}

function quo(a: BF, b: BF, prec: number): BF {
  const shift = Math.max(0, prec + 2 - (bitLen(a.mant) - bitLen(b.mant)));
  const num = a.mant << BigInt(shift);
  const q = num / b.mant;
  const sticky = num % b.mant !== 0n;
  return roundBF({ mant: q, exp: a.exp - b.exp - shift }, prec, sticky);
}

/** (*big.Float).pow5 at the precision Float.scan uses (64 + 64 bits). */
function pow5(n: number): BF {
  if (n <= 27) return { mant: 5n ** BigInt(n), exp: 0 };
  let z: BF = { mant: 5n ** 27n, exp: 0 };
  let f: BF = { mant: 5n, exp: 0 };
  for (let k = n - 27; k > 0; k >>= 1) {
    if (k & 1) z = bigFloatMul(z, f, 128);
    f = bigFloatMul(f, f, 192);
  }
  return z;
}

/** big.Float.SetString at precision 64 of mant × 10^exp10 (mant ≥ 0). */
export function parseBigFloat(mant: bigint, exp10: number): BF {
  const z: BF = { mant, exp: exp10 };
  if (exp10 === 0) return roundBF({ mant, exp: 0 }, 64);
  const five = pow5(Math.abs(exp10));
  return exp10 < 0 ? quo(z, five, 64) : bigFloatMul(z, five, 64);
}

/** (*big.Float).Int64 when exact: the integer value, or undefined (fraction, or out of int64). */
export function bigFloatInt64(x: BF, neg: boolean): bigint | undefined {
  if (x.mant === 0n) return 0n;
  let v: bigint;
  if (x.exp >= 0) v = x.mant << BigInt(x.exp);
  else {
    const shift = BigInt(-x.exp);
    if ((x.mant & ((1n << shift) - 1n)) !== 0n) return undefined;
    v = x.mant >> shift;
  }
  if (neg) v = -v;
  return v >= -(1n << 63n) && v < 1n << 63n ? v : undefined;
}

/**
 * Go's strconv, as far as OPA's builtins depend on it: FormatFloat (every format, exact
 * rounding: half to even on exact ties), Quote/QuoteToASCII/QuoteRune, CanBackquote, IsPrint.
 */

const LOWERHEX = "0123456789abcdef";
const UPPERHEX = "0123456789ABCDEF";

// ---------------------------------------------------------------- decimal digits

/** Go's decimalSlice: the value is 0.d × 10^dp; d has no trailing zeros ("" for zero). */
interface Digits {
  d: string;
  dp: number;
}

function float64Bits(f: number): { neg: boolean; exp: number; mant: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const bits = view.getBigUint64(0);
  return { neg: bits >> 63n === 1n, exp: Number((bits >> 52n) & 0x7ffn), mant: bits & ((1n << 52n) - 1n) };
}

/** The exact decimal expansion of a finite float64. */
function exactDigits(f: number): Digits {
  if (f === 0) return { d: "", dp: 0 };
  const { exp, mant } = float64Bits(f);
  let m = mant;
  let e2: number;
  if (exp === 0) e2 = 1 - 1075;
  else {
    m |= 1n << 52n;
    e2 = exp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (m << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (m * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  return { d: digits.replace(/0+$/, ""), dp };
}

/** The shortest digits that read back as f (what both Go and JS print by default). */
function shortestDigits(f: number): Digits {
  if (f === 0) return { d: "", dp: 0 };
  const [mant, e] = Math.abs(f).toExponential().split("e") as [string, string];
  const d = mant.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(e) + 1 };
}

/** decimal.Round(nd): to nd digits, half to even on exact ties. */
function round(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (c === 5 && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 5;
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ""), dp: x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

function fmtE(neg: boolean, x: Digits, prec: number, fmt: string): string {
  let out = neg ? "-" : "";
  out += x.d.length > 0 ? x.d[0] : "0";
  if (prec > 0) {
    out += ".";
    const m = Math.min(x.d.length, prec + 1);
    out += x.d.slice(1, m);
    out += "0".repeat(Math.max(0, prec + 1 - Math.max(m, 1)));
  }
  out += fmt;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  out += exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  return out + (exp < 10 ? `0${exp}` : String(exp));
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    out += x.d.slice(0, m) + "0".repeat(x.dp - m);
  } else out += "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = x.dp + i;
      out += j >= 0 && j < x.d.length ? x.d[j] : "0";
    }
  }
  return out;
}

function formatDigits(shortest: boolean, neg: boolean, x: Digits, prec: number, fmt: string): string {
  switch (fmt) {
    case "e":
    case "E":
      return fmtE(neg, x, prec, fmt);
    case "f":
      return fmtF(neg, x, prec);
    default: {
      // 'g', 'G'
      let eprec = prec;
      if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > x.d.length) prec = x.d.length;
        return fmtE(neg, x, prec - 1, fmt === "g" ? "e" : "E");
      }
      if (prec > x.dp) prec = x.d.length;
      return fmtF(neg, x, Math.max(prec - x.dp, 0));
    }
  }
}

function fmtB(neg: boolean, mant: bigint, exp: number): string {
  const e = exp - 52;
  return `${neg ? "-" : ""}${mant}p${e >= 0 ? "+" : ""}${e}`;
}

function fmtX(prec: number, fmt: string, neg: boolean, mantIn: bigint, expIn: number): string {
  let mant = mantIn;
  let exp = expIn;
  if (mant === 0n) exp = 0;
  const MASK = (1n << 64n) - 1n;
  mant = (mant << 8n) & MASK; // 60 - mantbits
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = (mant << 1n) & MASK;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant = (mant << (60n - shift)) & MASK;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === "X" ? UPPERHEX : LOWERHEX;
  let out = `${neg ? "-" : ""}0${fmt}${Number((mant >> 60n) & 1n)}`;
  mant = (mant << 4n) & MASK;
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  }
  out += fmt === "X" ? "P" : "p";
  out += exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  return out + (exp < 10 ? `0${exp}` : String(exp));
}

/** strconv.FormatFloat(f, fmt, prec, 64). */
export function formatFloat(f: number, fmt: string, prec: number): string {
  const { neg, exp: biased, mant: raw } = float64Bits(f);
  if (biased === 0x7ff) return raw !== 0n ? "NaN" : neg ? "-Inf" : "+Inf";
  let exp = biased;
  let mant = raw;
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp += -1023;
  if (fmt === "b") return fmtB(neg, mant, exp);
  if (fmt === "x" || fmt === "X") return fmtX(prec, fmt, neg, mant, exp);
  const abs = Math.abs(f);
  if (prec < 0) {
    const x = shortestDigits(abs);
    let p: number;
    if (fmt === "e" || fmt === "E") p = Math.max(x.d.length - 1, 0);
    else if (fmt === "f") p = Math.max(x.d.length - x.dp, 0);
    else p = x.d.length;
    return formatDigits(true, neg, x, p, fmt);
  }
  let x = exactDigits(abs);
  let p = prec;
  if (fmt === "e" || fmt === "E") x = round(x, p + 1);
  else if (fmt === "f") x = round(x, x.dp + p);
  else {
    if (p === 0) p = 1;
    x = round(x, p);
  }
  return formatDigits(false, neg, x, p, fmt);
}

// ---------------------------------------------------------------- quoting

const PRINT_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint (strconv.IsPrint): letters, marks, numbers, punctuation, symbols, ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return false;
  return PRINT_RE.test(String.fromCodePoint(r));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function escapedRune(r: number, quote: string, asciiOnly: boolean): string {
  // A byte that is not UTF-8 (see utf8.ts) is printed as Go prints it.
  if (r >= 0xdc80 && r <= 0xdcff) return `\\x${hex(r - 0xdc00, 2)}`;
  const ch = String.fromCodePoint(r);
  if (ch === quote || ch === "\\") return `\\${ch}`;
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return ch;
  } else if (isPrint(r)) return ch;
  switch (r) {
    case 7:
      return "\\a";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
  }
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return "\\ufffd";
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

function quoteWith(s: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  for (const ch of s) out += escapedRune(ch.codePointAt(0)!, quote, asciiOnly);
  return out + quote;
}

/** strconv.Quote. */
export function quote(s: string): string {
  return quoteWith(s, '"', false);
}

/** strconv.QuoteToASCII. */
export function quoteToASCII(s: string): string {
  return quoteWith(s, '"', true);
}

/** strconv.QuoteRune / QuoteRuneToASCII (invalid runes become U+FFFD). */
export function quoteRune(r: number, asciiOnly: boolean): string {
  const valid = r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
  return `'${escapedRune(valid ? r : 0xfffd, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r >= 0x80) {
      if (r === 0xfeff || (r >= 0xdc80 && r <= 0xdcff)) return false;
      continue;
    }
    if ((r < 0x20 && r !== 9) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

/** Number of runes (code points), as utf8.RuneCountInString. */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export { bytesOf as utf8Bytes } from "./utf8.js";

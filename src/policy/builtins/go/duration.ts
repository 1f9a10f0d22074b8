/** time.ParseDuration, and OPA's extension with d, w and y units (v1/topdown/time.go). */
import { formatFloat, quote as strconvQuote } from "./strconv.js";

export class DurationError extends Error {}

/** time's own quote (bytes outside printable ASCII as \xNN). */
function timeQuote(s: string): string {
  const b = Buffer.from(s, "utf8").toString("latin1");
  let out = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += c === 0x22 || c === 0x5c ? `\\${b[i]}` : b[i];
  }
  return `${out}"`;
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, "µs": 1000n, "μs": 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n };
const TWO63 = 1n << 63n;

/** time.ParseDuration: nanoseconds, or throws DurationError with Go's message. */
export function parseDuration(orig: string): bigint {
  const fail = (msg: string): never => {
    throw new DurationError(`time: ${msg} ${timeQuote(orig)}`);
  };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") fail("invalid duration");
  while (s !== "") {
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) fail("invalid duration");
    let m = /^\d*/.exec(s)![0];
    let v = 0n;
    for (const c of m) {
      if (v > TWO63 / 10n) fail("invalid duration");
      v = v * 10n + BigInt(c.charCodeAt(0) - 48);
      if (v > TWO63) fail("invalid duration");
    }
    const pre = m.length > 0;
    s = s.slice(m.length);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      m = /^\d*/.exec(s)![0];
      post = m.length > 0;
      let overflow = false;
      for (const c of m) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c.charCodeAt(0) - 48);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(m.length);
    }
    if (!pre && !post) fail("invalid duration");
    const u = /^[^.0-9]*/.exec(s)![0];
    if (u === "") fail("missing unit in duration");
    s = s.slice(u.length);
    const unit = UNITS[u];
    if (unit === undefined) fail(`unknown unit ${timeQuote(u)} in duration`);
    if (v > TWO63 / unit!) fail("invalid duration");
    v *= unit!;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) fail("invalid duration");
    }
    d += v;
    if (d > TWO63) fail("invalid duration");
  }
  if (neg) return -d;
  if (d > TWO63 - 1n) fail("invalid duration");
  return d;
}

const COEFF: Record<string, number> = { d: 24, w: 7 * 24, y: 365 * 24 };

/** parseExtendedDuration */
export function parseExtendedDuration(s: string): bigint {
  const invalid = (): never => {
    throw new DurationError(`time: invalid duration ${strconvQuote(s)}`);
  };
  if (s === "") invalid();
  if (!/[dwy]/.test(s)) return parseDuration(s);
  const m = /^([-+])?((?:[0-9.]+(?:ms|us|µs|ns|[a-z]))+)$/u.exec(s);
  if (!m) return invalid();
  let rewritten = m[1] ?? "";
  for (const seg of m[2]!.matchAll(/([0-9.]+)(ms|us|µs|ns|[a-z])/gu)) {
    const [, digits, unit] = seg as unknown as [string, string, string];
    const coeff = COEFF[unit];
    if (coeff === undefined) {
      rewritten += digits + unit;
      continue;
    }
    if (!/^(\d+\.?\d*|\.\d+)$/.test(digits)) invalid();
    rewritten += `${formatFloat(Number(digits) * coeff, "f", -1)}h`;
  }
  try {
    return parseDuration(rewritten);
  } catch (e) {
    if (!(e instanceof DurationError)) throw e;
    const msg = e.message.slice(0, e.message.lastIndexOf(" "));
    throw new DurationError(`${msg} ${strconvQuote(s)}`);
  }
}

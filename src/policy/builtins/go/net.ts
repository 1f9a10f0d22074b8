/**
 * Go's net.IP / net.IPNet (byte slices of length 4 or 16, with Go's conversions between
 * them), net.ParseIP, net.ParseCIDR (netip.ParseAddr rules: no leading zeros in IPv4, no
 * zones) and the String forms (IPv4-mapped addresses print as IPv4, IPv6 with ::).
 */

export type IP = Uint8Array;

export interface IPNet {
  ip: IP;
  mask: IP;
}

const V4_IN_V6 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4Fields(s: string): number[] | undefined {
  const fields: number[] = [];
  let val = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= "0" && c <= "9") {
      if (digits === 1 && val === 0) return undefined;
      val = val * 10 + Number(c);
      digits++;
      if (val > 255) return undefined;
    } else if (c === ".") {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return undefined;
      if (fields.length === 3) return undefined;
      fields.push(val);
      val = 0;
      digits = 0;
    } else return undefined;
  }
  if (fields.length < 3) return undefined;
  fields.push(val);
  return fields;
}

function parseIPv6(s0: string): number[] | undefined {
  if (s0.includes("%")) return undefined; // a zone: net.ParseIP refuses it
  let s = s0;
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const v = parseInt(s[off]!, 16);
      if (Number.isNaN(v)) break;
      acc = acc * 16 + v;
      if (off > 3 || acc > 0xffff) return undefined;
    }
    if (off === 0) return undefined;
    if (off < s.length && s[off] === ".") {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      const v4 = parseIPv4Fields(s);
      if (!v4) return undefined;
      ip.splice(i, 4, ...v4);
      s = "";
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":" || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return undefined;
  return ip;
}

/** netip.ParseAddr: [bytes (4 or 16), bit length] */
function parseAddr(s: string): { bytes: number[]; bits: number } | undefined {
  for (const c of s) {
    if (c === ".") {
      const v4 = parseIPv4Fields(s);
      return v4 && { bytes: v4, bits: 32 };
    }
    if (c === ":") {
      const v6 = parseIPv6(s);
      return v6 && { bytes: v6, bits: 128 };
    }
    if (c === "%") return undefined;
  }
  return undefined;
}

function as16(a: { bytes: number[]; bits: number }): IP {
  return Uint8Array.from(a.bits === 32 ? [...V4_IN_V6, ...a.bytes] : a.bytes);
}

/** net.ParseIP: 16 bytes, or undefined. */
export function parseIP(s: string): IP | undefined {
  const a = parseAddr(s);
  return a && as16(a);
}

export function cidrMask(ones: number, bits: number): IP {
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < m.length; i++) {
    const n = Math.max(0, Math.min(8, ones - i * 8));
    m[i] = (0xff << (8 - n)) & 0xff;
  }
  return m;
}

/** net.ParseCIDR: [ip (16 bytes), network], or an error message. */
export function parseCIDR(s: string): [IP, IPNet] | string {
  const slash = s.indexOf("/");
  const err = `invalid CIDR address: ${s}`;
  if (slash < 0) return err;
  const a = parseAddr(s.slice(0, slash));
  const maskText = s.slice(slash + 1);
  if (!a || !/^\d+$/.test(maskText)) return err;
  const n = maskText.length > 8 ? Infinity : Number(maskText);
  if (n > a.bits) return err;
  const m = cidrMask(n, a.bits);
  const ip = as16(a);
  return [ip, { ip: mask(ip, m)!, mask: m }];
}

export function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && V4_IN_V6.every((b, i) => ip[i] === b)) return ip.slice(12);
  return undefined;
}

/** IP.Mask */
export function mask(ip0: IP, m0: IP): IP | undefined {
  let ip = ip0;
  let m = m0;
  if (m.length === 16 && ip.length === 4 && m.slice(0, 12).every((b) => b === 0xff)) m = m.slice(12);
  if (m.length === 4 && ip.length === 16 && V4_IN_V6.every((b, i) => ip[i] === b)) ip = ip.slice(12);
  if (ip.length !== m.length) return undefined;
  return ip.map((b, i) => b & m[i]!);
}

function networkNumberAndMask(n: IPNet): [IP, IP] | undefined {
  let ip = to4(n.ip);
  if (!ip) {
    ip = n.ip;
    if (ip.length !== 16) return undefined;
  }
  let m = n.mask;
  if (m.length === 4) {
    if (ip.length !== 4) return undefined;
  } else if (m.length === 16) {
    if (ip.length === 4) m = m.slice(12);
  } else return undefined;
  return [ip, m];
}

/** IPNet.Contains */
export function contains(n: IPNet, ip0: IP): boolean {
  const nm = networkNumberAndMask(n);
  if (!nm) return false;
  const [nn, m] = nm;
  const ip = to4(ip0) ?? ip0;
  if (ip.length !== nn.length) return false;
  return ip.every((b, i) => (nn[i]! & m[i]!) === (b & m[i]!));
}

/** IPMask.Size: [ones, bits], [0, 0] when not canonical. */
export function maskSize(m: IP): [number, number] {
  let ones = 0;
  let seenZero = false;
  for (const b of m) {
    for (let bit = 7; bit >= 0; bit--) {
      if ((b >> bit) & 1) {
        if (seenZero) return [0, 0];
        ones++;
      } else seenZero = true;
    }
  }
  return [ones, m.length * 8];
}

/** IP.String */
export function ipString(ip: IP): string {
  if (ip.length === 0) return "<nil>";
  if (ip.length !== 4 && ip.length !== 16) return `?${Buffer.from(ip).toString("hex")}`;
  const v4 = to4(ip);
  if (v4) return [...v4].join(".");
  const groups = Array.from({ length: 8 }, (_, i) => (ip[2 * i]! << 8) | ip[2 * i + 1]!);
  let zs = -1;
  let ze = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > ze - zs) [zs, ze] = [i, j];
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === zs) {
      out += "::";
      i = ze - 1;
      continue;
    }
    if (i > 0 && !out.endsWith(":")) out += ":";
    out += groups[i]!.toString(16);
  }
  return out;
}

/** IPNet.String */
export function netString(n: IPNet): string {
  const nm = networkNumberAndMask(n);
  if (!nm) return "<nil>";
  const [nn, m] = nm;
  const [ones, bits] = maskSize(m);
  if (bits === 0 && m.length > 0) return `${ipString(nn)}/${Buffer.from(m).toString("hex")}`;
  return `${ipString(nn)}/${ones}`;
}

export function compareBytes(a: IP, b: IP): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

export function equalIP(a: IP, b: IP): boolean {
  if (a.length === b.length) return compareBytes(a, b) === 0;
  const x = to4(a);
  const y = to4(b);
  return x !== undefined && y !== undefined && compareBytes(x, y) === 0;
}

export function toBig(ip: IP): bigint {
  return ip.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** big.Int.Bytes(): big-endian without leading zeros. */
export function bigBytes(x: bigint): number[] {
  const out: number[] = [];
  for (let v = x; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  return out;
}

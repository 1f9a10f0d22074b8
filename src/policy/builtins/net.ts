/**
 * net.cidr_* builtins that need no network (v1/topdown/cidr.go, internal/cidr/merge),
 * on Go's net semantics (go/net.ts). net.lookup_ip_addr stays refused.
 */
import { bigBytes, cidrMask, compareBytes, contains, equalIP, ipString, mask, maskSize, netString, parseCIDR, parseIP, to4, toBig, type IP, type IPNet } from "./go/net.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { intValue, RObject, RSet, type Value } from "./value.js";

function netOf(v: Value | undefined, pos: number): IPNet {
  const r = parseCIDR(str(v, pos));
  if (typeof r === "string") throw new BuiltinError(r);
  return r[1];
}

function lastIP(n: IPNet): IP {
  const [ones, bits] = maskSize(n.mask);
  if (ones === 0 && bits === 0) throw new BuiltinError("CIDR mask is in non-standard format");
  if (ones === bits) return n.ip;
  const last = toBig(n.ip) | ((1n << BigInt(bits - ones)) - 1n);
  const b = bigBytes(last);
  const out = new Uint8Array(bits / 8);
  for (let i = 1; i <= b.length; i++) out[out.length - i] = b[b.length - i]!;
  return out;
}

/** builtinNetCIDRContains (the host twin of the native one, for cidr_contains_matches). */
function cidrContains(a: Value, b: Value): boolean {
  const na = netOf(a, 1);
  const bStr = str(b, 1);
  const ip = parseIP(bStr);
  if (ip) return contains(na, ip);
  const r = parseCIDR(bStr);
  if (typeof r === "string") throw new BuiltinError(`not a valid textual representation of an IP address or CIDR: ${bStr}`);
  const nb = r[1];
  const plain6 = (n: IPNet): boolean => n.ip.length === 16 && n.mask.length === 16 && to4(n.ip) === undefined;
  if (plain6(na) && plain6(nb)) {
    const m = mask(nb.ip, na.mask);
    return maskSize(na.mask)[0] <= maskSize(nb.mask)[0] && m !== undefined && equalIP(na.ip, m);
  }
  return contains(na, nb.ip) && contains(na, lastIP(nb));
}

function matchTerm(x: Value): Value {
  if (typeof x === "string") return x;
  if (Array.isArray(x) && x.length > 0) return x[0]!;
  throw new BuiltinError("element must be string or non-empty array");
}

function eachCIDR(operand: number, a: Value, f: (cidr: Value, index: Value) => void): void {
  const wrap = (x: Value): Value => {
    try {
      return matchTerm(x);
    } catch (e) {
      throw new BuiltinError(`operand ${operand}: ${(e as Error).message}`);
    }
  };
  if (typeof a === "string") f(a, a);
  else if (Array.isArray(a)) a.forEach((x, i) => f(wrap(x), intValue(i)));
  else if (a instanceof RSet) for (const x of a.items) f(wrap(x), x);
  else if (a instanceof RObject) for (const [k, x] of a.entries) f(wrap(x), k);
}

function containsMatches(a: Value, b: Value): RSet {
  const out: Value[] = [];
  eachCIDR(1, a, (c1, i1) => eachCIDR(2, b, (c2, i2) => {
    if (cidrContains(c1, c2)) out.push([i1, i2]);
  }));
  return new RSet(out);
}

function expand(s: string): RSet {
  const r = parseCIDR(s);
  if (typeof r === "string") throw new BuiltinError(r);
  const [ip0, n] = r;
  const ip = mask(ip0, n.mask)!;
  const out: string[] = [];
  while (contains(n, ip)) {
    out.push(ipString(ip));
    for (let j = ip.length - 1; j >= 0; j--) {
      ip[j] = (ip[j]! + 1) & 0xff;
      if (ip[j]! > 0) break;
    }
  }
  return new RSet(out);
}

// ---------------------------------------------------------------- cidr_merge (internal/cidr/merge)

const V4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const LEADING4 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const DEFAULT4 = Uint8Array.from([...V4_MAPPED, 0, 0, 0, 0]);
const DEFAULT6 = new Uint8Array(16);
const UPPER4 = Uint8Array.from([...V4_MAPPED, 255, 255, 255, 255]);
const UPPER6 = new Uint8Array(16).fill(255);

function addressRange(n: IPNet): [IP, IP] {
  let first: IP = mask(Uint8Array.from(n.ip), n.mask)!;
  let last: IP = mask(Uint8Array.from(n.ip), n.mask)!;
  if (to4(first)) {
    first = Uint8Array.from([...V4_MAPPED, ...first]);
    last = Uint8Array.from([...V4_MAPPED, ...last]);
  }
  for (let i = 0; i < n.mask.length; i++) last[16 - i - 1]! |= ~n.mask[n.mask.length - i - 1]! & 0xff;
  return [first, last];
}

function previousIP(ip: IP): IP {
  if (equalIP(ip, DEFAULT4) || equalIP(ip, DEFAULT6)) return ip;
  const prev = Uint8Array.from(ip);
  let overflow = false;
  const lower = to4(ip) ? 12 : 0;
  for (let i = ip.length - 1; i >= lower; i--) {
    if (overflow || i === ip.length - 1) prev[i] = (prev[i]! - 1) & 0xff;
    overflow = ip[i] === 0 && prev[i] === 255;
  }
  return prev;
}

function nextIP(ip: IP): IP {
  if (equalIP(ip, UPPER4) || equalIP(ip, UPPER6)) return ip;
  if (ip.length !== 4 && ip.length !== 16) return ip;
  const bits = BigInt(ip.length * 8);
  const lowBits = ip.length === 4 ? bits : 64n;
  const v = toBig(ip);
  const low = (v & ((1n << lowBits) - 1n)) + 1n;
  const high = v >> lowBits;
  const next = ((low >> lowBits === 1n ? high + 1n : high) << lowBits) | (low & ((1n << lowBits) - 1n));
  const b = bigBytes(next & ((1n << bits) - 1n));
  return Uint8Array.from([...new Array<number>(ip.length - b.length).fill(0), ...b]);
}

function padBytes(x: bigint, v4: boolean): IP {
  if (v4) return Uint8Array.from([...LEADING4, ...bigBytes(x)]);
  const b = bigBytes(x);
  return Uint8Array.from([...new Array<number>(Math.max(0, 16 - b.length)).fill(0), ...b]);
}

function spanning(first: IP, last: IP): IPNet {
  const v4 = to4(first) !== undefined;
  const bitLen = v4 ? 32 : 128;
  let size = bitLen;
  const lowest = toBig(first);
  let highest = toBig(last);
  while (size > 0 && lowest < highest) {
    size--;
    highest &= -(1n << BigInt(bitLen - size));
  }
  let h: IP = v4 ? Uint8Array.from([...LEADING4, ...bigBytes(highest)]) : Uint8Array.from(bigBytes(highest));
  if (h.length === 0) h = new Uint8Array(v4 ? 4 : 16);
  return { ip: h, mask: cidrMask(size, bitLen) };
}

function partition(target: IPNet, exclude: IPNet): [IPNet[] | undefined, IPNet[] | undefined] {
  const v4 = to4(target.ip) !== undefined;
  const [tFirst, tLast] = addressRange(target);
  const [eFirst, eLast] = addressRange(exclude);
  const tSize = maskSize(target.mask)[0];
  const eSize = maskSize(exclude.mask)[0];
  if (compareBytes(eLast, tFirst) < 0) return [undefined, [target]];
  if (compareBytes(tLast, eFirst) < 0) return [[target], undefined];
  if (tSize >= eSize) return [undefined, undefined];
  const left: IPNet[] = [];
  const right: IPNet[] = [];
  let newLen = tSize + 1;
  const bitLen = v4 ? 32 : 128;
  let lower = toBig(tFirst);
  let upper = toBig(tFirst) + (1n << BigInt(bitLen - newLen));
  let matched: bigint;
  while (eSize >= newLen) {
    const upperBytes = padBytes(upper, v4);
    const lowerBytes = padBytes(lower, v4);
    if (compareBytes(eFirst, upperBytes) >= 0) {
      left.push({ ip: lowerBytes, mask: cidrMask(newLen, bitLen) });
      matched = upper;
    } else {
      right.push({ ip: upperBytes, mask: cidrMask(newLen, bitLen) });
      matched = lower;
    }
    newLen++;
    if (newLen > bitLen) break;
    lower = matched;
    upper = matched + (1n << BigInt(bitLen - newLen));
  }
  return [left, right];
}

function rangeToCIDRs(first: IP, last: IP): IPNet[] {
  let span = spanning(first, last);
  const [sFirst, sLast] = addressRange(span);
  let list: IPNet[] = [];
  if (compareBytes(sFirst, first) < 0) {
    const prev = previousIP(first);
    const bits = to4(prev) ? 32 : 128;
    const [, right] = partition(span, { ip: prev, mask: cidrMask(bits, bits) });
    list.push(...(right ?? []));
    span = right![0]!;
    list = list.slice(1);
  }
  if (compareBytes(sLast, last) > 0) {
    const next = nextIP(last);
    const bits = to4(next) ? 32 : 128;
    const [left] = partition(span, { ip: next, mask: cidrMask(bits, bits) });
    list.push(...(left ?? []));
  } else list.push(span);
  return list;
}

function ipNetOf(x: Value): IPNet {
  if (typeof x !== "string") throw new BuiltinError("element must be string");
  const ip = parseIP(x);
  if (!ip) {
    const r = parseCIDR(x);
    if (typeof r === "string") throw new BuiltinError(r);
    return r[1];
  }
  const v4 = to4(ip);
  if (v4) return { ip, mask: cidrMask(v4[0]! < 0x80 ? 8 : v4[0]! < 0xc0 ? 16 : 24, 32) };
  throw new BuiltinError("IPv6 invalid: needs prefix length");
}

function merge(v: Value): RSet {
  let items: readonly Value[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof RSet) items = v.items;
  else throw new BuiltinError("operand must be an array");
  const nets = items.map(ipNetOf);
  type Range = { first: IP; last: IP; net?: IPNet };
  let ranges: Range[] = nets.map((n) => {
    const [first, last] = addressRange(n);
    return { first, last, net: n };
  });
  ranges.sort((a, b) => compareBytes(a.last, b.last) || compareBytes(a.first, b.first));
  for (let i = ranges.length - 1; i > 0; i--) {
    if (compareBytes(previousIP(ranges[i]!.first), ranges[i - 1]!.last) <= 0) {
      const first = compareBytes(ranges[i - 1]!.first, ranges[i]!.first) < 0 ? ranges[i - 1]!.first : ranges[i]!.first;
      ranges[i - 1] = { first: Uint8Array.from(first), last: Uint8Array.from(ranges[i]!.last) };
      ranges = [...ranges.slice(0, i), ...ranges.slice(i + 1)];
    }
  }
  const out: IPNet[] = [];
  for (const r of ranges) out.push(...(r.net ? [r.net] : rangeToCIDRs(r.first, r.last)));
  return new RSet(out.map(netString));
}

export const NET: Registry = {
  "net.cidr_is_valid": ([c]) => typeof c === "string" && typeof parseCIDR(c) !== "string",
  "net.cidr_contains_matches": ([a, b]) => containsMatches(a!, b!),
  "net.cidr_expand": ([c]) => expand(str(c, 1)),
  "net.cidr_merge": ([v]) => merge(v!),
};

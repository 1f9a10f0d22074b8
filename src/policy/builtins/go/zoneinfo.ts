/**
 * Go's time.Location: IANA zones read from the same TZif files Go reads
 * ($ZONEINFO, /usr/share/zoneinfo, ...), with Go's lookup rules, including the POSIX TZ
 * rule at the end of a file for times after its last transition (time/zoneinfo.go tzset).
 * When no zone files exist, offsets come from the JavaScript engine's ICU data (the zone
 * abbreviations then may differ from Go's).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { daysIn, isLeap, daysBefore, yearYday } from "./civil.js";

const ALPHA = -(2 ** 63);
const OMEGA = 2 ** 63;

interface Zone {
  name: string;
  offset: number;
  isDST: boolean;
}

export interface ZoneInfo {
  name: string;
  offset: number;
  start: number;
  end: number;
  isDST: boolean;
}

export class Location {
  constructor(
    readonly name: string,
    readonly zones: readonly Zone[] = [],
    readonly tx: ReadonlyArray<{ when: number; index: number }> = [],
    readonly extend = "",
    private readonly icu?: string,
  ) {}

  /** Location.lookup: the zone in effect at `sec` (Unix seconds). */
  lookup(sec: number): ZoneInfo {
    if (this.icu) return icuLookup(this.icu, sec);
    if (this.zones.length === 0) return { name: "UTC", offset: 0, start: ALPHA, end: OMEGA, isDST: false };
    if (this.tx.length === 0 || sec < this.tx[0]!.when) {
      const z = this.zones[this.firstZone()]!;
      return { name: z.name, offset: z.offset, start: ALPHA, end: this.tx.length > 0 ? this.tx[0]!.when : OMEGA, isDST: z.isDST };
    }
    let lo = 0;
    let hi = this.tx.length;
    let end = OMEGA;
    while (hi - lo > 1) {
      const m = (lo + hi) >>> 1;
      const lim = this.tx[m]!.when;
      if (sec < lim) {
        end = lim;
        hi = m;
      } else lo = m;
    }
    const z = this.zones[this.tx[lo]!.index]!;
    const start = this.tx[lo]!.when;
    if (lo === this.tx.length - 1 && this.extend !== "") {
      const e = tzset(this.extend, start, sec);
      if (e) return e;
    }
    return { name: z.name, offset: z.offset, start, end, isDST: z.isDST };
  }

  /** Location.lookupName */
  lookupName(name: string, unix: number): number | undefined {
    for (const z of this.zones) {
      if (z.name === name) {
        const found = this.lookup(unix - z.offset);
        if (found.name === z.name) return found.offset;
      }
    }
    for (const z of this.zones) if (z.name === name) return z.offset;
    return undefined;
  }

  private firstZone(): number {
    if (!this.tx.some((t) => t.index === 0)) return 0;
    if (this.tx.length > 0 && this.zones[this.tx[0]!.index]!.isDST) {
      for (let zi = this.tx[0]!.index - 1; zi >= 0; zi--) if (!this.zones[zi]!.isDST) return zi;
    }
    const i = this.zones.findIndex((z) => !z.isDST);
    return i >= 0 ? i : 0;
  }
}

export const UTC = new Location("UTC");

export function fixedZone(name: string, offset: number): Location {
  return new Location(name, [{ name, offset, isDST: false }], [{ when: ALPHA, index: 0 }]);
}

// ---------------------------------------------------------------- TZif

function parseTZif(name: string, data: Buffer): Location | undefined {
  if (data.length < 44 || data.toString("latin1", 0, 4) !== "TZif") return undefined;
  const version = data[4];
  let p = 20;
  const counts = (): number[] => {
    const n = [0, 1, 2, 3, 4, 5].map((i) => data.readUInt32BE(p + i * 4));
    p += 24;
    return n;
  };
  let [nUTC, nStd, nLeap, nTime, nZone, nChar] = counts() as [number, number, number, number, number, number];
  let size = 4;
  if (version === 0x32 || version === 0x33) {
    p += nTime * 4 + nTime + nZone * 6 + nChar + nLeap * 8 + nStd + nUTC + 4 + 16;
    [nUTC, nStd, nLeap, nTime, nZone, nChar] = counts() as [number, number, number, number, number, number];
    size = 8;
  }
  const times = p;
  const idx = times + nTime * size;
  const zonesAt = idx + nTime;
  const abbrevAt = zonesAt + nZone * 6;
  const end = abbrevAt + nChar + nLeap * (size + 4) + nStd + nUTC;
  if (end > data.length || nZone === 0) return undefined;
  const rest = data.toString("latin1", end);
  const extend = rest.length > 2 && rest[0] === "\n" && rest[rest.length - 1] === "\n" ? rest.slice(1, -1) : "";
  const zones: Zone[] = [];
  for (let i = 0; i < nZone; i++) {
    const at = zonesAt + i * 6;
    const a = abbrevAt + data[at + 5]!;
    let e = a;
    while (e < abbrevAt + nChar && data[e] !== 0) e++;
    zones.push({ offset: data.readInt32BE(at), isDST: data[at + 4] !== 0, name: data.toString("latin1", a, e) });
  }
  const tx: Array<{ when: number; index: number }> = [];
  for (let i = 0; i < nTime; i++) {
    const when = size === 8 ? Number(data.readBigInt64BE(times + i * 8)) : data.readInt32BE(times + i * 4);
    tx.push({ when, index: data[idx + i]! });
  }
  if (tx.length === 0) tx.push({ when: ALPHA, index: 0 });
  return new Location(name, zones, tx, extend);
}

const SOURCES = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo"];

/** The file's bytes, undefined when it does not exist, or the error Go would report reading it. */
function readZone(dir: string, name: string): Buffer | string | undefined {
  const file = join(dir, name);
  try {
    if (!existsSync(file)) return undefined;
    if (statSync(file).isDirectory()) return "is a directory";
    return readFileSync(file);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EACCES" ? "permission denied" : undefined;
  }
}

const cache = new Map<string, Location>();

/** time.LoadLocation; throws Error with Go's message. */
export function loadLocation(name: string): Location {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return local();
  if (name.includes("..") || name[0] === "/" || name[0] === "\\") throw new Error("time: invalid location name");
  const hit = cache.get(name);
  if (hit) return hit;
  const dirs = [...(process.env["ZONEINFO"] ? [process.env["ZONEINFO"]] : []), ...SOURCES];
  let firstErr: string | undefined;
  for (const dir of dirs) {
    const data = readZone(dir, name);
    if (typeof data === "string") {
      firstErr ??= data;
      continue;
    }
    const loc = data && parseTZif(name, data);
    if (loc) {
      cache.set(name, loc);
      return loc;
    }
  }
  if (firstErr) throw new Error(firstErr);
  if (!SOURCES.some((d) => existsSync(d)) && icuKnows(name)) {
    const loc = new Location(name, [], [], "", name);
    cache.set(name, loc);
    return loc;
  }
  throw new Error(`unknown time zone ${name}`);
}

let localLocation: Location | undefined;

/** time.Local: $TZ, else /etc/localtime, else UTC; named "Local". */
export function local(): Location {
  if (localLocation) return localLocation;
  const tz = process.env["TZ"];
  let loc: Location | undefined;
  if (tz !== undefined) {
    const name = tz.startsWith(":") ? tz.slice(1) : tz;
    if (name !== "" && name !== "UTC") {
      try {
        const l = loadLocation(name);
        loc = new Location("Local", l.zones, l.tx, l.extend);
      } catch {
        loc = undefined;
      }
    }
  } else {
    const data = readZone("/etc", "localtime");
    loc = data instanceof Buffer ? parseTZif("Local", data) : undefined;
  }
  localLocation = loc ?? new Location("Local", [{ name: "UTC", offset: 0, isDST: false }], [{ when: ALPHA, index: 0 }]);
  return localLocation;
}

// ---------------------------------------------------------------- ICU fallback

function icuKnows(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function icuLookup(zone: string, sec: number): ZoneInfo {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date(sec * 1000));
  const text = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d\d):(\d\d)(?::(\d\d))?/.exec(text);
  const offset = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
  const abbrev = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }).formatToParts(new Date(sec * 1000));
  return { name: abbrev.find((p) => p.type === "timeZoneName")?.value ?? "", offset, start: sec, end: sec + 1, isDST: false };
}

// ---------------------------------------------------------------- POSIX TZ rules (tzset)

function tzsetName(s: string): [string, string] | undefined {
  if (s.length === 0) return undefined;
  if (s[0] !== "<") {
    for (let i = 0; i < s.length; i++) {
      if ("0123456789,-+".includes(s[i]!)) return i < 3 ? undefined : [s.slice(0, i), s.slice(i)];
    }
    return s.length < 3 ? undefined : [s, ""];
  }
  const i = s.indexOf(">");
  return i < 0 ? undefined : [s.slice(1, i), s.slice(i + 1)];
}

function tzsetNum(s: string, min: number, max: number): [number, string] | undefined {
  if (s.length === 0) return undefined;
  let num = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c < "0" || c > "9") {
      if (i === 0 || num < min) return undefined;
      return [num, s.slice(i)];
    }
    num = num * 10 + Number(c);
    if (num > max) return undefined;
  }
  return num < min ? undefined : [num, ""];
}

function tzsetOffset(s0: string): [number, string] | undefined {
  let s = s0;
  if (s.length === 0) return undefined;
  let neg = false;
  if (s[0] === "+") s = s.slice(1);
  else if (s[0] === "-") {
    s = s.slice(1);
    neg = true;
  }
  let r = tzsetNum(s, 0, 24 * 7);
  if (!r) return undefined;
  let off = r[0] * 3600;
  s = r[1];
  for (const unit of [60, 1]) {
    if (s.length === 0 || s[0] !== ":") break;
    r = tzsetNum(s.slice(1), 0, 59);
    if (!r) return undefined;
    off += r[0] * unit;
    s = r[1];
  }
  return [neg ? -off : off, s];
}

interface Rule {
  kind: "julian" | "doy" | "mwd";
  day: number;
  week: number;
  mon: number;
  time: number;
}

function tzsetRule(s0: string): [Rule, string] | undefined {
  let s = s0;
  if (s.length === 0) return undefined;
  const r: Rule = { kind: "doy", day: 0, week: 0, mon: 0, time: 7200 };
  if (s[0] === "J") {
    const n = tzsetNum(s.slice(1), 1, 365);
    if (!n) return undefined;
    [r.day, s] = n;
    r.kind = "julian";
  } else if (s[0] === "M") {
    const mon = tzsetNum(s.slice(1), 1, 12);
    if (!mon || mon[1][0] !== ".") return undefined;
    const week = tzsetNum(mon[1].slice(1), 1, 5);
    if (!week || week[1][0] !== ".") return undefined;
    const day = tzsetNum(week[1].slice(1), 0, 6);
    if (!day) return undefined;
    Object.assign(r, { kind: "mwd", mon: mon[0], week: week[0], day: day[0] });
    s = day[1];
  } else {
    const n = tzsetNum(s, 0, 365);
    if (!n) return undefined;
    [r.day, s] = n;
  }
  if (s.length === 0 || s[0] !== "/") return [r, s];
  const off = tzsetOffset(s.slice(1));
  if (!off) return undefined;
  r.time = off[0];
  return [r, off[1]];
}

function tzruleTime(year: number, r: Rule, off: number): number {
  let s: number;
  if (r.kind === "julian") s = (r.day - 1) * 86400 + (isLeap(year) && r.day >= 60 ? 86400 : 0);
  else if (r.kind === "doy") s = r.day * 86400;
  else {
    const m1 = ((r.mon + 9) % 12) + 1;
    const yy0 = r.mon <= 2 ? year - 1 : year;
    const yy1 = Math.trunc(yy0 / 100);
    const yy2 = yy0 % 100;
    let dow = (Math.trunc((26 * m1 - 2) / 10) + 1 + yy2 + Math.trunc(yy2 / 4) + Math.trunc(yy1 / 4) - 2 * yy1) % 7;
    if (dow < 0) dow += 7;
    let d = r.day - dow;
    if (d < 0) d += 7;
    for (let i = 1; i < r.week; i++) {
      if (d + 7 >= daysIn(r.mon, year)) break;
      d += 7;
    }
    d += daysBefore(r.mon);
    if (isLeap(year) && r.mon > 2) d++;
    s = d * 86400;
  }
  return s + r.time - off;
}

function tzset(s0: string, lastTxSec: number, sec: number): ZoneInfo | undefined {
  const std = tzsetName(s0);
  const stdOff = std && tzsetOffset(std[1]);
  if (!std || !stdOff) return undefined;
  let stdName = std[0];
  let stdOffset = -stdOff[0];
  let s = stdOff[1];
  if (s.length === 0 || s[0] === ",") return { name: stdName, offset: stdOffset, start: lastTxSec, end: OMEGA, isDST: false };
  const dst = tzsetName(s);
  if (!dst) return undefined;
  let dstName = dst[0];
  let dstOffset: number;
  s = dst[1];
  if (s.length === 0 || s[0] === ",") dstOffset = stdOffset + 3600;
  else {
    const o = tzsetOffset(s);
    if (!o) return undefined;
    dstOffset = -o[0];
    s = o[1];
  }
  if (s.length === 0) s = ",M3.2.0,M11.1.0";
  if (s[0] !== "," && s[0] !== ";") return undefined;
  const startR = tzsetRule(s.slice(1));
  if (!startR || startR[1][0] !== ",") return undefined;
  const endR = tzsetRule(startR[1].slice(1));
  if (!endR || endR[1].length > 0) return undefined;
  const [year, yday] = yearYday(Math.floor(sec / 86400));
  const ysec = (yday - 1) * 86400 + (((sec % 86400) + 86400) % 86400);
  const ystart = sec - ysec;
  let startSec = tzruleTime(year, startR[0], stdOffset);
  let endSec = tzruleTime(year, endR[0], dstOffset);
  let dstIsDST = true;
  let stdIsDST = false;
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
    [stdIsDST, dstIsDST] = [dstIsDST, stdIsDST];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, start: ystart, end: startSec + ystart, isDST: stdIsDST };
  if (ysec >= endSec) return { name: stdName, offset: stdOffset, start: endSec + ystart, end: ystart + 365 * 86400, isDST: stdIsDST };
  return { name: dstName, offset: dstOffset, start: startSec + ystart, end: endSec + ystart, isDST: dstIsDST };
}

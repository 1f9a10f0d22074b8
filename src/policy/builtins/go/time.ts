/**
 * Go's time.Time, as far as OPA's time.* builtins use it: Unix(0, ns).In(loc), Date (with
 * Go's normalisation of out-of-range fields and its zone-offset guess), AddDate, Date(),
 * Clock(), Weekday(), UnixNano. Seconds are JS numbers (exact for every int64 nanosecond).
 */
import { civilFromDays, daysFromCivil, weekday, yearYday } from "./civil.js";
import { UTC, type Location } from "./zoneinfo.js";

export interface GoTime {
  /** Unix seconds. */
  readonly sec: number;
  /** 0 ≤ nsec < 1e9 */
  readonly nsec: number;
  readonly loc: Location;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  yday: number;
  weekday: number;
  zone: string;
  offset: number;
}

/** time.Unix(0, ns).In(loc) */
export function fromUnixNano(ns: bigint, loc: Location): GoTime {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  return { sec: Number(sec), nsec: Number(nsec), loc };
}

export function unixNano(t: GoTime): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

const MIN_NS = -(1n << 63n);
const MAX_NS = (1n << 63n) - 1n;

/** t.UnixNano() when t is within time.Unix(0, MinInt64)..time.Unix(0, MaxInt64). */
export function safeUnixNano(t: GoTime): bigint | undefined {
  const ns = unixNano(t);
  return ns < MIN_NS || ns > MAX_NS ? undefined : ns;
}

export function civil(t: GoTime): Civil {
  const z = t.loc.lookup(t.sec);
  const local = t.sec + z.offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    yday: yearYday(days)[1],
    weekday: weekday(days),
    zone: z.name,
    offset: z.offset,
  };
}

function norm(hi: number, lo: number, base: number): [number, number] {
  let h = hi;
  let l = lo;
  if (l < 0) {
    const n = Math.floor((-l - 1) / base) + 1;
    h -= n;
    l += n * base;
  }
  if (l >= base) {
    const n = Math.floor(l / base);
    h += n;
    l -= n * base;
  }
  return [h, l];
}

/** time.Date */
export function goDate(year0: number, month0: number, day0: number, hour0: number, min0: number, sec0: number, nsec0: number, loc: Location = UTC): GoTime {
  const [year, m] = norm(year0, month0 - 1, 12);
  const month = m + 1;
  const [sec1, nsec] = norm(sec0, nsec0, 1e9);
  const [min1, sec] = norm(min0, sec1, 60);
  const [hour1, min] = norm(hour0, min1, 60);
  const [day, hour] = norm(day0, hour1, 24);
  let unix = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  const z = loc.lookup(unix);
  if (z.offset !== 0) {
    let offset = z.offset;
    const utc = unix - offset;
    if (utc < z.start || utc >= z.end) offset = loc.lookup(utc).offset;
    unix -= offset;
  }
  return { sec: unix, nsec, loc };
}

/** t.AddDate(years, months, days) */
export function addDate(t: GoTime, years: number, months: number, days: number): GoTime {
  const c = civil(t);
  return goDate(c.year + years, c.month + months, c.day + days, c.hour, c.min, c.sec, t.nsec, t.loc);
}

export function inLocation(t: GoTime, loc: Location): GoTime {
  return { ...t, loc };
}

/** time.* builtins (v1/topdown/time.go) on Go's time semantics (go/time.ts, go/timefmt.ts, go/zoneinfo.ts). */
import { parseBigFloat, bigFloatInt64 } from "./go/bigfloat.js";
import { daysFromCivil, civilFromDays, LONG_DAYS } from "./go/civil.js";
import { DurationError, parseExtendedDuration } from "./go/duration.js";
import { addDate, civil, fromUnixNano, inLocation, safeUnixNano, type GoTime } from "./go/time.js";
import { format, RFC3339, RFC3339_NANO } from "./go/timefmt.js";
import { parseTime, TimeParseError } from "./go/timeparse.js";
import { loadLocation, UTC, type Location } from "./go/zoneinfo.js";
import { BuiltinError, intOperand, num, operandTypeErr, str, type Registry } from "./types.js";
import { intValue, parseDecimal, RNum, type Value } from "./value.js";

const LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339,
  RFC3339Nano: RFC3339_NANO,
};

const TZ_TYPE = "either number (ns) or [number (ns), string (tz)]";

/** tzTime: ns or [ns, tz, layout] → a time in that zone, and the layout. */
function tzTime(a: Value | undefined): { t: GoTime; layout: string } {
  let loc: Location = UTC;
  let layout = "";
  let n: RNum;
  if (Array.isArray(a)) {
    if (a.length === 0) throw operandTypeErr(1, a, TZ_TYPE);
    n = num(a[0], 1);
    if (a.length > 1) {
      const tz = str(a[1], 1);
      try {
        loc = loadLocation(tz);
      } catch (e) {
        throw new BuiltinError((e as Error).message);
      }
    }
    if (a.length > 2) layout = str(a[2], 1);
  } else if (a instanceof RNum) n = a;
  else throw operandTypeErr(1, a ?? null, TZ_TYPE);
  const d = parseDecimal(n.text)!;
  const ns = bigFloatInt64(parseBigFloat(d.digits, d.exp), d.neg);
  if (ns === undefined) throw new BuiltinError("timestamp too big");
  return { t: fromUnixNano(ns, loc), layout };
}

function nanos(t: GoTime): RNum {
  const ns = safeUnixNano(t);
  if (ns === undefined) throw new BuiltinError("time outside of valid range");
  return intValue(ns);
}

function parse(layout: string, value: string): RNum {
  try {
    return nanos(parseTime(layout, value));
  } catch (e) {
    if (e instanceof TimeParseError) throw new BuiltinError(e.message);
    throw e;
  }
}

function diff(a: Value | undefined, b: Value | undefined): Value {
  let t1 = tzTime(a).t;
  let t2 = tzTime(b).t;
  if (t1.loc !== t2.loc) t2 = inLocation(t2, t1.loc);
  if (t1.sec > t2.sec || (t1.sec === t2.sec && t1.nsec > t2.nsec)) [t1, t2] = [t2, t1];
  const c1 = civil(t1);
  const c2 = civil(t2);
  let year = c2.year - c1.year;
  let month = c2.month - c1.month;
  let day = c2.day - c1.day;
  let hour = c2.hour - c1.hour;
  let min = c2.min - c1.min;
  let sec = c2.sec - c1.sec;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    day += 32 - civilFromDays(daysFromCivil(c1.year, c1.month, 32))[2];
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec].map(intValue);
}

export const TIME: Registry = {
  "time.parse_rfc3339_ns": ([v]) => parse(RFC3339, str(v, 1)),
  "time.parse_ns": ([l, v]) => {
    const layout = str(l, 1);
    const value = str(v, 2);
    return parse(LAYOUTS[layout] ?? layout, value);
  },
  "time.parse_duration_ns": ([d]) => {
    try {
      return intValue(parseExtendedDuration(str(d, 1)));
    } catch (e) {
      if (e instanceof DurationError) throw new BuiltinError(e.message);
      throw e;
    }
  },
  "time.format": ([x]) => {
    const { t, layout } = tzTime(x);
    return format(t, layout === "" ? RFC3339_NANO : (LAYOUTS[layout] ?? layout));
  },
  "time.date": ([x]) => {
    const c = civil(tzTime(x).t);
    return [c.year, c.month, c.day].map(intValue);
  },
  "time.clock": ([x]) => {
    const c = civil(tzTime(x).t);
    return [c.hour, c.min, c.sec].map(intValue);
  },
  "time.weekday": ([x]) => LONG_DAYS[civil(tzTime(x).t).weekday]!,
  "time.add_date": ([x, y, m, d]) => {
    const { t } = tzTime(x);
    const years = intOperand(y, 2);
    const months = intOperand(m, 3);
    const days = intOperand(d, 4);
    return nanos(addDate(t, years, months, days));
  },
  "time.diff": ([a, b]) => diff(a, b),
};



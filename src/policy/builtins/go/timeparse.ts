/**
 * time.Parse (time/format.go parse, format_rfc3339.go parseRFC3339), on the UTF-8 bytes of
 * its arguments as Go does, with Go's ParseError messages.
 */
import { daysBefore, daysIn, isLeap, LONG_DAYS, LONG_MONTHS } from "./civil.js";
import { goDate, type GoTime } from "./time.js";
import { nextStdChunk, RFC3339, RFC3339_NANO } from "./timefmt.js";
import { fixedZone, local, UTC, type Location } from "./zoneinfo.js";
import { atoi, BAD, getnum, getnum3, isDigit, lookup, parseError, parseNanoseconds, parseTimeZone, quote, skip, toBytes } from "./timelex.js";

export { TimeParseError } from "./timelex.js";


function parseRFC3339(s: string, loc: Location): GoTime | undefined {
  let ok = true;
  const num = (t: string, min: number, max: number): number => {
    if (!/^\d*$/.test(t)) {
      ok = false;
      return min;
    }
    const x = t === "" ? 0 : Number(t);
    if (x < min || max < x) {
      ok = false;
      return min;
    }
    return x;
  };
  if (s.length < 19) return undefined;
  const year = num(s.slice(0, 4), 0, 9999);
  const month = num(s.slice(5, 7), 1, 12);
  const day = num(s.slice(8, 10), 1, daysIn(month, year));
  const hour = num(s.slice(11, 13), 0, 23);
  const min = num(s.slice(14, 16), 0, 59);
  const sec = num(s.slice(17, 19), 0, 59);
  if (!ok || s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") return undefined;
  let rest = s.slice(19);
  let nsec = 0;
  if (rest.length >= 2 && rest[0] === "." && isDigit(rest, 1)) {
    let n = 2;
    while (n < rest.length && isDigit(rest, n)) n++;
    const r = parseNanoseconds(rest, n);
    nsec = r === BAD ? 0 : r.ns;
    rest = rest.slice(n);
  }
  const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
  if (rest.length === 1 && rest[0] === "Z") return t;
  if (rest.length !== 6) return undefined;
  const hr = num(rest.slice(1, 3), 0, 23);
  const mm = num(rest.slice(4, 6), 0, 59);
  if (!ok || !((rest[0] === "-" || rest[0] === "+") && rest[3] === ":")) return undefined;
  const offset = (hr * 60 + mm) * 60 * (rest[0] === "-" ? -1 : 1);
  const sec2 = t.sec - offset;
  return { sec: sec2, nsec, loc: loc.lookup(sec2).offset === offset ? loc : fixedZone("", offset) };
}

/** time.Parse(layout, value): throws TimeParseError. */
export function parseTime(layout0: string, value0: string): GoTime {
  if (layout0 === RFC3339 || layout0 === RFC3339_NANO) {
    const t = parseRFC3339(toBytes(value0), local());
    if (t) return t;
  }
  const alayout = toBytes(layout0);
  const avalue = toBytes(value0);
  let layout = alayout;
  let value = avalue;
  let range = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: Location | undefined;
  let zoneOffset = -1;
  let zoneName = "";
  for (;;) {
    const chunk = nextStdChunk(layout);
    const stdstr = layout.slice(chunk.prefix.length, layout.length - chunk.suffix.length);
    const skipped = skip(value, chunk.prefix);
    if (skipped === BAD) throw parseError(alayout, avalue, chunk.prefix, value, "");
    value = skipped;
    if (!chunk.std) {
      if (value.length !== 0) throw parseError(alayout, avalue, "", value, `: extra text: ${quote(value)}`);
      break;
    }
    layout = chunk.suffix;
    const hold = value;
    let bad = false;
    const take = <T>(r: [T, string] | typeof BAD): T | undefined => {
      if (r === BAD) {
        bad = true;
        return undefined;
      }
      value = r[1];
      return r[0];
    };
    const std = chunk.std;
    switch (std) {
      case "Year": {
        if (value.length < 2) { bad = true; break; }
        const y = atoi(value.slice(0, 2));
        value = value.slice(2);
        if (y === BAD) { bad = true; break; }
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case "LongYear": {
        if (value.length < 4 || !isDigit(value, 0)) { bad = true; break; }
        const y = atoi(value.slice(0, 4));
        value = value.slice(4);
        if (y === BAD) bad = true;
        else year = y;
        break;
      }
      case "Month": month = (take(lookup(LONG_MONTHS.map((m) => m.slice(0, 3)), value)) ?? -2) + 1; break;
      case "LongMonth": month = (take(lookup(LONG_MONTHS, value)) ?? -2) + 1; break;
      case "NumMonth":
      case "ZeroMonth":
        month = take(getnum(value, std === "ZeroMonth")) ?? -1;
        if (!bad && (month <= 0 || month > 12)) range = "month";
        break;
      case "WeekDay": take(lookup(LONG_DAYS.map((d) => d.slice(0, 3)), value)); break;
      case "LongWeekDay": take(lookup(LONG_DAYS, value)); break;
      case "Day":
      case "UnderDay":
      case "ZeroDay":
        if (std === "UnderDay" && value[0] === " ") value = value.slice(1);
        day = take(getnum(value, std === "ZeroDay")) ?? -1;
        break;
      case "UnderYearDay":
      case "ZeroYearDay":
        for (let i = 0; i < 2; i++) if (std === "UnderYearDay" && value[0] === " ") value = value.slice(1);
        yday = take(getnum3(value, std === "ZeroYearDay")) ?? -1;
        break;
      case "Hour":
        hour = take(getnum(value, false)) ?? 0;
        if (hour < 0 || hour >= 24) range = "hour";
        break;
      case "Hour12":
      case "ZeroHour12":
        hour = take(getnum(value, std === "ZeroHour12")) ?? 0;
        if (hour < 0 || hour > 12) range = "hour";
        break;
      case "Minute":
      case "ZeroMinute":
        min = take(getnum(value, std === "ZeroMinute")) ?? 0;
        if (min < 0 || min >= 60) range = "minute";
        break;
      case "Second":
      case "ZeroSecond": {
        const s = take(getnum(value, std === "ZeroSecond"));
        if (s === undefined) break;
        sec = s;
        if (sec < 0 || sec >= 60) {
          range = "second";
          break;
        }
        if (value.length >= 2 && (value[0] === "." || value[0] === ",") && isDigit(value, 1)) {
          const next = nextStdChunk(layout).std;
          if (next === "Frac0" || next === "Frac9") break;
          let n = 2;
          while (n < value.length && isDigit(value, n)) n++;
          const r = parseNanoseconds(value, n);
          if (r === BAD) bad = true;
          else [nsec, range] = [r.ns, r.range];
          value = value.slice(n);
        }
        break;
      }
      case "PM":
      case "pm": {
        if (value.length < 2) { bad = true; break; }
        const p = value.slice(0, 2);
        value = value.slice(2);
        const [pmText, amText] = std === "PM" ? ["PM", "AM"] : ["pm", "am"];
        if (p === pmText) pmSet = true;
        else if (p === amText) amSet = true;
        else bad = true;
        break;
      }
      case "TZ": {
        if (value.startsWith("UTC")) {
          z = UTC;
          value = value.slice(3);
          break;
        }
        const n = parseTimeZone(value);
        if (n === undefined) { bad = true; break; }
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case "Frac0": {
        const ndigit = 1 + chunk.digits!;
        if (value.length < ndigit) { bad = true; break; }
        const r = parseNanoseconds(value, ndigit);
        if (r === BAD) bad = true;
        else [nsec, range] = [r.ns, r.range];
        value = value.slice(ndigit);
        break;
      }
      case "Frac9": {
        if (value.length < 2 || (value[0] !== "." && value[0] !== ",") || !isDigit(value, 1)) break;
        let i = 0;
        while (i + 1 < value.length && isDigit(value, i + 1)) i++;
        const r = parseNanoseconds(value, 1 + i);
        if (r === BAD) bad = true;
        else [nsec, range] = [r.ns, r.range];
        value = value.slice(1 + i);
        break;
      }
      default: {
        // numeric and ISO 8601 zones
        if (std.startsWith("ISO8601") && value[0] === "Z") {
          value = value.slice(1);
          z = UTC;
          break;
        }
        let parts: [string, string, string, string] | undefined;
        const v = value;
        if (std === "ISO8601ColonTZ" || std === "NumColonTZ") {
          if (v.length >= 6 && v[3] === ":") parts = [v[0]!, v.slice(1, 3), v.slice(4, 6), "00"];
          value = v.length >= 6 && v[3] === ":" ? v.slice(6) : v;
        } else if (std === "NumShortTZ" || std === "ISO8601ShortTZ") {
          if (v.length >= 3) parts = [v[0]!, v.slice(1, 3), "00", "00"];
          value = v.length >= 3 ? v.slice(3) : v;
        } else if (std === "ISO8601ColonSecondsTZ" || std === "NumColonSecondsTZ") {
          if (v.length >= 9 && v[3] === ":" && v[6] === ":") parts = [v[0]!, v.slice(1, 3), v.slice(4, 6), v.slice(7, 9)];
          value = parts ? v.slice(9) : v;
        } else if (std === "ISO8601SecondsTZ" || std === "NumSecondsTz") {
          if (v.length >= 7) parts = [v[0]!, v.slice(1, 3), v.slice(3, 5), v.slice(5, 7)];
          value = parts ? v.slice(7) : v;
        } else {
          if (v.length >= 5) parts = [v[0]!, v.slice(1, 3), v.slice(3, 5), "00"];
          value = parts ? v.slice(5) : v;
        }
        if (!parts) { bad = true; break; }
        const [sign, h, m, s] = parts;
        let hr = 0;
        let mm = 0;
        let ss = 0;
        const a = getnum(h, true);
        if (a === BAD) bad = true;
        else {
          hr = a[0];
          const b = getnum(m, true);
          if (b === BAD) bad = true;
          else {
            mm = b[0];
            const c = getnum(s, true);
            if (c === BAD) bad = true;
            else ss = c[0];
          }
        }
        if (hr > 24) range = "time zone offset hour";
        if (mm > 60) range = "time zone offset minute";
        if (ss > 60) range = "time zone offset second";
        zoneOffset = (hr * 60 + mm) * 60 + ss;
        if (sign === "-") zoneOffset = -zoneOffset;
        else if (sign !== "+") bad = true;
      }
    }
    if (range !== "") throw parseError(alayout, avalue, stdstr, value, `: ${range} out of range`);
    if (bad) throw parseError(alayout, avalue, stdstr, hold, "");
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw parseError(alayout, avalue, "", value, ": day-of-year out of range");
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (daysBefore(m + 1) < yday) m++;
      d = yday - daysBefore(m);
    }
    if (month >= 0 && month !== m) throw parseError(alayout, avalue, "", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day !== d) throw parseError(alayout, avalue, "", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(alayout, avalue, "", value, ": day out of range");
  if (z) return goDate(year, month, day, hour, min, sec, nsec, z);
  const lcl = local();
  if (zoneOffset !== -1) {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
    const s2 = t.sec - zoneOffset;
    const found = lcl.lookup(s2);
    if (found.offset === zoneOffset && (zoneName === "" || found.name === zoneName)) return { sec: s2, nsec, loc: lcl };
    return { sec: s2, nsec, loc: fixedZone(zoneName, zoneOffset) };
  }
  if (zoneName !== "") {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
    const offset = lcl.lookupName(zoneName, t.sec);
    if (offset !== undefined) return { sec: t.sec - offset, nsec, loc: lcl };
    let off = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT")) off = (atoi(zoneName.slice(3)) as number) * 3600;
    return { sec: t.sec, nsec, loc: fixedZone(zoneName, off) };
  }
  return goDate(year, month, day, hour, min, sec, nsec, UTC);
}

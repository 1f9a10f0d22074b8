/**
 * Go's time layouts (time/format.go): nextStdChunk, Time.Format and time.Parse with its
 * error messages, and the RFC 3339 fast path (format_rfc3339.go).
 */
import { LONG_DAYS, LONG_MONTHS } from "./civil.js";
import { civil, type GoTime } from "./time.js";

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

type Std =
  | "LongMonth" | "Month" | "NumMonth" | "ZeroMonth" | "LongWeekDay" | "WeekDay" | "Day" | "UnderDay" | "ZeroDay"
  | "UnderYearDay" | "ZeroYearDay" | "Hour" | "Hour12" | "ZeroHour12" | "Minute" | "ZeroMinute" | "Second" | "ZeroSecond"
  | "LongYear" | "Year" | "PM" | "pm" | "TZ" | "ISO8601TZ" | "ISO8601SecondsTZ" | "ISO8601ShortTZ" | "ISO8601ColonTZ"
  | "ISO8601ColonSecondsTZ" | "NumTZ" | "NumSecondsTz" | "NumShortTZ" | "NumColonTZ" | "NumColonSecondsTZ" | "Frac0" | "Frac9";

interface Chunk {
  prefix: string;
  std?: Std;
  /** fractional seconds: digit count and separator */
  digits?: number;
  sep?: string;
  suffix: string;
}

const STD0X: Std[] = ["ZeroMonth", "ZeroDay", "ZeroHour12", "ZeroMinute", "ZeroSecond", "Year"];
const TZ_CHUNKS: Array<[string, Std]> = [
  ["-070000", "NumSecondsTz"], ["-07:00:00", "NumColonSecondsTZ"], ["-0700", "NumTZ"], ["-07:00", "NumColonTZ"], ["-07", "NumShortTZ"],
  ["Z070000", "ISO8601SecondsTZ"], ["Z07:00:00", "ISO8601ColonSecondsTZ"], ["Z0700", "ISO8601TZ"], ["Z07:00", "ISO8601ColonTZ"], ["Z07", "ISO8601ShortTZ"],
];

const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "9";
const lowerAt = (s: string, i: number): boolean => i < s.length && s[i]! >= "a" && s[i]! <= "z";

export function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, n: number): Chunk => ({ prefix: layout.slice(0, i), std, suffix: layout.slice(i + n) });
  for (let i = 0; i < layout.length; i++) {
    const rest = layout.slice(i);
    switch (layout[i]) {
      case "J":
        if (rest.startsWith("Jan")) {
          if (rest.startsWith("January")) return at(i, "LongMonth", 7);
          if (!lowerAt(layout, i + 3)) return at(i, "Month", 3);
        }
        break;
      case "M":
        if (rest.startsWith("Mon")) {
          if (rest.startsWith("Monday")) return at(i, "LongWeekDay", 6);
          if (!lowerAt(layout, i + 3)) return at(i, "WeekDay", 3);
        }
        if (rest.startsWith("MST")) return at(i, "TZ", 3);
        break;
      case "0":
        if (rest.length >= 2 && rest[1]! >= "1" && rest[1]! <= "6") return at(i, STD0X[rest.charCodeAt(1) - 49]!, 2);
        if (rest.startsWith("002")) return at(i, "ZeroYearDay", 3);
        break;
      case "1":
        if (rest.startsWith("15")) return at(i, "Hour", 2);
        return at(i, "NumMonth", 1);
      case "2":
        if (rest.startsWith("2006")) return at(i, "LongYear", 4);
        return at(i, "Day", 1);
      case "_":
        if (rest.startsWith("_2")) {
          if (rest.startsWith("_2006")) return { prefix: layout.slice(0, i + 1), std: "LongYear", suffix: layout.slice(i + 5) };
          return at(i, "UnderDay", 2);
        }
        if (rest.startsWith("__2")) return at(i, "UnderYearDay", 3);
        break;
      case "3":
        return at(i, "Hour12", 1);
      case "4":
        return at(i, "Minute", 1);
      case "5":
        return at(i, "Second", 1);
      case "P":
        if (rest.startsWith("PM")) return at(i, "PM", 2);
        break;
      case "p":
        if (rest.startsWith("pm")) return at(i, "pm", 2);
        break;
      case "-":
      case "Z":
        for (const [text, std] of TZ_CHUNKS) if (rest.startsWith(text)) return at(i, std, text.length);
        break;
      case ".":
      case ",":
        if (rest[1] === "0" || rest[1] === "9") {
          const ch = rest[1];
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return { prefix: layout.slice(0, i), std: ch === "0" ? "Frac0" : "Frac9", digits: j - (i + 1), sep: layout[i]!, suffix: layout.slice(j) };
          }
        }
        break;
    }
  }
  return { prefix: layout, suffix: "" };
}

function pad(x: number, width: number): string {
  const s = String(Math.abs(x)).padStart(width, "0");
  return x < 0 ? `-${s}` : s;
}

function nano(nsec: number, c: Chunk): string {
  const trim = c.std === "Frac9";
  const n = c.digits! & 0xfff;
  if (trim && (n === 0 || nsec === 0)) return "";
  let s = c.sep! + String(nsec).padStart(9, "0");
  if (n < 9) s = s.slice(0, s.length - 9 + n);
  if (trim) s = s.replace(/0+$/, "").replace(/[.,]$/, "");
  return s;
}

/** t.Format(layout) */
export function format(t: GoTime, layout0: string): string {
  const c = civil(t);
  let out = "";
  let layout = layout0;
  while (layout !== "") {
    const ch = nextStdChunk(layout);
    out += ch.prefix;
    if (!ch.std) break;
    layout = ch.suffix;
    const hr12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
    switch (ch.std) {
      case "Year": out += pad(Math.abs(c.year) % 100, 2); break;
      case "LongYear": out += pad(c.year, 4); break;
      case "Month": out += LONG_MONTHS[c.month - 1]!.slice(0, 3); break;
      case "LongMonth": out += LONG_MONTHS[c.month - 1]!; break;
      case "NumMonth": out += c.month; break;
      case "ZeroMonth": out += pad(c.month, 2); break;
      case "WeekDay": out += LONG_DAYS[c.weekday]!.slice(0, 3); break;
      case "LongWeekDay": out += LONG_DAYS[c.weekday]!; break;
      case "Day": out += c.day; break;
      case "UnderDay": out += (c.day < 10 ? " " : "") + c.day; break;
      case "ZeroDay": out += pad(c.day, 2); break;
      case "UnderYearDay": out += (c.yday < 10 ? "  " : c.yday < 100 ? " " : "") + c.yday; break;
      case "ZeroYearDay": out += pad(c.yday, 3); break;
      case "Hour": out += pad(c.hour, 2); break;
      case "Hour12": out += hr12; break;
      case "ZeroHour12": out += pad(hr12, 2); break;
      case "Minute": out += c.min; break;
      case "ZeroMinute": out += pad(c.min, 2); break;
      case "Second": out += c.sec; break;
      case "ZeroSecond": out += pad(c.sec, 2); break;
      case "PM": out += c.hour >= 12 ? "PM" : "AM"; break;
      case "pm": out += c.hour >= 12 ? "pm" : "am"; break;
      case "TZ":
        if (c.zone !== "") out += c.zone;
        else {
          const zone = Math.trunc(c.offset / 60);
          out += (zone < 0 ? "-" : "+") + pad(Math.trunc(Math.abs(zone) / 60), 2) + pad(Math.abs(zone) % 60, 2);
        }
        break;
      case "Frac0":
      case "Frac9":
        out += nano(t.nsec, ch);
        break;
      default: {
        const std = ch.std;
        if (c.offset === 0 && std.startsWith("ISO8601")) {
          out += "Z";
          break;
        }
        const zone = Math.trunc(c.offset / 60);
        out += (zone < 0 ? "-" : "+") + pad(Math.trunc(Math.abs(zone) / 60), 2);
        const colon = std === "ISO8601ColonTZ" || std === "NumColonTZ" || std === "ISO8601ColonSecondsTZ" || std === "NumColonSecondsTZ";
        if (colon) out += ":";
        if (std !== "NumShortTZ" && std !== "ISO8601ShortTZ") out += pad(Math.abs(zone) % 60, 2);
        if (std === "ISO8601SecondsTZ" || std === "NumSecondsTz" || std === "NumColonSecondsTZ" || std === "ISO8601ColonSecondsTZ") {
          if (colon) out += ":";
          out += pad(Math.abs(c.offset) % 60, 2);
        }
      }
    }
  }
  return out;
}

/**
 * Go regular expressions on a JavaScript engine: the parse (parse.ts) gives Go's accepted
 * language and errors; the emitted RegExp (flag `u`) gives Go's meaning; the iteration
 * over matches (FindAll, Split, ReplaceAllString, Expand) is Go's, which skips an empty
 * match right after a previous match where JavaScript's `replace(/…/g)` does not.
 *
 * Known gaps: matching backtracks (no linear-time guarantee; evaluation time limits
 * apply), `\b` next to U+017F/U+212A under (?i), and case folding of \p{…} classes inside
 * a pattern that is only partly (?i).
 */
import { parseRegexp, type Node, type Prop, type Range } from "./parse.js";

/** Runes whose simple case-folding orbit is not reached by toLowerCase/toUpperCase. */
const SPECIAL_FOLD = [
  0x4b, 0x6b, 0x212a, 0x53, 0x73, 0x17f, 0xb5, 0x39c, 0x3bc, 0xc5, 0xe5, 0x212b, 0x1c4, 0x1c5, 0x1c6, 0x1c7, 0x1c8,
  0x1c9, 0x1ca, 0x1cb, 0x1cc, 0x1f1, 0x1f2, 0x1f3, 0x345, 0x399, 0x3b9, 0x1fbe, 0x392, 0x3b2, 0x3d0, 0x395, 0x3b5,
  0x3f5, 0x398, 0x3b8, 0x3d1, 0x3f4, 0x39a, 0x3ba, 0x3f0, 0x3a0, 0x3c0, 0x3d6, 0x3a1, 0x3c1, 0x3f1, 0x3a3, 0x3c2,
  0x3c3, 0x3a6, 0x3c6, 0x3d5, 0x3a9, 0x3c9, 0x2126, 0x412, 0x432, 0x1c80, 0x414, 0x434, 0x1c81, 0x41e, 0x43e, 0x1c82,
  0x421, 0x441, 0x1c83, 0x422, 0x442, 0x1c84, 0x1c85, 0x42a, 0x44a, 0x1c86, 0x462, 0x463, 0x1c87, 0x1c88, 0xa64a,
  0xa64b, 0x1e60, 0x1e61, 0x1e9b, 0xdf, 0x1e9e,
];
const SPECIAL_SET = new Set(SPECIAL_FOLD);

function single(s: string): number | undefined {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

/** The runes that match r under Go's (?i) (unicode.SimpleFold orbit). */
function orbit(r: number): number[] {
  const ch = String.fromCodePoint(r);
  const cands = new Set<number>([r]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    const c = single(v);
    if (c !== undefined) cands.add(c);
  }
  if ([...cands].some((c) => SPECIAL_SET.has(c))) for (const c of SPECIAL_FOLD) cands.add(c);
  if (cands.size === 1) return [r];
  const re = new RegExp(`^${esc(r)}$`, "iu");
  return [...cands].filter((c) => re.test(String.fromCodePoint(c)));
}

function esc(r: number): string {
  if ((r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a)) return String.fromCharCode(r);
  return `\\u{${r.toString(16)}}`;
}

function foldRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [lo, hi] of ranges) {
    if (lo <= 0x41 && hi >= 0x1e943) continue;
    for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x1e943); c++) {
      const ch = String.fromCodePoint(c);
      if (!SPECIAL_SET.has(c) && ch.toLowerCase() === ch && ch.toUpperCase() === ch) continue;
      for (const o of orbit(c)) if (o < lo || o > hi) out.push([o, o]);
    }
  }
  return out;
}

function classBody(ranges: readonly Range[], props: readonly Prop[]): string {
  let out = "";
  for (const [lo, hi] of ranges) out += lo === hi ? esc(lo) : `${esc(lo)}-${esc(hi)}`;
  for (const p of props) out += `\\${p.negated ? "P" : "p"}{${p.name}}`;
  return out;
}

interface Emitter {
  /** Expand (?i) parts by hand (the pattern is only partly case-insensitive). */
  readonly mixedFold: boolean;
}

function atomic(n: Node): boolean {
  return n.op === "lit" || n.op === "class" || n.op === "any" || n.op === "cap" || n.op === "group";
}

function emit(n: Node, e: Emitter): string {
  switch (n.op) {
    case "lit":
      if (e.mixedFold && n.fold) {
        const o = orbit(n.r);
        return o.length > 1 ? `[${o.map(esc).join("")}]` : esc(n.r);
      }
      return esc(n.r);
    case "class": {
      const ranges = e.mixedFold && n.fold ? foldRanges(n.ranges) : n.ranges;
      return `[${n.negated ? "^" : ""}${classBody(ranges, n.props)}]`;
    }
    case "any":
      return n.nl ? "[^]" : "[^\\n]";
    case "bol":
      return "(?<![^\\n])";
    case "eol":
      return "(?![^\\n])";
    case "bot":
      return "(?<![^])";
    case "eot":
      return "(?![^])";
    case "wb":
      return "\\b";
    case "nwb":
      return "\\B";
    case "empty":
      return "(?:)";
    case "cap":
      return `(${emit(n.sub, e)})`;
    case "group":
      return `(?:${emit(n.sub, e)})`;
    case "concat":
      return n.subs.map((x) => (x.op === "alt" ? `(?:${emit(x, e)})` : emit(x, e))).join("");
    case "alt":
      return n.subs.map((x) => emit(x, e)).join("|");
    case "rep": {
      const atom = atomic(n.sub) ? emit(n.sub, e) : `(?:${emit(n.sub, e)})`;
      let q: string;
      if (n.min === 0 && n.max === -1) q = "*";
      else if (n.min === 1 && n.max === -1) q = "+";
      else if (n.min === 0 && n.max === 1 && !n.brace) q = "?";
      else if (n.max === -1) q = `{${n.min},}`;
      else if (n.max === n.min) q = `{${n.min}}`;
      else q = `{${n.min},${n.max}}`;
      return atom + q + (n.greedy ? "" : "?");
    }
  }
}

function folds(n: Node, out: Set<boolean>): void {
  switch (n.op) {
    case "lit":
    case "class":
      out.add(n.fold);
      return;
    case "cap":
    case "group":
    case "rep":
      folds(n.sub, out);
      return;
    case "concat":
    case "alt":
      for (const x of n.subs) folds(x, out);
      return;
    default:
      return;
  }
}

function runeWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return i < s.length ? 1 : 0;
}

const cache = new Map<string, GoRegexp>();

export class GoRegexp {
  private constructor(
    readonly expr: string,
    private readonly re: RegExp,
    /** Group names by index; index 0 is the whole match. */
    readonly names: ReadonlyArray<string | undefined>,
  ) {}

  /** regexp.Compile (cached like OPA's regex cache, 100 patterns). Throws RegexpSyntaxError. */
  static compile(expr: string): GoRegexp {
    const hit = cache.get(expr);
    if (hit) return hit;
    const { node, names } = parseRegexp(expr);
    const seen = new Set<boolean>();
    folds(node, seen);
    const mixedFold = seen.size > 1;
    const flags = seen.size === 1 && seen.has(true) ? "giu" : "gu";
    const compiled = new GoRegexp(expr, new RegExp(emit(node, { mixedFold }), flags), names);
    if (cache.size >= 100) cache.delete(cache.keys().next().value!);
    cache.set(expr, compiled);
    return compiled;
  }

  /** The leftmost-first match starting at or after `pos`. */
  private exec(s: string, pos: number): RegExpExecArray | null {
    this.re.lastIndex = pos;
    return this.re.exec(s);
  }

  /** MatchString(s). */
  matchString(s: string): boolean {
    return this.exec(s, 0) !== null;
  }

  /** regexp's allMatches: successive matches; an empty match abutting the previous one is skipped. */
  private allMatches(s: string, n: number): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    for (let pos = 0, prevMatchEnd = -1; (n < 0 || out.length < n) && pos <= s.length; ) {
      const m = this.exec(s, pos);
      if (!m) break;
      const end = m.index + m[0].length;
      let accept = true;
      if (end === pos) {
        if (m.index === prevMatchEnd) accept = false;
        pos += pos < s.length ? runeWidth(s, pos) : 1;
      } else pos = end;
      prevMatchEnd = end;
      if (accept) out.push(m);
    }
    return out;
  }

  /** FindAllString(s, n). */
  findAll(s: string, n: number): string[] {
    return this.allMatches(s, n < 0 ? s.length + 1 : n).map((m) => m[0]);
  }

  /** Split(s, -1). */
  split(s: string): string[] {
    if (this.expr.length > 0 && s.length === 0) return [""];
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of this.allMatches(s, s.length + 1)) {
      end = m.index;
      if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
      beg = m.index + m[0].length;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }

  /** ReplaceAllString(src, repl): `$1`, `${1}`, `$name`, `${name}`, `$$` expanded as Go's Expand. */
  replaceAll(src: string, repl: string): string {
    let out = "";
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= src.length) {
      const m = this.exec(src, searchPos);
      if (!m) break;
      const a0 = m.index;
      const a1 = a0 + m[0].length;
      out += src.slice(lastMatchEnd, a0);
      if (a1 > lastMatchEnd || a0 === 0) out += this.expand(repl, m);
      lastMatchEnd = a1;
      const width = runeWidth(src, searchPos);
      if (searchPos + width > a1) searchPos += width;
      else if (searchPos + 1 > a1) searchPos++;
      else searchPos = a1;
    }
    return out + src.slice(lastMatchEnd);
  }

  private expand(template: string, m: RegExpExecArray): string {
    let out = "";
    let t = template;
    for (;;) {
      const i = t.indexOf("$");
      if (i < 0) break;
      out += t.slice(0, i);
      t = t.slice(i + 1);
      if (t.startsWith("$")) {
        out += "$";
        t = t.slice(1);
        continue;
      }
      const x = extract(t);
      if (!x) {
        out += "$";
        continue;
      }
      t = x.rest;
      if (x.num >= 0) out += m[x.num] ?? "";
      else {
        const idx = this.names.findIndex((name, k) => name === x.name && m[k] !== undefined);
        if (idx >= 0) out += m[idx] ?? "";
      }
    }
    return out + t;
  }
}

function extract(str0: string): { name: string; num: number; rest: string } | undefined {
  let str = str0;
  if (str === "") return undefined;
  const brace = str.startsWith("{");
  if (brace) str = str.slice(1);
  const m = /^[\p{L}\p{Nd}_]*/u.exec(str)!;
  let i = m[0].length;
  if (i === 0) return undefined;
  const name = m[0];
  if (brace) {
    if (i >= str.length || str[i] !== "}") return undefined;
    i++;
  }
  let num = 0;
  for (const ch of name) {
    if (ch < "0" || ch > "9" || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (ch.charCodeAt(0) - 48);
  }
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: str.slice(i) };
}

/** regexp.QuoteMeta */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

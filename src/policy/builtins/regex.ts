/**
 * regex.* builtins that OPA's wasm target leaves to the host (v1/topdown/regex.go,
 * regex_template.go), on Go regexp semantics (re2/), and regex.globs_match
 * (github.com/yashtewari/glob-intersection v0.2.0).
 */
import { sprintf } from "./go/fmt.js";
import { quote } from "./go/strconv.js";
import { RegexpSyntaxError } from "./re2/parse.js";
import { GoRegexp, quoteMeta } from "./re2/regexp.js";
import { BuiltinError, intOperand, str, type Registry } from "./types.js";

function compile(pattern: string): GoRegexp {
  try {
    return GoRegexp.compile(pattern);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw new BuiltinError(e.message);
    if (e instanceof SyntaxError) throw new BuiltinError(`gitops-gate cannot run this Go regular expression on its engine: ${e.message}`);
    throw e;
  }
}

/** generateRegexTemplate: `{…}` parts are regular expressions, the rest is literal. */
function templatePattern(tpl: string, open: string, close: string): string {
  const unbalanced = (): never => {
    throw new BuiltinError(`unbalanced braces in ${quote(tpl)}`);
  };
  const idxs: number[] = [];
  let level = 0;
  let idx = 0;
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === open) {
      if (++level === 1) idx = i;
    } else if (tpl[i] === close) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) unbalanced();
    }
  }
  if (level !== 0) unbalanced();
  let pattern = "^";
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1]!;
    const patt = tpl.slice(idxs[i]! + 1, end - 1);
    pattern += `${quoteMeta(raw)}(${patt})`;
    compile(`^${patt}$`);
  }
  return `${pattern}${quoteMeta(tpl.slice(end))}$`;
}

// ---------------------------------------------------------------- glob intersection

type Flag = 0 | 1 | 2; // none, plus, star
type Token = { t: 0; r: number; flag: Flag } | { t: 1; flag: Flag } | { t: 2; runes: Set<number>; flag: Flag };

function globError(input: number[], index: number, message: string, ...args: string[]): never {
  const text = `input:${String.fromCodePoint(...input)}, pos:${index}, ${message}`.replaceAll("%w", "%v");
  throw new BuiltinError(sprintf(text, [...args, "the input provided is invalid"].map((v) => ({ t: "string", v }))));
}

function tokenize(input: number[]): Token[] {
  const tokens: Token[] = [];
  const nextRune = (i: number): { i: number; r: number; escaped: boolean } | undefined => {
    if (i >= input.length) return undefined;
    if (input[i] === 0x5c) {
      if (i < input.length - 1) return { i: i + 2, r: input[i + 1]!, escaped: true };
      return globError(input, i, "input ends with a \\ (escape) character: %w");
    }
    return { i: i + 1, r: input[i]!, escaped: false };
  };
  let i = 0;
  for (;;) {
    const n = nextRune(i);
    if (!n) break;
    i = n.i;
    let token: Token;
    if (!n.escaped && n.r === 0x2e) token = { t: 1, flag: 0 };
    else if (!n.escaped && n.r === 0x5d) return globError(input, i, "set-close ']' with no preceding '[': %w");
    else if (!n.escaped && n.r === 0x5b) {
      const runes = new Set<number>();
      let complete = false;
      let prev = 0;
      let prevExists = false;
      for (let x = nextRune(i); x; x = nextRune(i)) {
        i = x.i;
        if (!x.escaped && x.r === 0x2d) {
          if (!prevExists) globError(input, i, "range character '-' must be preceded by a Unicode character: %w");
          if (i >= input.length - 1) globError(input, i, "range character '-' must be followed by a Unicode character: %w");
          const y = nextRune(i)!;
          i = y.i;
          if (!y.escaped && (y.r === 0x5d || y.r === 0x2d)) globError(input, i, "range character '-' cannot be followed by a special symbol: %w");
          if (y.r < prev) globError(input, i, "range is out of order: '%s' comes before '%s' in Unicode: %w", String.fromCodePoint(y.r), String.fromCodePoint(prev));
          for (let c = prev; c <= y.r; c++) runes.add(c);
          prevExists = false;
        } else if (!x.escaped && x.r === 0x5d) complete = true;
        else {
          runes.add(x.r);
          prev = x.r;
          prevExists = true;
        }
        if (complete) break;
      }
      if (!complete) globError(input, i, "found [ without matching ]: %w");
      token = { t: 2, runes, flag: 0 };
    } else if (!n.escaped && (n.r === 0x2b || n.r === 0x2a)) {
      return globError(input, i, "flag '%s' must be preceded by a non-flag: %w", String.fromCodePoint(n.r));
    } else token = { t: 0, r: n.r, flag: 0 };
    const f = nextRune(i);
    if (f && !f.escaped && (f.r === 0x2b || f.r === 0x2a)) {
      token.flag = f.r === 0x2b ? 1 : 2;
      i = f.i;
    }
    tokens.push(token);
  }
  return tokens;
}

function tokenEqual(a: Token, b: Token): boolean {
  if (a.t !== b.t) return false;
  if (a.t === 0) return a.r === (b as typeof a).r;
  if (a.t === 2) {
    const o = (b as typeof a).runes;
    return a.runes.size === o.size && [...a.runes].every((r) => o.has(r));
  }
  return true;
}

function simplify(tokens: Token[]): Token[] {
  if (tokens.length === 0) return tokens;
  const out: Token[] = [tokens[0]!];
  let latest = tokens[0]!;
  for (const t of tokens.slice(1)) {
    if (t.flag !== 0 && latest.flag !== 0 && tokenEqual(t, latest)) {
      out[out.length - 1]!.flag = t.flag === 1 || latest.flag === 1 ? 1 : 2;
      continue;
    }
    latest = t;
    out.push(t);
  }
  return out;
}

function match(a: Token, b: Token): boolean {
  const [t1, t2] = a.t > b.t ? [b, a] : [a, b];
  if (t1.t === 0) {
    if (t2.t === 0) return t1.r === t2.r;
    if (t2.t === 1) return true;
    return t2.runes.has(t1.r);
  }
  if (t1.t === 1) return true;
  return [...t1.runes].some((r) => (t2 as { runes: Set<number> }).runes.has(r));
}

function intersectNormal(g1: Token[], g2: Token[]): boolean {
  let i = 0;
  let j = 0;
  for (; i < g1.length && j < g2.length; i++, j++) {
    if (g1[i]!.flag === 0 && g2[j]!.flag === 0) {
      if (!match(g1[i]!, g2[j]!)) return false;
    } else return intersectSpecial(g1.slice(i), g2.slice(j));
  }
  return i === g1.length && j === g2.length;
}

function intersectSpecial(g1: Token[], g2: Token[]): boolean {
  if (g1[0]!.flag !== 0) return g1[0]!.flag === 1 ? intersectPlus(g1, g2) : intersectStar(g1, g2);
  if (g2[0]!.flag === 1) return intersectPlus(g2, g1);
  if (g2[0]!.flag === 2) return intersectStar(g2, g1);
  return false;
}

function intersectPlus(plussed: Token[], other: Token[]): boolean {
  if (!match(plussed[0]!, other[0]!)) return false;
  if (intersectStar(plussed, other.slice(1))) return true;
  return other[0]!.flag !== 0 && intersectNormal(plussed.slice(1), other);
}

function intersectStar(starred: Token[], other: Token[]): boolean {
  const star = starred[0]!;
  const next = starred[1];
  for (let i = 0; i < other.length; i++) {
    const t = other[i]!;
    if (next && match(t, next)) {
      if (intersectNormal(starred.slice(1), other.slice(i))) return true;
      if (!match(t, star)) return false;
    } else if (!match(t, star)) return false;
  }
  return next === undefined;
}

function globsNonEmpty(lhs: string, rhs: string): boolean {
  let g1 = simplify(tokenize([...lhs].map((c) => c.codePointAt(0)!)));
  let g2 = simplify(tokenize([...rhs].map((c) => c.codePointAt(0)!)));
  let l = 0;
  for (; l < g1.length && l < g2.length && g1[l]!.flag === 0 && g2[l]!.flag === 0; l++) {
    if (!match(g1[l]!, g2[l]!)) return false;
  }
  if (l > 0) l--;
  let r1 = g1.length - 1;
  let r2 = g2.length - 1;
  for (; r1 >= 0 && r1 >= l && r2 >= 0 && r2 >= l && g1[r1]!.flag === 0 && g2[r2]!.flag === 0; r1--, r2--) {
    if (!match(g1[r1]!, g2[r2]!)) return false;
  }
  if (r1 < g1.length - 1) {
    r1++;
    r2++;
  }
  g1 = g1.slice(l, r1 + 1);
  g2 = g2.slice(l, r2 + 1);
  return intersectNormal(g1, g2);
}

export const REGEX: Registry = {
  "regex.split": ([p, s]) => compile(str(p, 1)).split(str(s, 2)),
  "regex.find_n": ([p, s, n]) => {
    const pattern = str(p, 1);
    const value = str(s, 2);
    const count = intOperand(n, 3);
    return compile(pattern).findAll(value, count);
  },
  "regex.replace": ([s, p, v]) => {
    const base = str(s, 1);
    const pattern = str(p, 2);
    const value = str(v, 3);
    return compile(pattern).replaceAll(base, value);
  },
  "regex.template_match": ([p, m, s, e]) => {
    const pattern = str(p, 1);
    const value = str(m, 2);
    const start = str(s, 3);
    const end = str(e, 4);
    const bytes = (x: string): number => new TextEncoder().encode(x).length;
    if (bytes(start) !== 1) throw new BuiltinError(`start delimiter has to be exactly one character long but is ${bytes(start)} long`);
    if (bytes(end) !== 1) throw new BuiltinError(`end delimiter has to be exactly one character long but is ${bytes(start)} long`);
    return compile(templatePattern(pattern, start, end)).matchString(value);
  },
  "regex.globs_match": ([a, b]) => globsNonEmpty(str(a, 1), str(b, 2)),
};

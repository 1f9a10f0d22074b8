/**
 * Go's regexp/syntax parser (Perl flags, as regexp.Compile uses them), reduced to what
 * the translation to a JavaScript RegExp needs: the same accepted language, the same
 * error messages ("error parsing regexp: missing closing ): `(`"), and an AST whose
 * meaning is Go's (ASCII \d \s \w \b, `.` not matching only \n, `$` meaning end of text
 * unless (?m), flags scoped to their group, no backreferences or lookaround).
 */

import { RegexpSyntaxError, type Node, type Parsed, type Prop, type Range } from "./ast.js";
import { isalnum, MAX_RUNE, negate, PERL, POSIX, unhex, unicodeTable } from "./tables.js";

export { RegexpSyntaxError, type Node, type Parsed, type Prop, type Range } from "./ast.js";


interface Flags {
  fold: boolean;
  oneLine: boolean;
  dotNL: boolean;
  nonGreedy: boolean;
}

interface Frame {
  readonly flags: Flags;
  readonly cap: number;
  readonly name: string | undefined;
  readonly alts: Node[][];
  cur: Node[];
}


/** Parses a Go regular expression (regexp.Compile syntax). Throws RegexpSyntaxError. */
export function parseRegexp(s: string): Parsed {
  const names: Array<string | undefined> = [undefined];
  let flags: Flags = { fold: false, oneLine: true, dotNL: false, nonGreedy: false };
  const root: Frame = { flags, cap: 0, name: undefined, alts: [], cur: [] };
  const stack: Frame[] = [root];
  const top = (): Frame => stack[stack.length - 1]!;
  let pos = 0;
  let lastRepeat = -1; // start of the previous repetition operator, or -1

  const nextRune = (i: number): [number, number] => {
    const c = s.codePointAt(i)!;
    return [c, i + (c > 0xffff ? 2 : 1)];
  };
  const push = (n: Node): void => {
    top().cur.push(n);
  };
  const lit = (r: number): void => push({ op: "lit", r, fold: flags.fold });

  const repeat = (min: number, max: number, before: number, afterIn: number, brace: boolean): number => {
    let after = afterIn;
    let greedy = !flags.nonGreedy;
    if (after < s.length && s[after] === "?") {
      after++;
      greedy = !greedy;
    }
    if (lastRepeat >= 0) throw new RegexpSyntaxError("invalid nested repetition operator", s.slice(lastRepeat, after));
    const cur = top().cur;
    const sub = cur[cur.length - 1];
    if (!sub) throw new RegexpSyntaxError("missing argument to repetition operator", s.slice(before, after));
    const node: Node = { op: "rep", min, max, greedy, sub, brace };
    cur[cur.length - 1] = node;
    if (brace && (min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) {
      throw new RegexpSyntaxError("invalid repeat count", s.slice(before, after));
    }
    return after;
  };

  const parseEscape = (start: number): [number, number] => {
    let t = start + 1;
    if (t >= s.length) throw new RegexpSyntaxError("trailing backslash at end of expression", "");
    let c: number;
    [c, t] = nextRune(t);
    const invalid = (): never => {
      throw new RegexpSyntaxError("invalid escape sequence", s.slice(start, t));
    };
    const isOct = (i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "7";
    switch (String.fromCodePoint(c)) {
      case "1": case "2": case "3": case "4": case "5": case "6": case "7":
        if (!isOct(t)) return invalid();
      // falls through
      case "0": {
        let r = c - 0x30;
        for (let i = 1; i < 3 && isOct(t); i++) r = r * 8 + (s.charCodeAt(t++) - 0x30);
        return [r, t];
      }
      case "x": {
        if (t >= s.length) return invalid();
        [c, t] = nextRune(t);
        if (c === 0x7b) {
          let nhex = 0;
          let r = 0;
          for (;;) {
            if (t >= s.length) return invalid();
            [c, t] = nextRune(t);
            if (c === 0x7d) break;
            const v = unhex(c);
            if (v < 0) return invalid();
            r = r * 16 + v;
            if (r > MAX_RUNE) return invalid();
            nhex++;
          }
          if (nhex === 0) return invalid();
          return [r, t];
        }
        const x = unhex(c);
        if (t >= s.length) return invalid();
        [c, t] = nextRune(t);
        const y = unhex(c);
        if (x < 0 || y < 0) return invalid();
        return [x * 16 + y, t];
      }
      case "a": return [7, t];
      case "f": return [12, t];
      case "n": return [10, t];
      case "r": return [13, t];
      case "t": return [9, t];
      case "v": return [11, t];
      default:
        if (c < 0x80 && !isalnum(c)) return [c, t];
        return invalid();
    }
  };

  const unicodeClass = (start: number): { ranges: Range[]; props: Prop[]; negated: boolean; end: number } | undefined => {
    if (start + 1 >= s.length || s[start] !== "\\" || (s[start + 1] !== "p" && s[start + 1] !== "P")) return undefined;
    let sign = s[start + 1] === "P" ? -1 : 1;
    if (start + 2 >= s.length) throw new RegexpSyntaxError("invalid character class range", s.slice(start, start + 2));
    const [c, afterC] = nextRune(start + 2);
    let seqEnd: number;
    let name: string;
    if (c !== 0x7b) {
      seqEnd = afterC;
      name = s.slice(start + 2, afterC);
    } else {
      const close = s.indexOf("}", start);
      if (close < 0) throw new RegexpSyntaxError("invalid character class range", s.slice(start));
      seqEnd = close + 1;
      name = s.slice(start + 3, close);
    }
    if (name.startsWith("^")) {
      sign = -sign;
      name = name.slice(1);
    }
    const tab = unicodeTable(name);
    if (!tab) throw new RegexpSyntaxError("invalid character class range", s.slice(start, seqEnd));
    if (tab.sign < 0) sign = -sign;
    return { ranges: tab.ranges ?? [], props: tab.props ?? [], negated: sign < 0, end: seqEnd };
  };

  const parseClass = (start: number): number => {
    let t = start + 1;
    let negated = false;
    if (t < s.length && s[t] === "^") {
      negated = true;
      t++;
    }
    const ranges: Range[] = [];
    const props: Prop[] = [];
    let first = true;
    while (t >= s.length || s[t] !== "]" || first) {
      first = false;
      if (t + 2 < s.length && s[t] === "[" && s[t + 1] === ":") {
        const close = s.indexOf(":]", t + 2);
        if (close >= 0) {
          const name = s.slice(t, close + 2);
          const m = /^\[:(\^?)([a-z]+):\]$/.exec(name);
          const group = m ? POSIX[m[2]!] : undefined;
          if (!group) throw new RegexpSyntaxError("invalid character class range", name);
          ranges.push(...(m![1] ? negate(group) : group));
          t = close + 2;
          continue;
        }
      }
      const u = unicodeClass(t);
      if (u) {
        if (u.props.length === 0) ranges.push(...(u.negated ? negate(u.ranges) : u.ranges));
        else props.push(...u.props.map((p) => ({ name: p.name, negated: p.negated !== u.negated })));
        t = u.end;
        continue;
      }
      const perl = PERL[s.slice(t, t + 2)];
      if (perl) {
        ranges.push(...(perl[0] < 0 ? negate(perl[1]) : perl[1]));
        t += 2;
        continue;
      }
      const rng = t;
      const classChar = (i: number): [number, number] => {
        if (i >= s.length) throw new RegexpSyntaxError("missing closing ]", s.slice(start));
        if (s[i] === "\\") return parseEscape(i);
        return nextRune(i);
      };
      let lo: number;
      [lo, t] = classChar(t);
      let hi = lo;
      if (t + 1 < s.length && s[t] === "-" && s[t + 1] !== "]") {
        [hi, t] = classChar(t + 1);
        if (hi < lo) throw new RegexpSyntaxError("invalid character class range", s.slice(rng, t));
      }
      ranges.push([lo, hi]);
    }
    push({ op: "class", ranges, props, negated, fold: flags.fold });
    return t + 1;
  };

  const parsePerlFlags = (start: number): number => {
    const startsWithP = s.length - start > 4 && s[start + 2] === "P" && s[start + 3] === "<";
    const startsWithName = s.length - start > 3 && s[start + 2] === "<";
    if (startsWithP || startsWithName) {
      const exprStart = start + (startsWithName ? 3 : 4);
      const end = s.indexOf(">", start);
      if (end < 0) throw new RegexpSyntaxError("invalid named capture", s.slice(start));
      const name = s.slice(exprStart, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new RegexpSyntaxError("invalid named capture", s.slice(start, end + 1));
      names.push(name);
      stack.push({ flags, cap: names.length - 1, name, alts: [], cur: [] });
      return end + 1;
    }
    let t = start + 2;
    const next: Flags = { ...flags };
    let sign = 1;
    let sawFlag = false;
    while (t < s.length) {
      let c: number;
      [c, t] = nextRune(t);
      const ch = String.fromCodePoint(c);
      if (ch === "i" || ch === "m" || ch === "s" || ch === "U") {
        const on = sign > 0;
        if (ch === "i") next.fold = on;
        else if (ch === "m") next.oneLine = !on;
        else if (ch === "s") next.dotNL = on;
        else next.nonGreedy = on;
        sawFlag = true;
      } else if (ch === "-") {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (ch === ":" || ch === ")") {
        if (sign < 0 && !sawFlag) break;
        if (ch === ":") stack.push({ flags, cap: 0, name: undefined, alts: [], cur: [] });
        flags = next;
        return t;
      } else break;
    }
    throw new RegexpSyntaxError("invalid or unsupported Perl syntax", s.slice(start, t));
  };

  const close = (frame: Frame): Node => {
    const alts = [...frame.alts, frame.cur].map((items): Node => (items.length === 0 ? { op: "empty" } : items.length === 1 ? items[0]! : { op: "concat", subs: items }));
    return alts.length === 1 ? alts[0]! : { op: "alt", subs: alts };
  };

  while (pos < s.length) {
    let repeatStart = -1;
    const c = s[pos]!;
    switch (c) {
      case "(":
        if (pos + 1 < s.length && s[pos + 1] === "?") {
          pos = parsePerlFlags(pos);
          break;
        }
        names.push(undefined);
        stack.push({ flags, cap: names.length - 1, name: undefined, alts: [], cur: [] });
        pos++;
        break;
      case "|":
        top().alts.push(top().cur);
        top().cur = [];
        pos++;
        break;
      case ")": {
        if (stack.length < 2) throw new RegexpSyntaxError("unexpected )", s);
        const frame = stack.pop()!;
        const sub = close(frame);
        flags = frame.flags;
        push(frame.cap > 0 ? { op: "cap", index: frame.cap, name: frame.name, sub } : { op: "group", sub });
        pos++;
        break;
      }
      case "^":
        push({ op: flags.oneLine ? "bot" : "bol" });
        pos++;
        break;
      case "$":
        push({ op: flags.oneLine ? "eot" : "eol" });
        pos++;
        break;
      case ".":
        push({ op: "any", nl: flags.dotNL });
        pos++;
        break;
      case "[":
        pos = parseClass(pos);
        break;
      case "*":
      case "+":
      case "?": {
        const before = pos;
        pos = repeat(c === "+" ? 1 : 0, c === "?" ? 1 : -1, before, pos + 1, false);
        repeatStart = before;
        break;
      }
      case "{": {
        const before = pos;
        const m = /^\{(0|[1-9]\d*)(?:(,)(0|[1-9]\d*)?)?\}/.exec(s.slice(pos));
        if (!m) {
          lit(0x7b);
          pos++;
          break;
        }
        const big = (d: string): number => (d.length > 9 ? -1 : Number(d));
        let min = big(m[1]!);
        const max = m[2] ? (m[3] !== undefined ? big(m[3]) : -1) : min;
        if (m[2] && m[3] !== undefined && max < 0) min = -1;
        const after = pos + m[0].length;
        if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
          throw new RegexpSyntaxError("invalid repeat count", s.slice(before, after));
        }
        pos = repeat(min, max, before, after, true);
        repeatStart = before;
        break;
      }
      case "\\": {
        if (pos + 1 < s.length) {
          const e = s[pos + 1];
          const simple: Record<string, Node["op"]> = { A: "bot", b: "wb", B: "nwb", z: "eot" };
          if (e && simple[e]) {
            push({ op: simple[e] } as Node);
            pos += 2;
            break;
          }
          if (e === "C") throw new RegexpSyntaxError("invalid escape sequence", "\\C");
          if (e === "Q") {
            const end = s.indexOf("\\E", pos + 2);
            const text = end < 0 ? s.slice(pos + 2) : s.slice(pos + 2, end);
            for (const ch of text) lit(ch.codePointAt(0)!);
            pos = end < 0 ? s.length : end + 2;
            break;
          }
        }
        const u = unicodeClass(pos);
        if (u) {
          push({ op: "class", ranges: u.ranges, props: u.props, negated: u.negated, fold: flags.fold });
          pos = u.end;
          break;
        }
        const perl = PERL[s.slice(pos, pos + 2)];
        if (perl) {
          push({ op: "class", ranges: perl[1], props: [], negated: perl[0] < 0, fold: flags.fold });
          pos += 2;
          break;
        }
        let r: number;
        [r, pos] = parseEscape(pos);
        lit(r);
        break;
      }
      default: {
        let r: number;
        [r, pos] = nextRune(pos);
        lit(r);
      }
    }
    lastRepeat = repeatStart;
  }
  if (stack.length !== 1) throw new RegexpSyntaxError("missing closing )", s);
  return { node: close(root), names };
}

function repeatIsValid(node: Node, n0: number): boolean {
  let n = n0;
  if (node.op === "rep" && node.brace) {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  switch (node.op) {
    case "rep":
    case "cap":
    case "group":
      return repeatIsValid(node.sub, n);
    case "concat":
    case "alt":
      return node.subs.every((x) => repeatIsValid(x, n));
    default:
      return true;
  }
}

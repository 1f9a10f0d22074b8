/**
 * The output of go.yaml.in/yaml/v3's encoder (indent 2, no line width) for the values
 * yaml.marshal hands it: string-keyed maps (keys in v3's natural order), sequences, and
 * scalars in the style libyaml's emitter picks (plain, 'single', "double", literal |).
 * A port of the relevant parts of emitterc.go's state machine.
 */

export type YValue =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  | { t: "num"; text: string }
  | { t: "str"; v: string }
  | { t: "seq"; items: YValue[] }
  | { t: "map"; entries: Array<[string, YValue]> };

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

const isBreak = (c: string): boolean => c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankz = (c: string | undefined): boolean => c === undefined || c === " " || c === "\t" || isBreak(c) || c === "\0";
/** go-yaml's is_printable (on UTF-8 bytes: nothing outside the BMP counts as printable). */
function isPrintable(c: string): boolean {
  const x = c.codePointAt(0)!;
  return x === 0x0a || (x >= 0x20 && x <= 0x7e) || (x >= 0xa0 && x <= 0xd7ff) || (x >= 0xe000 && x <= 0xfffd && x !== 0xfeff);
}

function analyze(value: string): Analysis {
  if (value.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  const chars = [...value];
  let blockInd = false;
  let flowInd = false;
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (value.startsWith("---") || value.startsWith("...")) {
    blockInd = true;
    flowInd = true;
  }
  let precededByWs = true;
  chars.forEach((c, i) => {
    const followedByWs = isBlankz(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) {
        flowInd = true;
        blockInd = true;
      } else if (c === "?" || c === ":") {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === "-" && followedByWs) {
        flowInd = true;
        blockInd = true;
      }
    } else if (",?[]{}".includes(c)) flowInd = true;
    else if (c === ":") {
      flowInd = true;
      if (followedByWs) blockInd = true;
    } else if (c === "#" && precededByWs) {
      flowInd = true;
      blockInd = true;
    }
    if (c === "\t") tabs = true;
    else if (!isPrintable(c)) special = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankz(c);
  });
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || tabs || special) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

type Style = "plain" | "single" | "double" | "literal";

class Emitter {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  indents: number[] = [];
  inSeqItem: boolean[] = [];

  put(s: string): void {
    for (const c of s) {
      this.out += c;
      this.column++;
    }
  }

  putBreak(): void {
    this.out += "\n";
    this.column = 0;
    this.indention = true;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
  }

  indicator(s: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.put(" ");
    this.put(s);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
  }

  increaseIndent(flow: boolean, parentIsSeqItem: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? 2 : 0;
    else if (parentIsSeqItem) this.indent += 2;
    else this.indent = 2 * Math.floor((this.indent + 2) / 2);
  }

  popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  node(v: YValue, ctx: { seqItem: boolean; simpleKey: boolean }): void {
    if (v.t === "seq" || v.t === "map") {
      const empty = v.t === "seq" ? v.items.length === 0 : v.entries.length === 0;
      if (empty) {
        this.indicator(v.t === "seq" ? "[" : "{", true, true, false);
        this.indicator(v.t === "seq" ? "]" : "}", false, false, false);
        return;
      }
      if (v.t === "seq") {
        this.increaseIndent(false, ctx.seqItem);
        for (const item of v.items) {
          this.writeIndent();
          this.indicator("-", true, false, true);
          this.node(item, { seqItem: true, simpleKey: false });
        }
      } else {
        this.increaseIndent(false, ctx.seqItem);
        for (const [k, val] of v.entries) {
          this.writeIndent();
          const key: YValue = { t: "str", v: k };
          const ka = analyze(k);
          if (!ka.multiline && [...k].length <= 128) {
            this.scalar(key, ka, { seqItem: false, simpleKey: true });
            this.indicator(":", false, false, false);
          } else {
            this.indicator("?", true, false, true);
            this.scalar(key, ka, { seqItem: false, simpleKey: false });
            this.writeIndent();
            this.indicator(":", true, false, true);
          }
          this.node(val, { seqItem: false, simpleKey: false });
        }
      }
      this.popIndent();
      return;
    }
    const text = v.t === "null" ? "null" : v.t === "bool" ? String(v.v) : v.t === "num" ? v.text : v.v;
    this.scalar(v, analyze(text), ctx);
  }

  scalar(v: YValue, a: Analysis, ctx: { seqItem: boolean; simpleKey: boolean }): void {
    const text = v.t === "null" ? "null" : v.t === "bool" ? String(v.v) : v.t === "num" ? v.text : v.t === "str" ? v.v : "";
    let style: Style = v.t === "str" ? stringStyle(text) : "plain";
    if (ctx.simpleKey && a.multiline) style = "double";
    if (style === "plain") {
      if (!a.blockPlain) style = "single";
      if (text.length === 0 && ctx.simpleKey) style = "single";
    }
    if (style === "single" && !a.singleQuoted) style = "double";
    if (style === "literal" && (!a.block || ctx.simpleKey)) style = "double";
    this.increaseIndent(true, ctx.seqItem);
    if (style === "plain") this.plain(text);
    else if (style === "single") this.single(text);
    else if (style === "double") this.double(text);
    else this.literal(text);
    this.popIndent();
  }

  plain(s: string): void {
    if (s.length > 0 && !this.whitespace) this.put(" ");
    let breaks = false;
    for (const c of s) {
      if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.breakChar(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
    if (s.length > 0) this.whitespace = false;
    this.indention = false;
  }

  breakChar(c: string): void {
    if (c === "\n") this.putBreak();
    else {
      this.put(c);
      this.column = 0;
      this.indention = true;
    }
  }

  single(s: string): void {
    this.indicator("'", true, false, false);
    let breaks = false;
    for (const c of s) {
      if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.breakChar(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  double(s: string): void {
    this.indicator('"', true, false, false);
    const named: Record<number, string> = { 0: "0", 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 0x1b: "e", 0x22: '"', 0x5c: "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P" };
    for (const c of s) {
      const x = c.codePointAt(0)!;
      if (!isPrintable(c) || x === 0xfeff || isBreak(c) || c === '"' || c === "\\") {
        const n = named[x];
        if (n !== undefined) this.put(`\\${n}`);
        else if (x <= 0xff) this.put(`\\x${x.toString(16).toUpperCase().padStart(2, "0")}`);
        else if (x <= 0xffff) this.put(`\\u${x.toString(16).toUpperCase().padStart(4, "0")}`);
        else this.put(`\\U${x.toString(16).toUpperCase().padStart(8, "0")}`);
      } else this.put(c);
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  literal(s: string): void {
    this.indicator("|", true, false, false);
    const chars = [...s];
    if (chars[0] === " " || isBreak(chars[0] ?? "")) this.indicator("2", false, false, false);
    let chomp = "";
    const last = chars[chars.length - 1];
    if (chars.length === 0 || !isBreak(last!)) chomp = "-";
    else if (chars.length === 1 || isBreak(chars[chars.length - 2]!)) chomp = "+";
    if (chomp) this.indicator(chomp, false, false, false);
    this.putBreak();
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.breakChar(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** encoder.stringv: literal for multi-line, plain when it reads back as the same string, else double. */
function stringStyle(s: string): Style {
  if (s.includes("\n")) return "literal";
  return canUsePlain(s) ? "plain" : "double";
}

let plainCheck: (s: string) => boolean = () => true;

/** Set by yaml.ts: whether v3's resolve() reads a plain scalar back as this string. */
export function setPlainCheck(f: (s: string) => boolean): void {
  plainCheck = f;
}

function canUsePlain(s: string): boolean {
  return plainCheck(s);
}

/** yaml.v3 keyList.Less for string keys ("natural" order: digit runs compare as numbers). */
export function naturalLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isDigit = (c: string): boolean => /\p{Nd}/u.test(c);
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]!);
      continue;
    }
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return digits ? al : bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]!.codePointAt(0)! - 48));
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]!.codePointAt(0)! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

export function emitYAML(v: YValue): string {
  const e = new Emitter();
  e.node(v, { seqItem: false, simpleKey: false });
  e.writeIndent();
  return e.out;
}

// Source text → tokens, following hclsyntax's scanner (scan_tokens.rl) rule by rule, so
// that what HCL rejects is rejected here and token offsets are HCL's. Like HCL's, the
// scanner has modes: expressions ("main"), quoted templates and heredoc templates. `${`
// and `%{` push an expression mode that their matching `}` pops, which is why braces are
// counted: a `}` either closes an object or block, or ends a template sequence.
import { HclError } from "./error.js";
import type { TokType, Token } from "./tokens.js";

type HeredocMode = { readonly kind: "heredoc"; readonly open: number; readonly marker: string; startOfLine: boolean };
type Mode = { readonly kind: "main"; readonly open: number } | { readonly kind: "string"; readonly open: number } | HeredocMode;

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER = /[0-9](?:[0-9.]|[eE][+-]?[0-9])*/y;
const HEREDOC_INTRO = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;
const SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
const OPS3 = new Set(["..."]);
const OPS2 = new Set(["==", "!=", ">=", "<=", "&&", "||", "::", "=>"]);
const SELF = new Set(["[", "]", "(", ")", ".", ",", "*", "/", "%", "+", "-", "=", "<", ">", "!", "?", ":"]);
const INVALID: Record<string, string> = {
  "&": 'Bitwise operators are not supported; did you mean boolean AND ("&&")?',
  "|": 'Bitwise operators are not supported; did you mean boolean OR ("||")?',
  "~": 'Bitwise operators are not supported; did you mean boolean NOT ("!")?',
  "^": "Bitwise operators are not supported",
  ";": 'The ";" character is not valid: use newlines to separate arguments and blocks',
  "`": 'The "`" character is not valid: use the heredoc syntax (<<EOT) for multi-line strings',
  "'": 'Single quotes are not valid: use double quotes (") to enclose strings',
};

/** The tokens of `src`, ending with "eof"; throws HclError at the first thing HCL refuses. */
export function lex(src: string): Token[] {
  return new Lexer(src).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private i = 0;
  private braces = 0;
  /** Brace counts at which an open `${`/`%{` sequence ends. */
  private readonly retBraces: number[] = [];
  private readonly modes: Mode[] = [{ kind: "main", open: 0 }];

  constructor(private readonly src: string) {
    // hclsyntax skips a UTF-8 byte order mark; offsets stay those of the text given.
    if (src.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  run(): Token[] {
    const n = this.src.length;
    while (this.i < n) {
      const mode = this.modes[this.modes.length - 1] as Mode;
      if (mode.kind === "main") this.main();
      else if (mode.kind === "string") this.quoted();
      else this.heredoc(mode);
    }
    if (this.modes.length > 1) {
      const open = this.modes[this.modes.length - 1] as Mode;
      throw new HclError("syntax", open.open, unterminated(open));
    }
    this.emit("eof", n, n);
    return this.tokens;
  }

  private emit(t: TokType, s: number, e: number, v = "", flag = false): void {
    this.tokens.push({ t, s, e, v, flag });
  }

  /** The next `len` characters as one token. */
  private take(t: TokType, len: number, v = "", flag = false): void {
    this.emit(t, this.i, this.i + len, v, flag);
    this.i += len;
  }

  // --- expression mode -------------------------------------------------------------

  /** One token, or skipped space or comment, in expression mode. */
  private main(): void {
    if (this.space() || this.comment() || this.number() || this.ident() || this.opener() || this.brace() || this.operator()) return;
    this.invalid();
  }

  private space(): boolean {
    const c = this.src[this.i];
    if (c === " " || c === "\t") {
      this.i++;
      return true;
    }
    if (c === "\n") {
      this.take("nl", 1);
      return true;
    }
    if (c !== "\r") return false;
    if (this.src[this.i + 1] !== "\n") throw new HclError("syntax", this.i, "Invalid character: a carriage return must be followed by a newline");
    this.take("nl", 2);
    return true;
  }

  private comment(): boolean {
    const src = this.src;
    const i = this.i;
    const c = src[i];
    const next = src[i + 1];
    if (c === "#" || (c === "/" && next === "/")) {
      // A line comment takes its newline with it; the parser sees that as the newline.
      const nl = src.indexOf("\n", i);
      if (nl === -1) this.i = src.length;
      else {
        this.emit("nl", nl, nl + 1);
        this.i = nl + 1;
      }
      return true;
    }
    if (c !== "/" || next !== "*") return false;
    const end = src.indexOf("*/", i + 2);
    if (end === -1) throw new HclError("syntax", i, "Unterminated comment: no closing */ before the end of the file");
    this.i = end + 2;
    return true;
  }

  private number(): boolean {
    const c = this.src[this.i] as string;
    if (c < "0" || c > "9") return false;
    NUMBER.lastIndex = this.i;
    let text = (NUMBER.exec(this.src) as RegExpExecArray)[0];
    // As in scan_tokens.rl, a number never ends with a dot: `1.` is the number 1, then a dot.
    while (text.endsWith(".")) text = text.slice(0, -1);
    this.take("number", text.length, text);
    return true;
  }

  private ident(): boolean {
    IDENT.lastIndex = this.i;
    const ident = IDENT.exec(this.src);
    if (!ident) return false;
    this.take("ident", ident[0].length, ident[0]);
    return true;
  }

  /** The opening `"` of a quoted template, or `<<EOT`/`<<-EOT` and its newline. */
  private opener(): boolean {
    const src = this.src;
    const i = this.i;
    if (src[i] === '"') {
      this.take("oquote", 1);
      this.modes.push({ kind: "string", open: i });
      return true;
    }
    if (src[i] !== "<" || src[i + 1] !== "<") return false;
    HEREDOC_INTRO.lastIndex = i;
    const m = HEREDOC_INTRO.exec(src);
    // `<<` without a heredoc marker is two less-than operators, for the parser to refuse.
    if (!m) return false;
    const marker = m[2] as string;
    this.take("oheredoc", m[0].length, marker, m[1] === "-");
    this.modes.push({ kind: "heredoc", open: i, marker, startOfLine: true });
    return true;
  }

  private brace(): boolean {
    const c = this.src[this.i];
    if (c === "{") {
      this.braces++;
      this.take("{", 1);
      return true;
    }
    const tilde = c === "~" && this.src[this.i + 1] === "}";
    if (c !== "}" && !tilde) return false;
    const len = tilde ? 2 : 1;
    if (this.retBraces.length > 0 && this.retBraces[this.retBraces.length - 1] === this.braces) {
      // The end of a ${…} or %{…} sequence: back to the template it interrupted.
      this.take("seqend", len, "", tilde);
      this.retBraces.pop();
      this.modes.pop();
    } else {
      // `~}` closing a plain brace stays a sequence end, for the parser to reject.
      this.take(tilde ? "seqend" : "}", len, "", tilde);
    }
    this.braces--;
    return true;
  }

  /** The longest operator at this point: three characters, then two, then one. */
  private operator(): boolean {
    const src = this.src;
    const i = this.i;
    const three = src.slice(i, i + 3);
    if (OPS3.has(three)) {
      this.take(three as TokType, 3);
      return true;
    }
    const two = src.slice(i, i + 2);
    if (OPS2.has(two)) {
      this.take(two as TokType, 2);
      return true;
    }
    const one = src[i] as string;
    if (!SELF.has(one)) return false;
    this.take(one as TokType, 1);
    return true;
  }

  private invalid(): never {
    const i = this.i;
    const why = INVALID[this.src[i] as string];
    if (why) throw new HclError("syntax", i, `Invalid character: ${why}`);
    const cp = String.fromCodePoint(this.src.codePointAt(i) ?? 0);
    throw new HclError("syntax", i, `Invalid character ${JSON.stringify(cp)}: this character is not used within the language`);
  }

  // --- template modes --------------------------------------------------------------

  /** `${`, `%{`, or a `$`/`%` that starts none, in a quoted or heredoc template. */
  private templateSequence(): boolean {
    const c = this.src[this.i];
    if (c !== "$" && c !== "%") return false;
    if (this.src[this.i + 1] === "{") this.sequence(c === "$" ? "interp" : "control");
    else this.dollar();
    return true;
  }

  /** `${` / `%{` (with an optional `~`): enters an expression until the matching brace. */
  private sequence(kind: "interp" | "control"): void {
    const i = this.i;
    const tilde = this.src[i + 2] === "~";
    this.take(kind, tilde ? 3 : 2, "", tilde);
    this.braces++;
    this.retBraces.push(this.braces);
    this.modes.push({ kind: "main", open: i });
  }

  /**
   * `$`/`%` not starting a sequence: `$${` (and `$${~`) is an escaped `${`, any other `$` is
   * itself. Each is a literal token of its own, as hclsyntax scans them.
   */
  private dollar(): void {
    const src = this.src;
    const i = this.i;
    const c = src[i] as string;
    if (src[i + 1] === c && src[i + 2] === "{") {
      const tilde = src[i + 3] === "~";
      this.take("lit", tilde ? 4 : 3, c + "{" + (tilde ? "~" : ""));
      return;
    }
    if (i + 1 >= src.length) throw new HclError("syntax", i, `Invalid character: ${c} at the end of the file`);
    this.take("lit", 1, c);
  }

  private quoted(): void {
    const c = this.src[this.i];
    if (c === '"') {
      this.take("cquote", 1);
      this.modes.pop();
      return;
    }
    if (this.templateSequence()) return;
    if (c === "\n" || c === "\r") {
      throw new HclError("syntax", this.i, "Invalid multi-line string: quoted strings may not be split over multiple lines; use \\n or a heredoc");
    }
    const { text, end } = decodeQuotedRun(this.src, this.i);
    this.take("lit", end - this.i, text);
  }

  private heredoc(mode: HeredocMode): void {
    if (this.templateSequence()) {
      mode.startOfLine = false;
      return;
    }
    const src = this.src;
    const i = this.i;
    let j = i;
    while (j < src.length && !"$%\n\r".includes(src[j] as string)) j++;
    const ch = src[j];
    if (ch === "\r" && src[j + 1] !== "\n") throw new HclError("syntax", j, "Invalid character: a carriage return must be followed by a newline");
    if (ch === "\n" || ch === "\r") {
      this.heredocLine(mode, j, ch === "\r" ? j + 2 : j + 1);
      return;
    }
    // Text before a `$`/`%` or the end of the file.
    this.take("lit", j - i, src.slice(i, j));
    mode.startOfLine = false;
  }

  /** The rest of a heredoc line, up to its newline at `nl`: the closing marker, or text. */
  private heredocLine(mode: HeredocMode, nl: number, nlEnd: number): void {
    const i = this.i;
    if (mode.startOfLine && this.src.slice(i, nl).replace(SPACE, "") === mode.marker) {
      // The closing marker, then the newline after it as a token of its own.
      this.emit("cheredoc", i, nl);
      this.emit("nl", nl, nlEnd);
      this.modes.pop();
    } else {
      this.emit("lit", i, nlEnd, this.src.slice(i, nlEnd));
      mode.startOfLine = true;
    }
    this.i = nlEnd;
  }
}

function unterminated(open: Mode): string {
  if (open.kind === "string") return "Unterminated template string: no closing quote before the end of the file";
  if (open.kind === "heredoc") return `Unterminated heredoc: no closing ${open.marker} marker on a line of its own before the end of the file`;
  return "Unclosed template sequence: no closing brace before the end of the file";
}

/**
 * A run of literal characters in a quoted string, up to a quote, `$`, `%` or line end,
 * with its backslash escapes decoded as ParseStringLiteralToken decodes them.
 */
function decodeQuotedRun(src: string, from: number): { text: string; end: number } {
  let text = "";
  let j = from;
  while (j < src.length) {
    const ch = src[j] as string;
    if (ch === '"' || ch === "$" || ch === "%" || ch === "\n" || ch === "\r") break;
    if (ch === "\\") {
      const [decoded, length] = decodeEscape(src, j);
      text += decoded;
      j += length;
    } else {
      text += ch;
      j++;
    }
  }
  return { text, end: j };
}

/** The escape sequence whose backslash is at `at`: the text it stands for and its length. */
function decodeEscape(src: string, at: number): [string, number] {
  const sel = src[at + 1];
  if (sel === undefined || sel === "\n" || sel === "\r") {
    throw new HclError("syntax", at, "Invalid character: a backslash must be followed by an escape sequence selector");
  }
  const mapped = SIMPLE_ESCAPES[sel];
  if (mapped !== undefined) return [mapped, 2];
  if (sel !== "u" && sel !== "U") {
    throw new HclError("syntax", at, `Invalid escape sequence: ${JSON.stringify(sel)} is not a valid escape sequence selector`);
  }
  const want = sel === "u" ? 4 : 8;
  const hex = /^[0-9a-fA-F]*/.exec(src.slice(at + 2, at + 2 + want))?.[0] ?? "";
  const cp = parseInt(hex, 16);
  if (hex.length !== want || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    throw new HclError("syntax", at, `Invalid escape sequence: \\${sel} must be followed by ${want} hexadecimal digits of a Unicode character`);
  }
  return [String.fromCodePoint(cp), 2 + want];
}

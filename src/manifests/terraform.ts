// Terraform (HCL2 native syntax) in the shape conftest gives policies: conftest converts
// .tf files with tmccombs/hcl2json (v0.6.7 over hashicorp/hcl v2.23), so conftest
// Terraform policies work unchanged. One document per file:
//
//   resource "aws_s3_bucket" "b" { versioning { enabled = true } }
//   → {"resource": {"aws_s3_bucket": {"b": [{"versioning": [{"enabled": true}]}]}}}
//
// Blocks nest by type and labels, bodies go in arrays (repeated blocks append). Literals
// become JSON values; templates are re-rendered ("a-${var.x}", "%{if c}…%{endif}");
// everything else (references, calls, operators, for expressions) is the source text of
// the expression as `${…}`. Tuples and objects are converted element by element.
//
// The lexer and parser follow hclsyntax (scan_tokens.rl, parser.go, parser_template.go)
// rule by rule, so what HCL rejects is rejected here, and expression source ranges are
// the same. Where hclsyntax would recover and report more diagnostics, this stops at the
// first one: a file with any error is not evaluated.
import { LineIndex } from "./lines.js";
import { SourceMap, type PathSegment } from "./source-map.js";
import type { ManifestParser, ParseErrorReason, ParseLimits, ParseResult } from "./types.js";

class HclError extends Error {
  constructor(
    readonly reason: ParseErrorReason,
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------
// Lexer (scan_tokens.rl)

type TokType =
  | "nl"
  | "ident"
  | "number"
  | "oquote"
  | "cquote"
  | "oheredoc"
  | "cheredoc"
  | "lit"
  | "interp"
  | "control"
  | "seqend"
  | "eof"
  | "{"
  | "}"
  | "["
  | "]"
  | "("
  | ")"
  | "."
  | ","
  | "*"
  | "/"
  | "%"
  | "+"
  | "-"
  | "="
  | "<"
  | ">"
  | "!"
  | "?"
  | ":"
  | "=="
  | "!="
  | ">="
  | "<="
  | "&&"
  | "||"
  | "::"
  | "..."
  | "=>";

interface Token {
  readonly t: TokType;
  readonly s: number;
  readonly e: number;
  /** Identifier or number text, decoded literal text, heredoc marker. */
  readonly v: string;
  /** `~` on interp/control/seqend; `<<-` (flush) on oheredoc. */
  readonly flag: boolean;
}

type Mode =
  | { readonly kind: "main"; readonly open: number }
  | { readonly kind: "string"; readonly open: number }
  | { readonly kind: "heredoc"; readonly open: number; readonly marker: string; startOfLine: boolean };

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER = /[0-9](?:[0-9.]|[eE][+-]?[0-9])*/y;
const HEREDOC_INTRO = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;
const SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
const LEADING_SPACE = /^\p{White_Space}*/u;
const TRAILING_SPACE = /\p{White_Space}+$/u;
const VALID_NUMBER = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

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

class Lexer {
  readonly tokens: Token[] = [];
  private i = 0;
  private braces = 0;
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
    const open = this.modes[this.modes.length - 1] as Mode;
    if (this.modes.length > 1) {
      const what =
        open.kind === "string"
          ? "Unterminated template string: no closing quote before the end of the file"
          : open.kind === "heredoc"
            ? `Unterminated heredoc: no closing ${open.marker} marker on a line of its own before the end of the file`
            : "Unclosed template sequence: no closing brace before the end of the file";
      throw new HclError("syntax", open.open, what);
    }
    this.emit("eof", n, n);
    return this.tokens;
  }

  private emit(t: TokType, s: number, e: number, v = "", flag = false): void {
    this.tokens.push({ t, s, e, v, flag });
  }

  private main(): void {
    const src = this.src;
    const i = this.i;
    const c = src[i] as string;
    const next = src[i + 1];
    if (c === " " || c === "\t") {
      this.i++;
      return;
    }
    if (c === "\n") {
      this.emit("nl", i, i + 1);
      this.i++;
      return;
    }
    if (c === "\r") {
      if (next !== "\n") throw new HclError("syntax", i, "Invalid character: a carriage return must be followed by a newline");
      this.emit("nl", i, i + 2);
      this.i += 2;
      return;
    }
    if (c === "#" || (c === "/" && next === "/")) {
      // A line comment takes its newline with it; the parser sees that as the newline.
      const nl = src.indexOf("\n", i);
      if (nl === -1) this.i = src.length;
      else {
        this.emit("nl", nl, nl + 1);
        this.i = nl + 1;
      }
      return;
    }
    if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end === -1) throw new HclError("syntax", i, "Unterminated comment: no closing */ before the end of the file");
      this.i = end + 2;
      return;
    }
    if (c >= "0" && c <= "9") {
      NUMBER.lastIndex = i;
      let text = (NUMBER.exec(src) as RegExpExecArray)[0];
      while (text.endsWith(".")) text = text.slice(0, -1);
      this.emit("number", i, i + text.length, text);
      this.i += text.length;
      return;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(src);
    if (ident) {
      this.emit("ident", i, i + ident[0].length, ident[0]);
      this.i += ident[0].length;
      return;
    }
    if (c === '"') {
      this.emit("oquote", i, i + 1);
      this.modes.push({ kind: "string", open: i });
      this.i++;
      return;
    }
    if (c === "<" && next === "<") {
      HEREDOC_INTRO.lastIndex = i;
      const m = HEREDOC_INTRO.exec(src);
      if (m) {
        this.emit("oheredoc", i, i + m[0].length, m[2] as string, m[1] === "-");
        this.modes.push({ kind: "heredoc", open: i, marker: m[2] as string, startOfLine: true });
        this.i += m[0].length;
        return;
      }
    }
    if (c === "{") {
      this.braces++;
      this.emit("{", i, i + 1);
      this.i++;
      return;
    }
    if (c === "}" || (c === "~" && next === "}")) {
      const tilde = c === "~";
      const len = tilde ? 2 : 1;
      if (this.retBraces.length > 0 && this.retBraces[this.retBraces.length - 1] === this.braces) {
        // The end of a ${…} or %{…} sequence: back to the template it interrupted.
        this.emit("seqend", i, i + len, "", tilde);
        this.braces--;
        this.retBraces.pop();
        this.modes.pop();
      } else {
        // `~}` closing a plain brace stays a sequence end, for the parser to reject.
        this.emit(tilde ? "seqend" : "}", i, i + len, "", tilde);
        this.braces--;
      }
      this.i += len;
      return;
    }
    const three = src.slice(i, i + 3);
    if (OPS3.has(three)) {
      this.emit(three as TokType, i, i + 3);
      this.i += 3;
      return;
    }
    const two = src.slice(i, i + 2);
    if (OPS2.has(two)) {
      this.emit(two as TokType, i, i + 2);
      this.i += 2;
      return;
    }
    if (SELF.has(c)) {
      this.emit(c as TokType, i, i + 1);
      this.i++;
      return;
    }
    const why = INVALID[c];
    if (why) throw new HclError("syntax", i, `Invalid character: ${why}`);
    const cp = String.fromCodePoint(src.codePointAt(i) ?? 0);
    throw new HclError("syntax", i, `Invalid character ${JSON.stringify(cp)}: this character is not used within the language`);
  }

  /** `${` / `%{` (with an optional `~`) at i: enters an expression until the matching brace. */
  private sequence(kind: "interp" | "control"): void {
    const i = this.i;
    const tilde = this.src[i + 2] === "~";
    const len = tilde ? 3 : 2;
    this.emit(kind, i, i + len, "", tilde);
    this.braces++;
    this.retBraces.push(this.braces);
    this.modes.push({ kind: "main", open: i });
    this.i += len;
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
      this.emit("lit", i, i + (tilde ? 4 : 3), c + "{" + (tilde ? "~" : ""));
      this.i += tilde ? 4 : 3;
      return;
    }
    if (i + 1 >= src.length) throw new HclError("syntax", i, `Invalid character: ${c} at the end of the file`);
    this.emit("lit", i, i + 1, c);
    this.i++;
  }

  private quoted(): void {
    const src = this.src;
    const i = this.i;
    const c = src[i] as string;
    if (c === '"') {
      this.emit("cquote", i, i + 1);
      this.modes.pop();
      this.i++;
      return;
    }
    if ((c === "$" || c === "%") && src[i + 1] === "{") return this.sequence(c === "$" ? "interp" : "control");
    if (c === "$" || c === "%") return this.dollar();
    if (c === "\n" || c === "\r") {
      throw new HclError(
        "syntax",
        i,
        "Invalid multi-line string: quoted strings may not be split over multiple lines; use \\n or a heredoc",
      );
    }
    // A run of literal characters with backslash escapes, decoded as ParseStringLiteralToken does.
    let out = "";
    let j = i;
    while (j < src.length) {
      const ch = src[j] as string;
      if (ch === '"' || ch === "$" || ch === "%" || ch === "\n" || ch === "\r") break;
      if (ch !== "\\") {
        out += ch;
        j++;
        continue;
      }
      const sel = src[j + 1];
      if (sel === undefined || sel === "\n" || sel === "\r") {
        throw new HclError("syntax", j, "Invalid character: a backslash must be followed by an escape sequence selector");
      }
      const mapped = SIMPLE_ESCAPES[sel];
      if (mapped !== undefined) {
        out += mapped;
        j += 2;
        continue;
      }
      if (sel === "u" || sel === "U") {
        const want = sel === "u" ? 4 : 8;
        const hex = /^[0-9a-fA-F]*/.exec(src.slice(j + 2, j + 2 + want))?.[0] ?? "";
        const cp = parseInt(hex, 16);
        if (hex.length !== want || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          throw new HclError("syntax", j, `Invalid escape sequence: \\${sel} must be followed by ${want} hexadecimal digits of a Unicode character`);
        }
        out += String.fromCodePoint(cp);
        j += 2 + want;
        continue;
      }
      throw new HclError("syntax", j, `Invalid escape sequence: ${JSON.stringify(sel)} is not a valid escape sequence selector`);
    }
    this.emit("lit", i, j, out);
    this.i = j;
  }

  private heredoc(mode: Extract<Mode, { kind: "heredoc" }>): void {
    const src = this.src;
    const i = this.i;
    const c = src[i] as string;
    if ((c === "$" || c === "%") && src[i + 1] === "{") {
      mode.startOfLine = false;
      return this.sequence(c === "$" ? "interp" : "control");
    }
    if (c === "$" || c === "%") {
      mode.startOfLine = false;
      return this.dollar();
    }
    let j = i;
    while (j < src.length) {
      const ch = src[j];
      if (ch === "$" || ch === "%" || ch === "\n" || ch === "\r") break;
      j++;
    }
    const ch = src[j];
    if (ch === "\r" && src[j + 1] !== "\n") throw new HclError("syntax", j, "Invalid character: a carriage return must be followed by a newline");
    if (ch === "\n" || ch === "\r") {
      const nlEnd = ch === "\r" ? j + 2 : j + 1;
      if (mode.startOfLine && src.slice(i, j).replace(SPACE, "") === mode.marker) {
        // The closing marker, then the newline after it as a token of its own.
        this.emit("cheredoc", i, j);
        this.emit("nl", j, nlEnd);
        this.modes.pop();
      } else {
        this.emit("lit", i, nlEnd, src.slice(i, nlEnd));
        mode.startOfLine = true;
      }
      this.i = nlEnd;
      return;
    }
    // Text before a `$`/`%` or the end of the file.
    this.emit("lit", i, j, src.slice(i, j));
    mode.startOfLine = false;
    this.i = j;
  }
}

// ---------------------------------------------------------------------------------------
// Syntax tree: only the distinctions hcl2json makes.

interface Span {
  readonly s: number;
  readonly e: number;
}

type Expr = Span &
  (
    | { readonly k: "num"; readonly text: string }
    | { readonly k: "bool"; readonly v: boolean }
    | { readonly k: "null" }
    /** A literal part of a template. */
    | { readonly k: "str"; readonly v: string }
    | { readonly k: "tmpl"; readonly parts: readonly Expr[] }
    /** A template that is one interpolation and nothing else: `"${x}"`. */
    | { readonly k: "wrap"; readonly inner: Expr }
    | { readonly k: "tuple"; readonly items: readonly Expr[] }
    | { readonly k: "object"; readonly items: ReadonlyArray<{ readonly key: Expr; readonly value: Expr }> }
    | { readonly k: "unary"; readonly op: "-" | "!"; readonly val: Expr }
    | { readonly k: "cond"; readonly cond: Expr; readonly t: Expr; readonly f: Expr }
    /** `%{for}` in a template. */
    | { readonly k: "join"; readonly keyVar: string; readonly valVar: string; readonly coll: Expr; readonly body: Expr }
    /** A scope traversal (`var.x`, `a.b[0]`): an object key written this way is its text. */
    | { readonly k: "trav" }
    /** Anything else (calls, operators, splats, for expressions, parentheses): kept as source text. */
    | { readonly k: "other" }
  );

interface Attribute {
  readonly name: string;
  readonly s: number;
  readonly expr: Expr;
}

interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly s: number;
  readonly body: Body;
}

interface Body {
  readonly attributes: Attribute[];
  readonly blocks: Block[];
}

type TPart =
  | { readonly k: "lit"; v: string; readonly s: number; readonly e: number }
  | { readonly k: "interp"; readonly expr: Expr; readonly s: number }
  | { readonly k: "if"; readonly cond: Expr; readonly s: number }
  | { readonly k: "for"; readonly keyVar: string; readonly valVar: string; readonly coll: Expr; readonly s: number }
  | { readonly k: "else" | "endif" | "endfor"; readonly s: number };

// Binary operators, lowest precedence first (expression_ops.go).
const BINARY_OPS: ReadonlyArray<ReadonlySet<TokType>> = [
  new Set<TokType>(["||"]),
  new Set<TokType>(["&&"]),
  new Set<TokType>(["==", "!="]),
  new Set<TokType>([">", ">=", "<", "<="]),
  new Set<TokType>(["+", "-"]),
  new Set<TokType>(["*", "/", "%"]),
];

// ---------------------------------------------------------------------------------------
// Parser (parser.go, parser_template.go)

class Parser {
  private pos = 0;
  private readonly newlines: boolean[] = [true];
  /** Nesting of the construct being parsed, counted as the converted document nests. */
  private depth = 1;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  private index(): number {
    const include = this.newlines[this.newlines.length - 1];
    let i = this.pos;
    while (i < this.tokens.length - 1 && !include && (this.tokens[i] as Token).t === "nl") i++;
    return i;
  }

  private peek(): Token {
    return this.tokens[this.index()] as Token;
  }

  private read(): Token {
    const i = this.index();
    const tok = this.tokens[i] as Token;
    if (i < this.tokens.length - 1) this.pos = i + 1;
    return tok;
  }

  private withNewlines<T>(include: boolean, f: () => T): T {
    this.newlines.push(include);
    try {
      return f();
    } finally {
      this.newlines.pop();
    }
  }

  private nest<T>(levels: number, at: number, f: () => T): T {
    this.depth += levels;
    try {
      if (this.depth > this.maxDepth) throw new HclError("depth", at, `nesting deeper than ${this.maxDepth} levels`);
      return f();
    } finally {
      this.depth -= levels;
    }
  }

  private fail(tok: Token, message: string): never {
    throw new HclError("syntax", tok.s, message);
  }

  parseFile(): Body {
    return this.parseBody("eof");
  }

  /** A body up to `end`; `open` is the brace of a block body, for the error when it never closes. */
  private parseBody(end: TokType, open?: Token): Body {
    const body: Body = { attributes: [], blocks: [] };
    const seen = new Set<string>();
    for (;;) {
      const next = this.peek();
      if (next.t === end) {
        this.read();
        return body;
      }
      if (next.t === "nl") {
        this.read();
        continue;
      }
      if (next.t !== "ident") {
        if (next.t === "oquote") this.fail(next, "Invalid argument name: argument names must not be quoted");
        if (next.t === "eof") this.fail(open ?? next, "Unclosed configuration block: no closing brace before the end of the file");
        this.fail(next, "Argument or block definition required");
      }
      this.parseBodyItem(body, seen);
    }
  }

  private addAttribute(body: Body, seen: Set<string>, attr: Attribute): void {
    if (seen.has(attr.name)) {
      throw new HclError("duplicate-key", attr.s, `Attribute redefined: the argument ${JSON.stringify(attr.name)} was already set`);
    }
    seen.add(attr.name);
    body.attributes.push(attr);
  }

  private parseBodyItem(body: Body, seen: Set<string>): void {
    const ident = this.read();
    const next = this.peek();
    if (next.t === "=") {
      this.addAttribute(body, seen, this.finishAttribute(ident, false));
      return;
    }
    if (next.t === "oquote" || next.t === "{" || next.t === "ident") {
      body.blocks.push(this.finishBlock(ident));
      return;
    }
    this.fail(ident, 'Argument or block definition required: to set an argument, use the equals sign "=" to introduce the argument value');
  }

  private finishAttribute(ident: Token, singleLine: boolean): Attribute {
    this.read(); // =
    const expr = this.parseExpression();
    if (!singleLine) {
      const end = this.peek();
      if (end.t !== "nl" && end.t !== "eof") {
        this.fail(end, end.t === "," ? "Unexpected comma after argument: argument definitions must be separated by newlines" : "Missing newline after argument");
      }
      this.read();
    }
    return { name: ident.v, s: ident.s, expr };
  }

  private finishBlock(ident: Token): Block {
    const labels: string[] = [];
    let open: Token;
    for (;;) {
      const tok = this.peek();
      if (tok.t === "{") {
        open = this.read();
        break;
      }
      if (tok.t === "oquote") labels.push(this.parseQuotedLabel());
      else if (tok.t === "ident") labels.push(this.read().v);
      else if (tok.t === "=") this.fail(tok, 'Invalid block definition: the equals sign "=" indicates an argument definition, and must not be used when defining a block');
      else if (tok.t === "nl") this.fail(tok, 'Invalid block definition: a block definition must have block content delimited by "{" and "}", starting on the same line as the block header');
      else this.fail(tok, 'Invalid block definition: either a quoted string block label or an opening brace ("{") is expected here');
    }
    const body = this.nest(labels.length + 2, open.s, () => {
      const first = this.peek().t;
      if (first === "nl" || first === "eof" || first === "}") return this.parseBody("}", open);
      // Single-line block: `name { arg = value }`.
      const attrIdent = this.read();
      if (attrIdent.t !== "ident") this.fail(attrIdent, "Argument or block definition required");
      const after = this.peek();
      if (after.t !== "=") {
        if (after.t === "oquote" || after.t === "{" || after.t === "ident") {
          this.fail(attrIdent, "Argument definition required: a single-line block definition can contain only a single argument");
        }
        this.fail(attrIdent, "Argument or block definition required");
      }
      const attr = this.finishAttribute(attrIdent, true);
      const close = this.peek();
      if (close.t !== "}") {
        if (close.t === "eof") this.fail(open, "Unclosed configuration block: no closing brace before the end of the file");
        this.fail(close, "Invalid single-argument block definition: a single-line block must be closed right after its one argument definition");
      }
      this.read();
      return { attributes: [attr], blocks: [] } satisfies Body;
    });
    const eol = this.peek();
    if (eol.t !== "nl" && eol.t !== "eof") this.fail(eol, "Missing newline after block definition");
    this.read();
    return { type: ident.v, labels, s: ident.s, body };
  }

  /** A block label: a quoted string without template sequences. */
  private parseQuotedLabel(): string {
    this.read(); // "
    let out = "";
    for (;;) {
      const tok = this.read();
      if (tok.t === "cquote") return out;
      if (tok.t === "lit") out += tok.v;
      else if (tok.t === "interp" || tok.t === "control") {
        this.fail(tok, "Invalid string literal: template sequences are not allowed in a block label");
      } else this.fail(tok, "Invalid string literal");
    }
  }

  // --- expressions -----------------------------------------------------------------

  private parseExpression(): Expr {
    const cond = this.parseBinary(0);
    if (this.peek().t !== "?") return cond;
    const q = this.read();
    return this.nest(1, q.s, () => {
      const t = this.parseExpression();
      const colon = this.peek();
      if (colon.t !== ":") this.fail(colon, "Missing false expression in conditional: the conditional operator (...?...:...) requires a false expression, delimited by a colon");
      this.read();
      const f = this.parseExpression();
      return { k: "cond", s: cond.s, e: f.e, cond, t, f } satisfies Expr;
    });
  }

  private parseBinary(level: number): Expr {
    if (level === BINARY_OPS.length) return this.parseWithTraversals();
    const ops = BINARY_OPS[level] as ReadonlySet<TokType>;
    let lhs = this.parseBinary(level + 1);
    while (ops.has(this.peek().t)) {
      this.read();
      const rhs = this.parseBinary(level + 1);
      lhs = { k: "other", s: lhs.s, e: rhs.e };
    }
    return lhs;
  }

  private parseWithTraversals(): Expr {
    return this.parseTraversals(this.parseTerm());
  }

  private parseTraversals(from: Expr): Expr {
    let ret = from;
    // Steps that keep a scope traversal a scope traversal; anything else makes it "other".
    const step = (e: number, plain: boolean): Expr => ({ k: ret.k === "trav" && plain ? "trav" : "other", s: ret.s, e });
    for (;;) {
      const next = this.peek();
      if (next.t === ".") {
        this.read();
        const attr = this.peek();
        if (attr.t === "ident") {
          ret = step(this.read().e, true);
        } else if (attr.t === "number") {
          // Legacy index syntax, foo.0
          const num = this.read();
          if (num.v.includes(".")) this.fail(num, "Invalid legacy index syntax: chaining two indexes together (foo.0.1) is not permitted; use foo[0][1]");
          checkNumber(num);
          ret = step(num.e, true);
        } else if (attr.t === "*") {
          // Attribute-only splat, foo.*.bar
          let last = this.read().e;
          while (this.peek().t === ".") {
            this.read();
            const t = this.peek();
            if (t.t === "number") {
              const num = this.read();
              if (num.v.includes(".")) this.fail(num, "Invalid legacy index syntax: chaining two indexes together is not permitted");
              checkNumber(num);
              last = num.e;
              continue;
            }
            if (t.t !== "ident") {
              this.fail(t, t.t === "*" ? "Nested splat expression not allowed" : "Invalid attribute name: an attribute name is required after a dot");
            }
            last = this.read().e;
          }
          ret = { k: "other", s: ret.s, e: last };
        } else {
          this.fail(attr, "Invalid attribute name: an attribute name is required after a dot");
        }
      } else if (next.t === "[") {
        const open = this.read();
        if (this.peek().t === "*") {
          // Full splat, foo[*].bar: the remaining steps apply to each element.
          this.read();
          const close = this.read();
          if (close.t !== "]") this.fail(close, 'Missing close bracket on splat index: the star for a full splat operator must be immediately followed by "]"');
          const each = this.nest(1, open.s, () => this.parseTraversals({ k: "other", s: open.s, e: close.e }));
          ret = { k: "other", s: ret.s, e: each.e };
        } else {
          const key = this.nest(1, open.s, () => this.withNewlines(false, () => this.parseExpression()));
          const close = this.withNewlines(false, () => this.read());
          if (close.t !== "]") this.fail(close, 'Missing close bracket on index: the index operator must end with "]"');
          const literal = key.k === "num" || key.k === "bool" || key.k === "null" || isStringLiteral(key);
          ret = step(close.e, literal);
        }
      } else {
        return ret;
      }
    }
  }

  private parseTerm(): Expr {
    const start = this.peek();
    switch (start.t) {
      case "(": {
        const open = this.read();
        return this.nest(1, open.s, () =>
          this.withNewlines(false, () => {
            this.parseExpression();
            const close = this.peek();
            if (close.t !== ")") this.fail(close, "Unbalanced parentheses: expected a closing parenthesis to terminate the expression");
            this.read();
            return { k: "other", s: open.s, e: close.e } satisfies Expr;
          }),
        );
      }
      case "number": {
        const tok = this.read();
        checkNumber(tok);
        return { k: "num", s: tok.s, e: tok.e, text: tok.v };
      }
      case "ident": {
        const tok = this.read();
        const after = this.peek().t;
        if (after === "(" || after === "::") return this.finishCall(tok);
        if (tok.v === "true" || tok.v === "false") return { k: "bool", s: tok.s, e: tok.e, v: tok.v === "true" };
        if (tok.v === "null") return { k: "null", s: tok.s, e: tok.e };
        return { k: "trav", s: tok.s, e: tok.e };
      }
      case "oquote":
      case "oheredoc":
        return this.parseTemplate();
      case "-":
      case "!": {
        const op = this.read();
        // The operand binds tighter than any binary operator: -46+5 is (-46)+5.
        const val = this.nest(1, op.s, () => this.parseWithTraversals());
        return { k: "unary", s: op.s, e: val.e, op: op.t === "-" ? "-" : "!", val };
      }
      case "[":
        return this.parseTuple();
      case "{":
        return this.parseObject();
      case "eof":
        return this.fail(start, "Missing expression: expected the start of an expression, but found the end of the file");
      default:
        return this.fail(start, "Invalid expression: expected the start of an expression");
    }
  }

  private finishCall(name: Token): Expr {
    let open = this.read();
    while (open.t === "::") {
      const part = this.read();
      if (part.t !== "ident") this.fail(part, "Missing function name: function scope resolution symbol :: must be followed by a function name");
      open = this.read();
    }
    if (open.t !== "(") this.fail(open, "Missing open parenthesis: function selector must be followed by an open parenthesis");
    return this.nest(1, open.s, () =>
      this.withNewlines(false, () => {
        for (;;) {
          if (this.peek().t === ")") return { k: "other", s: name.s, e: this.read().e } satisfies Expr;
          this.parseExpression();
          const sep = this.read();
          if (sep.t === ")") return { k: "other", s: name.s, e: sep.e } satisfies Expr;
          if (sep.t === "...") {
            const close = this.read();
            if (close.t !== ")") this.fail(sep, "Missing closing parenthesis: an expanded function argument (with ...) must be immediately followed by closing parentheses");
            return { k: "other", s: name.s, e: close.e } satisfies Expr;
          }
          if (sep.t !== ",") {
            if (sep.t === "eof") this.fail(name, "Unterminated function call: no closing parenthesis before the end of the file");
            this.fail(sep, "Missing argument separator: a comma is required to separate each function argument from the next");
          }
        }
      }),
    );
  }

  private parseTuple(): Expr {
    const open = this.read();
    return this.nest(1, open.s, () =>
      this.withNewlines(false, () => {
        if (isKeyword(this.peek(), "for")) return this.finishFor(open);
        const items: Expr[] = [];
        for (;;) {
          if (this.peek().t === "]") return { k: "tuple", s: open.s, e: this.read().e, items } satisfies Expr;
          items.push(this.parseExpression());
          const next = this.peek();
          if (next.t === "]") return { k: "tuple", s: open.s, e: this.read().e, items } satisfies Expr;
          if (next.t !== ",") {
            if (next.t === "eof") this.fail(open, "Unterminated tuple constructor expression: no closing bracket before the end of the file");
            this.fail(next, "Missing item separator: expected a comma to mark the beginning of the next item");
          }
          this.read();
        }
      }),
    );
  }

  private parseObject(): Expr {
    const open = this.read();
    return this.nest(1, open.s, () => {
      // `for` may follow newlines; object items may not.
      if (this.withNewlines(false, () => isKeyword(this.peek(), "for"))) return this.withNewlines(false, () => this.finishFor(open));
      return this.withNewlines(true, () => {
        const items: Array<{ key: Expr; value: Expr }> = [];
        for (;;) {
          const next = this.peek();
          if (next.t === "nl") {
            this.read();
            continue;
          }
          if (next.t === "}") return { k: "object", s: open.s, e: this.read().e, items } satisfies Expr;
          const key = this.parseExpression();
          const sep = this.peek();
          if (sep.t !== "=" && sep.t !== ":") {
            if (sep.t === "nl" || sep.t === ",") this.fail(sep, 'Missing attribute value: expected an attribute value, introduced by an equals sign ("=")');
            if (sep.t === "eof") this.fail(open, "Unterminated object constructor expression: no closing brace before the end of the file");
            this.fail(sep, 'Missing key/value separator: expected an equals sign ("=") to mark the beginning of the attribute value');
          }
          this.read();
          const value = this.parseExpression();
          items.push({ key, value });
          const after = this.peek();
          if (after.t === "}") return { k: "object", s: open.s, e: this.read().e, items } satisfies Expr;
          if (after.t !== "," && after.t !== "nl") {
            if (after.t === "eof") this.fail(open, "Unterminated object constructor expression: no closing brace before the end of the file");
            this.fail(after, "Missing attribute separator: expected a newline or comma to mark the beginning of the next attribute");
          }
          this.read();
        }
      });
    });
  }

  private finishFor(open: Token): Expr {
    const makeObj = open.t === "{";
    const closeType: TokType = makeObj ? "}" : "]";
    this.read(); // for
    const name = (what: string): void => {
      const t = this.peek();
      if (t.t !== "ident") this.fail(t, `Invalid 'for' expression: for expression requires ${what}`);
      this.read();
    };
    name("variable name after 'for'");
    if (this.peek().t === ",") {
      this.read();
      name("value variable name after comma");
    }
    if (!isKeyword(this.peek(), "in")) this.fail(this.peek(), "Invalid 'for' expression: for expression requires the 'in' keyword after its name declarations");
    this.read();
    this.parseExpression();
    if (this.peek().t !== ":") this.fail(this.peek(), "Invalid 'for' expression: for expression requires a colon after the collection expression");
    this.read();
    this.parseExpression(); // the value, or the key when "=>" follows
    let key = false;
    if (this.peek().t === "=>") {
      this.read();
      key = true;
      this.parseExpression();
    }
    let ellipsis: Token | undefined;
    if (this.peek().t === "...") ellipsis = this.read();
    if (isKeyword(this.peek(), "if")) {
      this.read();
      this.parseExpression();
    }
    const close = this.peek();
    if (close.t !== closeType) this.fail(close, "Invalid 'for' expression: extra characters after the end of the 'for' expression");
    this.read();
    if (!makeObj && key) this.fail(open, "Invalid 'for' expression: key expression is not valid when building a tuple");
    if (!makeObj && ellipsis) this.fail(ellipsis, "Invalid 'for' expression: grouping ellipsis (...) cannot be used when building a tuple");
    if (makeObj && !key) this.fail(open, "Invalid 'for' expression: key expression is required when building an object");
    return { k: "other", s: open.s, e: close.e };
  }

  // --- templates -------------------------------------------------------------------

  private parseTemplate(): Expr {
    const open = this.read();
    const end: TokType = open.t === "oquote" ? "cquote" : "cheredoc";
    const { parts, close } = this.parseTemplateParts(end);
    if (open.t === "oheredoc" && open.flag) flushHeredoc(parts);
    meld(parts);
    const span = { s: open.s, e: close.e };
    if (parts.length === 1 && (parts[0] as TPart).k === "interp") {
      return { k: "wrap", ...span, inner: (parts[0] as Extract<TPart, { k: "interp" }>).expr };
    }
    const exprs = new TemplateTree(parts, this.maxDepth, this.depth).root();
    return { k: "tmpl", ...span, parts: exprs };
  }

  private parseTemplateParts(end: TokType): { parts: TPart[]; close: Token } {
    const parts: TPart[] = [];
    let ltrimNext = false;
    let nextCanTrimPrev = false;
    for (;;) {
      const next = this.read();
      if (next.t === end) {
        if (parts.length === 0) parts.push({ k: "lit", v: "", s: next.s, e: next.s });
        return { parts, close: next };
      }
      const ltrim = ltrimNext;
      ltrimNext = false;
      const canTrimPrev = nextCanTrimPrev;
      nextCanTrimPrev = false;
      if (next.t === "lit") {
        parts.push({ k: "lit", v: ltrim ? next.v.replace(LEADING_SPACE, "") : next.v, s: next.s, e: next.e });
        nextCanTrimPrev = true;
        continue;
      }
      if (next.t !== "interp" && next.t !== "control") {
        this.fail(next, "Unterminated template string: no closing marker was found for the string");
      }
      // `${~` and `%{~` strip the whitespace at the end of the literal just before.
      if (canTrimPrev && next.flag) {
        const prev = parts[parts.length - 1];
        if (prev && prev.k === "lit") prev.v = prev.v.replace(TRAILING_SPACE, "");
      }
      const close = this.nest(1, next.s, () =>
        this.withNewlines(false, () => {
          if (next.t === "interp") {
            parts.push({ k: "interp", expr: this.parseExpression(), s: next.s });
            const close = this.peek();
            if (close.t !== "seqend") {
              this.fail(close, close.t === "eof" ? "Unclosed template interpolation sequence" : "Extra characters after interpolation expression: expected a closing brace; to write a literal ${, escape it as $${");
            }
            return this.read();
          }
          const kw = this.peek();
          if (kw.t !== "ident") this.fail(kw, 'Invalid template directive: a template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence');
          this.read();
          switch (kw.v) {
            case "if":
              parts.push({ k: "if", cond: this.parseExpression(), s: next.s });
              break;
            case "else":
            case "endif":
            case "endfor":
              parts.push({ k: kw.v, s: next.s });
              break;
            case "for": {
              const names: string[] = [];
              const name = (what: string): void => {
                const t = this.peek();
                if (t.t !== "ident") this.fail(t, `Invalid 'for' directive: for directive requires ${what}`);
                names.push(this.read().v);
              };
              name("variable name after 'for'");
              if (this.peek().t === ",") {
                this.read();
                name("value variable name after comma");
              }
              if (!isKeyword(this.peek(), "in")) this.fail(this.peek(), "Invalid 'for' directive: for directive requires 'in' keyword after names");
              this.read();
              const coll = this.parseExpression();
              const [a, b] = names;
              parts.push({ k: "for", keyVar: b === undefined ? "" : (a as string), valVar: (b ?? a) as string, coll, s: next.s });
              break;
            }
            default:
              this.fail(kw, `Invalid template control keyword: ${JSON.stringify(kw.v)} is not a valid template control keyword`);
          }
          const close = this.peek();
          if (close.t !== "seqend") this.fail(close, `Extra characters in ${kw.v} marker: expected a closing brace to end the sequence`);
          return this.read();
        }),
      );
      // `~}` strips the whitespace at the start of the literal just after.
      if (close.flag) ltrimNext = true;
    }
  }
}

/** Template parts → expressions, pairing if/else/endif and for/endfor (templateParser). */
class TemplateTree {
  private pos = 0;

  constructor(
    private readonly parts: readonly TPart[],
    private readonly maxDepth: number,
    private depth: number,
  ) {}

  root(): Expr[] {
    const out: Expr[] = [];
    while (this.pos < this.parts.length) out.push(this.expr());
    return out;
  }

  private expr(): Expr {
    const part = this.parts[this.pos] as TPart;
    switch (part.k) {
      case "lit":
        this.pos++;
        return { k: "str", s: part.s, e: part.e, v: part.v };
      case "interp":
        this.pos++;
        return part.expr;
      case "if":
      case "for":
        return this.nested(part);
      default:
        throw new HclError("syntax", part.s, `Unexpected ${part.k} directive: the control directives within this template are unbalanced`);
    }
  }

  private nested(open: Extract<TPart, { k: "if" | "for" }>): Expr {
    this.pos++;
    this.depth++;
    if (this.depth > this.maxDepth) throw new HclError("depth", open.s, `nesting deeper than ${this.maxDepth} levels`);
    const first: Expr[] = [];
    const second: Expr[] = [];
    let current = first;
    for (;;) {
      const part = this.parts[this.pos];
      if (!part) throw new HclError("syntax", open.s, `Unexpected end of template: the ${open.k} directive is missing its corresponding end${open.k} directive`);
      if (part.k === "else" || part.k === "endif" || part.k === "endfor") {
        this.pos++;
        if (part.k === "else" && open.k === "if" && current === first) {
          current = second;
          continue;
        }
        if (part.k === `end${open.k}`) break;
        throw new HclError("syntax", part.s, `Unexpected ${part.k} directive: the control directives within this template are unbalanced`);
      }
      current.push(this.expr());
    }
    this.depth--;
    const empty: Expr = { k: "str", s: open.s, e: open.s, v: "" };
    const tmpl = (exprs: Expr[]): Expr => ({ k: "tmpl", s: open.s, e: open.s, parts: exprs.length > 0 ? exprs : [empty] });
    if (open.k === "if") return { k: "cond", s: open.s, e: open.s, cond: open.cond, t: tmpl(first), f: tmpl(second) };
    return { k: "join", s: open.s, e: open.s, keyVar: open.keyVar, valVar: open.valVar, coll: open.coll, body: tmpl(first) };
  }
}

function isKeyword(tok: Token, word: string): boolean {
  return tok.t === "ident" && tok.v === word;
}

function isStringLiteral(e: Expr): boolean {
  return e.k === "tmpl" && e.parts.length === 1 && (e.parts[0] as Expr).k === "str";
}

function checkNumber(tok: Token): void {
  if (!VALID_NUMBER.test(tok.v)) throw new HclError("syntax", tok.s, `Invalid number literal ${JSON.stringify(tok.v)}`);
}

/**
 * `<<-` heredocs: the smallest indentation among lines that start with literal text (lines
 * of only spaces do not count; a line starting with an interpolation counts as 0) is taken
 * off every line that starts with literal text.
 */
function flushHeredoc(parts: TPart[]): void {
  let min = Infinity;
  let newline = true;
  const adjust: Array<Extract<TPart, { k: "lit" }>> = [];
  for (const part of parts) {
    if (newline) {
      newline = false;
      let spaces = 0;
      if (part.k === "lit") {
        const lead = (LEADING_SPACE.exec(part.v) as RegExpExecArray)[0];
        if (lead.length === part.v.length && part.v.endsWith("\n")) spaces = Infinity;
        else {
          spaces = [...lead].length;
          adjust.push(part);
        }
      }
      min = Math.min(min, spaces);
    }
    if (part.k === "lit" && part.v.endsWith("\n")) newline = true;
  }
  for (const part of adjust) part.v = [...part.v].slice(min).join("");
}

/** Joins adjacent literal parts (after trimming), as meldConsecutiveStringLiterals does. */
function meld(parts: TPart[]): void {
  let n = 0;
  for (const part of parts) {
    const prev = n > 0 ? parts[n - 1] : undefined;
    if (prev && prev.k === "lit" && part.k === "lit") parts[n - 1] = { k: "lit", v: prev.v + part.v, s: prev.s, e: part.e };
    else parts[n++] = part;
  }
  parts.length = n;
}

// ---------------------------------------------------------------------------------------
// Conversion (hcl2json convert.go)

type Obj = Record<string, unknown>;

function setKey(obj: Obj, key: string, value: unknown): void {
  // Own data property even for "__proto__": the document is data, never a prototype.
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A number as cty renders it in a string: plain decimal, no exponent, no trailing zeros. */
function decimalString(text: string, at: number): string {
  const m = VALID_NUMBER.exec(text) as RegExpExecArray;
  const frac = m[2] ?? "";
  let digits = ((m[1] as string) + frac).replace(/^0+/, "");
  let exp = Number(m[3] ?? 0) - frac.length;
  if (digits === "") return "0";
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  if (Math.abs(exp) > 10_000) throw new HclError("number-range", at, `number ${text} is too large to render`);
  if (exp >= 0) return digits + "0".repeat(exp);
  const point = digits.length + exp;
  return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${"0".repeat(-point)}${digits}`;
}

class Converter {
  /** Path key → [path, line]; blocks keep the first header, values the last definition. */
  readonly entries = new Map<string, [readonly PathSegment[], number]>();

  constructor(
    private readonly src: string,
    private readonly lines: LineIndex,
  ) {}

  private record(path: readonly PathSegment[], offset: number, overwrite: boolean): void {
    const key = path.join("\u0000");
    if (overwrite || !this.entries.has(key)) this.entries.set(key, [[...path], this.lines.lineOf(offset)]);
  }

  body(body: Body, path: readonly PathSegment[]): Obj {
    const out: Obj = {};
    for (const block of body.blocks) this.block(block, out, path);
    for (const attr of body.attributes) {
      const p = [...path, attr.name];
      this.record(p, attr.s, true);
      setKey(out, attr.name, this.expr(attr.expr, p));
    }
    return out;
  }

  private block(block: Block, out: Obj, base: readonly PathSegment[]): void {
    let target = out;
    let key = block.type;
    const path: PathSegment[] = [...base];
    for (const label of block.labels) {
      if (Object.hasOwn(target, key)) {
        const inner = target[key];
        if (!isObj(inner)) {
          throw new HclError("syntax", block.s, `Unable to convert block to JSON: ${[block.type, ...block.labels].join(".")} (blocks of one type must all have the same number of labels)`);
        }
        target = inner;
      } else {
        const inner: Obj = {};
        setKey(target, key, inner);
        target = inner;
      }
      path.push(key);
      this.record(path, block.s, false);
      key = label;
    }
    path.push(key);
    const list = Object.hasOwn(target, key) ? target[key] : undefined;
    if (list !== undefined && !Array.isArray(list)) {
      throw new HclError("syntax", block.s, `Invalid HCL for ${JSON.stringify(key)} block: cannot have blocks with and without labels`);
    }
    const index = list === undefined ? 0 : list.length;
    this.record(path, block.s, false);
    this.record([...path, index], block.s, false);
    const value = this.body(block.body, [...path, index]);
    if (list === undefined) setKey(target, key, [value]);
    else list.push(value);
  }

  private rangeSource(e: Span): string {
    // hcl2json takes a ")" right after an expression into it.
    const end = this.src[e.e] === ")" ? e.e + 1 : e.e;
    return this.src.slice(e.s, end);
  }

  private wrap(e: Span): string {
    return "${" + this.rangeSource(e) + "}";
  }

  private number(text: string, negate: boolean, at: number): number {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new HclError("number-range", at, `number ${text} is out of range for a 64-bit float`);
    return negate ? -n : n;
  }

  expr(e: Expr, path: readonly PathSegment[]): unknown {
    switch (e.k) {
      case "num":
        return this.number(e.text, false, e.s);
      case "bool":
        return e.v;
      case "null":
        return null;
      case "str":
        return e.v;
      case "unary": {
        const v = e.val;
        if (v.k !== "num" && v.k !== "bool" && v.k !== "null") return this.wrap(e);
        if (e.op === "-" && v.k === "num") return this.number(v.text, true, v.s);
        if (e.op === "!" && v.k === "bool") return !v.v;
        throw new HclError("syntax", e.s, `Invalid operand: unsuitable value for unary ${e.op}`);
      }
      case "tmpl":
        return this.template(e);
      case "wrap":
        return this.expr(e.inner, path);
      case "tuple":
        return e.items.map((item, i) => {
          const p = [...path, i];
          this.record(p, item.s, true);
          return this.expr(item, p);
        });
      case "object": {
        const out: Obj = {};
        for (const item of e.items) {
          const key = item.key.k === "trav" ? this.rangeSource(item.key) : this.stringPart(item.key);
          const p = [...path, key];
          this.record(p, item.key.s, true);
          setKey(out, key, this.expr(item.value, p));
        }
        return out;
      }
      default:
        return this.wrap(e);
    }
  }

  private template(e: Extract<Expr, { k: "tmpl" }>): string {
    const [only] = e.parts;
    if (e.parts.length === 1 && only) {
      // A lone literal: the template's value, escaped. A lone null cannot be rendered.
      if (only.k === "null") throw new HclError("syntax", only.s, "Invalid template interpolation value: null");
      if (only.k === "str" || only.k === "num" || only.k === "bool") return this.stringPart(only);
    }
    return e.parts.map((p) => this.stringPart(p)).join("");
  }

  private stringPart(e: Expr): string {
    switch (e.k) {
      case "null":
        return "null";
      case "num":
        return escapeLiteral(decimalString(e.text, e.s));
      case "bool":
        return String(e.v);
      case "str":
        return escapeLiteral(e.v);
      case "tmpl":
        return this.template(e);
      case "wrap":
        return this.stringPart(e.inner);
      case "cond": {
        let t: string;
        try {
          t = this.stringPart(e.t);
        } catch (err) {
          // hcl2json drops the whole conditional when its true branch fails to render.
          if (err instanceof HclError && err.reason === "syntax") return "";
          throw err;
        }
        let f = "";
        try {
          f = this.stringPart(e.f);
        } catch (err) {
          if (!(err instanceof HclError && err.reason === "syntax")) throw err;
        }
        return `%{if ${this.rangeSource(e.cond)}}${t}${f.length > 0 ? `%{else}${f}` : ""}%{endif}`;
      }
      case "join": {
        const names = e.keyVar ? `${e.keyVar}, ${e.valVar}` : e.valVar;
        return `%{for ${names} in ${this.rangeSource(e.coll)}}${this.stringPart(e.body)}%{endfor}`;
      }
      default:
        return this.wrap(e);
    }
  }
}

function escapeLiteral(s: string): string {
  // Function replacers: in a replacement string "$$" would mean a single "$".
  return s.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
}

// ---------------------------------------------------------------------------------------

export const terraformParser: ManifestParser = {
  format: "terraform",
  parse(text: string, limits: ParseLimits): ParseResult {
    const lines = new LineIndex(text);
    try {
      const tokens = new Lexer(text).run();
      const body = new Parser(tokens, limits.maxDepth).parseFile();
      let first = Infinity;
      for (const item of [...body.attributes, ...body.blocks]) first = Math.min(first, item.s);
      if (first === Infinity) return { ok: true, documents: [] };
      const converter = new Converter(text, lines);
      const content = converter.body(body, []);
      const line = lines.lineOf(first);
      const sourceMap = new SourceMap(line);
      for (const [path, l] of converter.entries.values()) sourceMap.set(path, l);
      return { ok: true, documents: [{ index: 0, line, content, sourceMap }] };
    } catch (err) {
      if (err instanceof HclError) {
        const line = lines.lineOf(err.offset);
        const lineStart = text.lastIndexOf("\n", err.offset - 1) + 1;
        return { ok: false, error: { reason: err.reason, line, column: err.offset - lineStart + 1, message: err.message } };
      }
      // Guard for hostile input beyond the depth limit (a limit set too high for the stack).
      if (err instanceof RangeError && /call stack/i.test(err.message)) return { ok: false, error: { reason: "depth", line: 1, message: `nesting too deep to parse: ${err.message}` } };
      // Errors are values: a file this parser cannot handle fails, it never passes.
      return { ok: false, error: { reason: "syntax", line: 1, message: `internal error parsing HCL: ${String(err)}` } };
    }
  },
};

// Quoted strings and heredocs (parser_template.go): their tokens → template parts, with
// the `~` strip markers applied, then a template expression. Expressions inside `${…}`
// and `%{…}` are the expression parser's, which extends this class: the two recurse into
// each other, as the one parser type of hclsyntax does across its files.
import { TokenCursor, isKeyword } from "./cursor.js";
import type { Expr, TPart } from "./syntax.js";
import { flushHeredoc, meld, templateTree } from "./template.js";
import type { TokType, Token } from "./tokens.js";

const LEADING_SPACE = /^\p{White_Space}*/u;
const TRAILING_SPACE = /\p{White_Space}+$/u;

export abstract class TemplateParser extends TokenCursor {
  protected abstract parseExpression(): Expr;

  /** A quoted string or heredoc, from its opening token. */
  protected parseTemplate(): Expr {
    const open = this.read();
    const end: TokType = open.t === "oquote" ? "cquote" : "cheredoc";
    const { parts, close } = this.parseTemplateParts(end);
    if (open.t === "oheredoc" && open.flag) flushHeredoc(parts);
    meld(parts);
    const span = { s: open.s, e: close.e };
    if (parts.length === 1 && (parts[0] as TPart).k === "interp") {
      return { k: "wrap", ...span, inner: (parts[0] as Extract<TPart, { k: "interp" }>).expr };
    }
    return { k: "tmpl", ...span, parts: templateTree(parts, this.maxDepth, this.depth) };
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
        this.withNewlines(false, () => (next.t === "interp" ? this.parseInterpolation(next, parts) : this.parseDirective(next, parts))),
      );
      // `~}` strips the whitespace at the start of the literal just after.
      if (close.flag) ltrimNext = true;
    }
  }

  /** `${ expr }`, its opening read; returns the closing brace. */
  private parseInterpolation(open: Token, parts: TPart[]): Token {
    parts.push({ k: "interp", expr: this.parseExpression(), s: open.s });
    const close = this.peek();
    if (close.t !== "seqend") {
      this.fail(close, close.t === "eof" ? "Unclosed template interpolation sequence" : "Extra characters after interpolation expression: expected a closing brace; to write a literal ${, escape it as $${");
    }
    return this.read();
  }

  /** `%{ if … }`, `%{ for … }`, `%{ else }`, `%{ endif }`, `%{ endfor }`; returns the closing brace. */
  private parseDirective(open: Token, parts: TPart[]): Token {
    const kw = this.peek();
    if (kw.t !== "ident") this.fail(kw, 'Invalid template directive: a template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence');
    this.read();
    parts.push(this.parseDirectiveBody(kw, open.s));
    const close = this.peek();
    if (close.t !== "seqend") this.fail(close, `Extra characters in ${kw.v} marker: expected a closing brace to end the sequence`);
    return this.read();
  }

  private parseDirectiveBody(kw: Token, s: number): TPart {
    switch (kw.v) {
      case "if":
        return { k: "if", cond: this.parseExpression(), s };
      case "else":
      case "endif":
      case "endfor":
        return { k: kw.v, s };
      case "for": {
        const [a, b] = this.parseForHeader("directive", "Invalid 'for' directive: for directive requires 'in' keyword after names");
        const coll = this.parseExpression();
        return { k: "for", keyVar: b === undefined ? "" : (a as string), valVar: (b ?? a) as string, coll, s };
      }
      default:
        return this.fail(kw, `Invalid template control keyword: ${JSON.stringify(kw.v)} is not a valid template control keyword`);
    }
  }

  /**
   * The names and the `in` of a `for`, its keyword already read: `for v in` or
   * `for k, v in`. For expressions and `%{for}` directives share it, with their own wording.
   */
  protected parseForHeader(construct: "expression" | "directive", missingIn: string): string[] {
    const names: string[] = [];
    const name = (what: string): void => {
      const t = this.peek();
      if (t.t !== "ident") this.fail(t, `Invalid 'for' ${construct}: for ${construct} requires ${what}`);
      names.push(this.read().v);
    };
    name("variable name after 'for'");
    if (this.peek().t === ",") {
      this.read();
      name("value variable name after comma");
    }
    if (!isKeyword(this.peek(), "in")) this.fail(this.peek(), missingIn);
    this.read();
    return names;
  }
}

// Bodies (parser.go): arguments and blocks, one per line, blocks with labels and a body in
// braces, or a single-line block with one argument. Expressions are the expression
// parser's, which this extends.
import { HclError } from "./error.js";
import { ExpressionParser } from "./expression-parser.js";
import type { Attribute, Block, Body } from "./syntax.js";
import type { TokType, Token } from "./tokens.js";

/** The body of a whole file; throws HclError at the first error, as hclsyntax reports it. */
export function parse(tokens: readonly Token[], maxDepth: number): Body {
  return new BodyParser(tokens, maxDepth).parseFile();
}

class BodyParser extends ExpressionParser {
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

  /** `name = expr` from the `=`; outside a single-line block, the line must end there. */
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
    const { labels, open } = this.parseBlockHeader();
    // A block nests its type, each label and the index of its body in the converted document.
    const body = this.nest(labels.length + 2, open.s, () => {
      const first = this.peek().t;
      if (first === "nl" || first === "eof" || first === "}") return this.parseBody("}", open);
      return this.parseSingleLineBody(open);
    });
    const eol = this.peek();
    if (eol.t !== "nl" && eol.t !== "eof") this.fail(eol, "Missing newline after block definition");
    this.read();
    return { type: ident.v, labels, s: ident.s, body };
  }

  /** The labels after a block type, up to and including the opening brace. */
  private parseBlockHeader(): { labels: string[]; open: Token } {
    const labels: string[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === "{") return { labels, open: this.read() };
      if (tok.t === "oquote") labels.push(this.parseQuotedLabel());
      else if (tok.t === "ident") labels.push(this.read().v);
      else if (tok.t === "=") this.fail(tok, 'Invalid block definition: the equals sign "=" indicates an argument definition, and must not be used when defining a block');
      else if (tok.t === "nl") this.fail(tok, 'Invalid block definition: a block definition must have block content delimited by "{" and "}", starting on the same line as the block header');
      else this.fail(tok, 'Invalid block definition: either a quoted string block label or an opening brace ("{") is expected here');
    }
  }

  /** `name { arg = value }`: one argument, closed on the same line. */
  private parseSingleLineBody(open: Token): Body {
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
    return { attributes: [attr], blocks: [] };
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
}

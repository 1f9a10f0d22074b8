// Expressions (parser.go, parser_traversal.go): operators by precedence, conditionals,
// traversals and splats, calls, tuples, objects and for expressions. Only what hcl2json's
// output tells apart is built (see syntax.ts); the rest is checked as hclsyntax checks it,
// so that the same files fail, and kept as a span for convert.ts to slice.
import { checkNumber, isKeyword } from "./cursor.js";
import type { Expr } from "./syntax.js";
import { TemplateParser } from "./template-parser.js";
import type { TokType, Token } from "./tokens.js";

// Binary operators, lowest precedence first (expression_ops.go).
const BINARY_OPS: ReadonlyArray<ReadonlySet<TokType>> = [
  new Set<TokType>(["||"]),
  new Set<TokType>(["&&"]),
  new Set<TokType>(["==", "!="]),
  new Set<TokType>([">", ">=", "<", "<="]),
  new Set<TokType>(["+", "-"]),
  new Set<TokType>(["*", "/", "%"]),
];

export class ExpressionParser extends TemplateParser {
  protected parseExpression(): Expr {
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

  // --- traversals ------------------------------------------------------------------

  private parseTraversals(from: Expr): Expr {
    let ret = from;
    for (;;) {
      const next = this.peek().t;
      if (next === ".") ret = this.parseDotStep(ret);
      else if (next === "[") ret = this.parseIndexStep(ret);
      else return ret;
    }
  }

  /** `.name`, the legacy index `.0`, or an attribute-only splat `.*.name`. */
  private parseDotStep(ret: Expr): Expr {
    this.read();
    const attr = this.peek();
    if (attr.t === "ident") return step(ret, this.read().e, true);
    if (attr.t === "number") {
      const num = this.readLegacyIndex("Invalid legacy index syntax: chaining two indexes together (foo.0.1) is not permitted; use foo[0][1]");
      return step(ret, num.e, true);
    }
    if (attr.t === "*") return { k: "other", s: ret.s, e: this.parseAttributeSplat() };
    return this.fail(attr, "Invalid attribute name: an attribute name is required after a dot");
  }

  /** `*.name.name…` after the dot of `foo.*.name`; returns where it ends. */
  private parseAttributeSplat(): number {
    let last = this.read().e;
    while (this.peek().t === ".") {
      this.read();
      const t = this.peek();
      if (t.t === "number") {
        last = this.readLegacyIndex("Invalid legacy index syntax: chaining two indexes together is not permitted").e;
        continue;
      }
      if (t.t !== "ident") {
        this.fail(t, t.t === "*" ? "Nested splat expression not allowed" : "Invalid attribute name: an attribute name is required after a dot");
      }
      last = this.read().e;
    }
    return last;
  }

  /** A legacy index, `foo.0`: `foo.0.1` lexes as the number `0.1`, which HCL refuses. */
  private readLegacyIndex(chained: string): Token {
    const num = this.read();
    if (num.v.includes(".")) this.fail(num, chained);
    checkNumber(num);
    return num;
  }

  /** `[index]`, or a full splat `[*]` whose remaining steps apply to each element. */
  private parseIndexStep(ret: Expr): Expr {
    const open = this.read();
    if (this.peek().t === "*") {
      this.read();
      const close = this.read();
      if (close.t !== "]") this.fail(close, 'Missing close bracket on splat index: the star for a full splat operator must be immediately followed by "]"');
      const each = this.nest(1, open.s, () => this.parseTraversals({ k: "other", s: open.s, e: close.e }));
      return { k: "other", s: ret.s, e: each.e };
    }
    const key = this.nest(1, open.s, () => this.withNewlines(false, () => this.parseExpression()));
    const close = this.withNewlines(false, () => this.read());
    if (close.t !== "]") this.fail(close, 'Missing close bracket on index: the index operator must end with "]"');
    const literal = key.k === "num" || key.k === "bool" || key.k === "null" || isStringLiteral(key);
    return step(ret, close.e, literal);
  }

  // --- terms -----------------------------------------------------------------------

  private parseTerm(): Expr {
    const start = this.peek();
    switch (start.t) {
      case "(":
        return this.parseParentheses();
      case "number": {
        const tok = this.read();
        checkNumber(tok);
        return { k: "num", s: tok.s, e: tok.e, text: tok.v };
      }
      case "ident":
        return this.parseIdentTerm();
      case "oquote":
      case "oheredoc":
        return this.parseTemplate();
      case "-":
      case "!":
        return this.parseUnary();
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

  private parseParentheses(): Expr {
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

  /** A literal keyword, a function call, or the root of a scope traversal. */
  private parseIdentTerm(): Expr {
    const tok = this.read();
    const after = this.peek().t;
    if (after === "(" || after === "::") return this.finishCall(tok);
    if (tok.v === "true" || tok.v === "false") return { k: "bool", s: tok.s, e: tok.e, v: tok.v === "true" };
    if (tok.v === "null") return { k: "null", s: tok.s, e: tok.e };
    return { k: "trav", s: tok.s, e: tok.e };
  }

  private parseUnary(): Expr {
    const op = this.read();
    // The operand binds tighter than any binary operator: -46+5 is (-46)+5.
    const val = this.nest(1, op.s, () => this.parseWithTraversals());
    return { k: "unary", s: op.s, e: val.e, op: op.t === "-" ? "-" : "!", val };
  }

  private finishCall(name: Token): Expr {
    let open = this.read();
    while (open.t === "::") {
      const part = this.read();
      if (part.t !== "ident") this.fail(part, "Missing function name: function scope resolution symbol :: must be followed by a function name");
      open = this.read();
    }
    if (open.t !== "(") this.fail(open, "Missing open parenthesis: function selector must be followed by an open parenthesis");
    return this.nest(1, open.s, () => this.withNewlines(false, () => ({ k: "other", s: name.s, e: this.parseArguments(name) }) satisfies Expr));
  }

  /** Call arguments after the opening parenthesis; returns where the closing one ends. */
  private parseArguments(name: Token): number {
    for (;;) {
      if (this.peek().t === ")") return this.read().e;
      this.parseExpression();
      const sep = this.read();
      if (sep.t === ")") return sep.e;
      if (sep.t === "...") {
        const close = this.read();
        if (close.t !== ")") this.fail(sep, "Missing closing parenthesis: an expanded function argument (with ...) must be immediately followed by closing parentheses");
        return close.e;
      }
      if (sep.t !== ",") {
        if (sep.t === "eof") this.fail(name, "Unterminated function call: no closing parenthesis before the end of the file");
        this.fail(sep, "Missing argument separator: a comma is required to separate each function argument from the next");
      }
    }
  }

  // --- collections -----------------------------------------------------------------

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
      return this.withNewlines(true, () => this.parseObjectItems(open));
    });
  }

  /** Object items, separated by commas or newlines, up to the closing brace. */
  private parseObjectItems(open: Token): Expr {
    const items: Array<{ key: Expr; value: Expr }> = [];
    for (;;) {
      const next = this.peek();
      if (next.t === "nl") {
        this.read();
        continue;
      }
      if (next.t === "}") return { k: "object", s: open.s, e: this.read().e, items };
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
      if (after.t === "}") return { k: "object", s: open.s, e: this.read().e, items };
      if (after.t !== "," && after.t !== "nl") {
        if (after.t === "eof") this.fail(open, "Unterminated object constructor expression: no closing brace before the end of the file");
        this.fail(after, "Missing attribute separator: expected a newline or comma to mark the beginning of the next attribute");
      }
      this.read();
    }
  }

  /** `[for … : v if …]` or `{for … : k => v... if …}`, from the `for`. */
  private finishFor(open: Token): Expr {
    const makeObj = open.t === "{";
    const closeType: TokType = makeObj ? "}" : "]";
    this.read(); // for
    this.parseForHeader("expression", "Invalid 'for' expression: for expression requires the 'in' keyword after its name declarations");
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
}

/** One traversal step: a scope traversal stays one only through plain steps (names, literal indexes). */
function step(from: Expr, e: number, plain: boolean): Expr {
  return { k: from.k === "trav" && plain ? "trav" : "other", s: from.s, e };
}

function isStringLiteral(e: Expr): boolean {
  return e.k === "tmpl" && e.parts.length === 1 && (e.parts[0] as Expr).k === "str";
}

// Template parts → template expressions (parser_template.go's templateParser and its
// helpers): the flat list of literals, interpolations and directives that the parser
// reads is trimmed for `<<-` heredocs, its adjacent literals joined, and its if/else/endif
// and for/endfor paired into conditionals and joins.
import { HclError } from "./error.js";
import type { Expr, TPart } from "./syntax.js";

const LEADING_SPACE = /^\p{White_Space}*/u;

/** The parts of one template as expressions, with control directives paired. */
export function templateTree(parts: readonly TPart[], maxDepth: number, depth: number): Expr[] {
  return new TemplateTree(parts, maxDepth, depth).root();
}

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
        throw unbalanced(part);
    }
  }

  /** An if or for directive up to its end directive; an if may have one else. */
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
        throw unbalanced(part);
      }
      current.push(this.expr());
    }
    this.depth--;
    // Directives keep only their start: convert.ts renders them from their parts, never
    // from the source text.
    const empty: Expr = { k: "str", s: open.s, e: open.s, v: "" };
    const tmpl = (exprs: Expr[]): Expr => ({ k: "tmpl", s: open.s, e: open.s, parts: exprs.length > 0 ? exprs : [empty] });
    if (open.k === "if") return { k: "cond", s: open.s, e: open.s, cond: open.cond, t: tmpl(first), f: tmpl(second) };
    return { k: "join", s: open.s, e: open.s, keyVar: open.keyVar, valVar: open.valVar, coll: open.coll, body: tmpl(first) };
  }
}

function unbalanced(part: TPart): HclError {
  return new HclError("syntax", part.s, `Unexpected ${part.k} directive: the control directives within this template are unbalanced`);
}

/**
 * `<<-` heredocs: the smallest indentation among lines that start with literal text (lines
 * of only spaces do not count; a line starting with an interpolation counts as 0) is taken
 * off every line that starts with literal text.
 */
export function flushHeredoc(parts: TPart[]): void {
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
export function meld(parts: TPart[]): void {
  let n = 0;
  for (const part of parts) {
    const prev = n > 0 ? parts[n - 1] : undefined;
    if (prev && prev.k === "lit" && part.k === "lit") parts[n - 1] = { k: "lit", v: prev.v + part.v, s: prev.s, e: part.e };
    else parts[n++] = part;
  }
  parts.length = n;
}

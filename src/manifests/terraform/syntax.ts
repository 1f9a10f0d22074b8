// The syntax tree the parser builds: only the distinctions hcl2json's output makes.
// Expressions it renders as source text (calls, operators, for expressions…) keep only
// their span; hcl2json re-slices the source for them, and so does convert.ts.

export interface Span {
  readonly s: number;
  readonly e: number;
}

export type Expr = Span &
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

export interface Attribute {
  readonly name: string;
  readonly s: number;
  readonly expr: Expr;
}

export interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly s: number;
  readonly body: Body;
}

export interface Body {
  readonly attributes: Attribute[];
  readonly blocks: Block[];
}

/**
 * A template as a flat list, before if/else/endif and for/endfor are paired into a tree
 * (template.ts). Literal text is mutable: strip markers and `<<-` trim it in place.
 */
export type TPart =
  | { readonly k: "lit"; v: string; readonly s: number; readonly e: number }
  | { readonly k: "interp"; readonly expr: Expr; readonly s: number }
  | { readonly k: "if"; readonly cond: Expr; readonly s: number }
  | { readonly k: "for"; readonly keyVar: string; readonly valVar: string; readonly coll: Expr; readonly s: number }
  | { readonly k: "else" | "endif" | "endfor"; readonly s: number };

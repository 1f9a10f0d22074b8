/** The syntax tree of a parsed Go regular expression and its error type. */

export type Range = readonly [number, number];

export interface Prop {
  /** A JavaScript property escape body, e.g. `L`, `Script=Greek`, `Cc`. */
  readonly name: string;
  readonly negated: boolean;
}

export type Node =
  | { readonly op: "lit"; readonly r: number; readonly fold: boolean }
  | { readonly op: "class"; readonly ranges: readonly Range[]; readonly props: readonly Prop[]; readonly negated: boolean; readonly fold: boolean }
  | { readonly op: "any"; readonly nl: boolean }
  | { readonly op: "bol" | "eol" | "bot" | "eot" | "wb" | "nwb" | "empty" }
  | { readonly op: "cap"; readonly index: number; readonly name: string | undefined; readonly sub: Node }
  | { readonly op: "group"; readonly sub: Node }
  | { readonly op: "concat" | "alt"; readonly subs: readonly Node[] }
  | { readonly op: "rep"; readonly min: number; readonly max: number; readonly greedy: boolean; readonly sub: Node; readonly brace: boolean };

export interface Parsed {
  readonly node: Node;
  /** Capture group names by index (index 0 is the whole match). */
  readonly names: ReadonlyArray<string | undefined>;
}

export class RegexpSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

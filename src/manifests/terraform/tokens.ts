// The tokens the lexer hands the parser: hclsyntax's token types, less the ones that only
// its error recovery and formatter need (comments, invalid characters). Comments are
// dropped by the lexer, a line comment leaving its newline behind.

export type TokType =
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

export interface Token {
  readonly t: TokType;
  readonly s: number;
  readonly e: number;
  /** Identifier or number text, decoded literal text, heredoc marker. */
  readonly v: string;
  /** `~` on interp/control/seqend; `<<-` (flush) on oheredoc. */
  readonly flag: boolean;
}

/** A number literal as HCL accepts it; the lexer is looser (`1.2.3` is one token, for the parser to refuse). */
export const VALID_NUMBER = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

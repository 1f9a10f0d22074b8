// The token cursor that the parser stages share: hclsyntax's peeker (peeker.go), whose
// stack of modes says whether newlines are tokens (in bodies and object constructors) or
// skipped (inside brackets, parentheses and template sequences), plus the nesting count
// that bounds depth before recursion can exhaust the stack.
import { HclError } from "./error.js";
import { VALID_NUMBER, type Token } from "./tokens.js";

export class TokenCursor {
  private pos = 0;
  private readonly newlines: boolean[] = [true];
  /** Nesting of the construct being parsed, counted as the converted document nests. */
  protected depth = 1;

  constructor(
    private readonly tokens: readonly Token[],
    protected readonly maxDepth: number,
  ) {}

  /** Where the next token is, skipping newlines when the current mode ignores them. */
  private index(): number {
    const include = this.newlines[this.newlines.length - 1];
    let i = this.pos;
    while (i < this.tokens.length - 1 && !include && (this.tokens[i] as Token).t === "nl") i++;
    return i;
  }

  protected peek(): Token {
    return this.tokens[this.index()] as Token;
  }

  /** The next token; at the end, "eof" again and again. */
  protected read(): Token {
    const i = this.index();
    const tok = this.tokens[i] as Token;
    if (i < this.tokens.length - 1) this.pos = i + 1;
    return tok;
  }

  protected withNewlines<T>(include: boolean, f: () => T): T {
    this.newlines.push(include);
    try {
      return f();
    } finally {
      this.newlines.pop();
    }
  }

  /** Runs `f` `levels` deeper; a depth error, at `at`, past the limit. */
  protected nest<T>(levels: number, at: number, f: () => T): T {
    this.depth += levels;
    try {
      if (this.depth > this.maxDepth) throw new HclError("depth", at, `nesting deeper than ${this.maxDepth} levels`);
      return f();
    } finally {
      this.depth -= levels;
    }
  }

  protected fail(tok: Token, message: string): never {
    throw new HclError("syntax", tok.s, message);
  }
}

export function isKeyword(tok: Token, word: string): boolean {
  return tok.t === "ident" && tok.v === word;
}

export function checkNumber(tok: Token): void {
  if (!VALID_NUMBER.test(tok.v)) throw new HclError("syntax", tok.s, `Invalid number literal ${JSON.stringify(tok.v)}`);
}

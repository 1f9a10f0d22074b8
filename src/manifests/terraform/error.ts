import type { ParseErrorReason } from "../types.js";

/**
 * The first error of a parse, at a source offset. Every stage throws it and stops there:
 * a file with any error is not evaluated, so there is nothing to gain from recovering.
 * index.ts turns it into a ParseError with line and column.
 */
export class HclError extends Error {
  constructor(
    readonly reason: ParseErrorReason,
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

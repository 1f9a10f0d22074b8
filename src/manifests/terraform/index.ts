// Terraform (HCL2 native syntax) in the shape conftest gives policies: conftest converts
// .tf files with tmccombs/hcl2json (v0.6.7 over hashicorp/hcl v2.23), so conftest
// Terraform policies work unchanged. One document per file:
//
//   resource "aws_s3_bucket" "b" { versioning { enabled = true } }
//   → {"resource": {"aws_s3_bucket": {"b": [{"versioning": [{"enabled": true}]}]}}}
//
// The stages, one file each: lexer.ts (text → tokens), parser.ts with
// expression-parser.ts and template-parser.ts (tokens → syntax.ts's tree), template.ts
// (template directives paired), convert.ts (tree → hcl2json's JSON and the lines of its
// fields). The lexer and parser follow hclsyntax (scan_tokens.rl, parser.go,
// parser_template.go) rule by rule, so what HCL rejects is rejected here, and expression
// source ranges are the same. Where hclsyntax would recover and report more diagnostics,
// this stops at the first one: a file with any error is not evaluated.
// docs/decisions/0003-hcl-parser.md says why this is written by hand.
import { LineIndex } from "../lines.js";
import { SourceMap } from "../source-map.js";
import type { ManifestParser, ParseError, ParseResult } from "../types.js";
import { convert } from "./convert.js";
import { HclError } from "./error.js";
import { lex } from "./lexer.js";
import { parse } from "./parser.js";
import type { Body } from "./syntax.js";

export const terraformParser: ManifestParser = {
  format: "terraform",
  parse(text, limits): ParseResult {
    const lines = new LineIndex(text);
    try {
      return parseDocument(text, lines, limits.maxDepth);
    } catch (err) {
      return { ok: false, error: toParseError(err, text, lines) };
    }
  },
};

function parseDocument(text: string, lines: LineIndex, maxDepth: number): ParseResult {
  const body = parse(lex(text), maxDepth);
  const first = firstOffset(body);
  // No block or argument (empty, comments only): nothing to evaluate, as an empty YAML stream.
  if (first === undefined) return { ok: true, documents: [] };
  const { content, places } = convert(text, lines, body);
  const line = lines.lineOf(first);
  const sourceMap = new SourceMap(line);
  for (const [path, l] of places) sourceMap.set(path, l);
  return { ok: true, documents: [{ index: 0, line, content, sourceMap }] };
}

/** Where the file's first block or argument starts: the document's line. */
function firstOffset(body: Body): number | undefined {
  let first = Infinity;
  for (const item of [...body.attributes, ...body.blocks]) first = Math.min(first, item.s);
  return first === Infinity ? undefined : first;
}

function toParseError(err: unknown, text: string, lines: LineIndex): ParseError {
  if (err instanceof HclError) {
    const lineStart = text.lastIndexOf("\n", err.offset - 1) + 1;
    return { reason: err.reason, line: lines.lineOf(err.offset), column: err.offset - lineStart + 1, message: err.message };
  }
  // Guard for hostile input beyond the depth limit (a limit set too high for the stack).
  if (err instanceof RangeError && /call stack/i.test(err.message)) return { reason: "depth", line: 1, message: `nesting too deep to parse: ${err.message}` };
  // Errors are values: a file this parser cannot handle fails, it never passes.
  return { reason: "syntax", line: 1, message: `internal error parsing HCL: ${String(err)}` };
}

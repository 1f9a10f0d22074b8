import { decode } from "./decode.js";
import { parserFor, refineFormat } from "./registry.js";
import { DEFAULT_LIMITS, type ManifestDocument, type ParseError, type ParseLimits, type SourceFile } from "./types.js";

export type ParsedFile =
  | { readonly path: string; readonly format: string; readonly ok: true; readonly documents: readonly ManifestDocument[] }
  | { readonly path: string; readonly format: string; readonly ok: false; readonly error: ParseError };

/**
 * One file → its documents, or the reason it cannot be evaluated. A multi-document
 * stream with one broken document fails as a whole: evaluating the others would
 * report a partial file as passing, and a file is the unit a reviewer approves.
 */
export function parseFile(file: SourceFile, format: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  const base = { path: file.path, format };
  if (file.bytes.length > limits.maxBytes) {
    return {
      ...base,
      ok: false,
      error: {
        reason: "too-large",
        line: 1,
        message: `file is ${file.bytes.length} bytes, over the limit of ${limits.maxBytes}`,
      },
    };
  }
  const decoded = decode(file.bytes);
  if (!decoded.ok) return { ...base, ok: false, error: decoded.error };
  // Detection by content: a .yaml that is a CloudFormation template gets its tags.
  const actual = refineFormat(format, decoded.text);
  const result = parserFor(actual).parse(decoded.text, limits, file.bytes);
  return result.ok ? { ...base, format: actual, ok: true, documents: result.documents } : { ...base, format: actual, ok: false, error: result.error };
}

export { detectFormat, parserFor, FORMATS } from "./registry.js";
export { DEFAULT_LIMITS } from "./types.js";
export type { ManifestDocument, ParseError, ParseLimits, SourceFile } from "./types.js";
export { SourceMap, parseFieldPath, formatFieldPath, type PathSegment } from "./source-map.js";

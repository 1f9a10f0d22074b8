import type { SourceMap } from "./source-map.js";

/** A file as read from disk, stdin or a Git tree: raw bytes, nothing decoded yet. */
export interface SourceFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** One parsed document of a file (a YAML stream holds several). */
export interface ManifestDocument {
  /** Position in the stream, counting only documents that hold something. */
  readonly index: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  readonly content: unknown;
  readonly sourceMap: SourceMap;
}

/** Why a file could not be parsed, and where. */
export interface ParseError {
  readonly message: string;
  /** 1-based; the line where parsing failed, or 1 when the whole file is at fault. */
  readonly line: number;
  readonly column?: number;
  /** Machine-readable reason, stable across releases (tests and policies may match on it). */
  readonly reason: ParseErrorReason;
}

export type ParseErrorReason =
  | "too-large"
  | "binary"
  | "encoding"
  | "syntax"
  | "duplicate-key"
  | "depth"
  | "alias-expansion"
  | "complex-key"
  | "unknown-tag"
  | "number-range"
  | "unknown-format";

export type ParseResult =
  | { readonly ok: true; readonly documents: readonly ManifestDocument[] }
  | { readonly ok: false; readonly error: ParseError };

export interface ParseLimits {
  /** Files larger than this are refused before any decoding. */
  readonly maxBytes: number;
  /** Deepest nesting of mappings and sequences, aliases expanded. */
  readonly maxDepth: number;
  /** Most nodes that aliases may add when expanded (billion-laughs guard). */
  readonly maxAliasNodes: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  // 2 MiB keeps a 1 MiB single-line scalar legal while refusing multi-megabyte dumps.
  maxBytes: 2 * 1024 * 1024,
  // Kubernetes CRDs with openAPIV3Schema reach about 40 levels; 100 is js-yaml's own default.
  maxDepth: 100,
  maxAliasNodes: 100_000,
};

/** One parser per format, all behind this interface (conftest's `Parser.Unmarshal`). */
export interface ManifestParser {
  readonly format: string;
  /**
   * `text` is the file decoded (BOM dropped, UTF-16 decoded); `bytes`, when given, is the
   * file as read, for parsers that must see what conftest's parser sees.
   */
  parse(text: string, limits: ParseLimits, bytes?: Uint8Array): ParseResult;
}

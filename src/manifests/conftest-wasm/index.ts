// Formats parsed by conftest's own Go parsers compiled to WebAssembly (wasm/conftest-parsers),
// so each file becomes exactly the document `conftest parse` prints. The value conftest's
// parser returns is split the way conftest's engine splits it: a top-level array is one
// document per element (an ignore file is `[[entries]]`, so its entries are one document).
// docs/decisions/0007-input-formats.md records why these are Go and not npm parsers.
import { SourceMap, type PathSegment } from "../source-map.js";
import type { ManifestDocument, ManifestParser, ParseError, ParseLimits, ParseResult } from "../types.js";
import { GoReactor } from "./reactor.js";

/** Field path → line pairs for one document, from a cheap scan of the text. */
export type LineScanner = (text: string, content: unknown) => Iterable<readonly [readonly PathSegment[], number]>;

/** A .proto file for textproto messages, as conftest's `--proto-file-dirs` loads them. */
export interface ProtoFile {
  /** The path conftest would register it under (the folder as given, joined with the file's path in it). */
  readonly path: string;
  readonly text: string;
}

let protoFiles: readonly ProtoFile[] = [];
let protoError: string | undefined;

function loadProtos(reactor: GoReactor): void {
  protoError = undefined;
  for (const f of protoFiles) {
    const r = reactor.call("gg_load_proto", f.path, new TextEncoder().encode(f.text));
    const error = r.ok ? r.reply.error : r.message;
    if (error) {
      protoError = `load protos: ${error}`;
      return;
    }
  }
}

const reactors = {
  core: new GoReactor("conftest-parsers.wasm", loadProtos),
  cue: new GoReactor("conftest-parsers-cue.wasm"),
};

/**
 * The .proto files textproto messages are looked up in (conftest's `--proto-file-dirs`),
 * for this thread. Files register in order; an error fails every textproto file, as it
 * fails conftest's run.
 */
export function setProtoFiles(files: readonly ProtoFile[]): void {
  protoFiles = files;
  protoError = undefined;
  // Go's registries cannot forget a file: a new set means a new instance.
  reactors.core.reset();
}

/** Where in Go's message the failing line is: `line 3`, `At 3:5`, `:3:5`, `(line 3:5)`. */
export function lineOfMessage(message: string): { line: number; column?: number } | undefined {
  const patterns: RegExp[] = [/\bline (\d+)(?::(\d+))?/i, /\bAt (\d+):(\d+)/, /\bat (\d+):(\d+)/, /:(\d+):(\d+)/];
  for (const re of patterns) {
    const m = re.exec(message);
    if (m) {
      const line = Number(m[1]);
      if (line > 0) return m[2] ? { line, column: Number(m[2]) } : { line };
    }
  }
  return undefined;
}

/**
 * Where brackets (any of `([{`, and XML elements when `xml`; strings and comments not told apart) first nest deeper
 * than `limit`, or undefined. Checked before the Go parser runs: some of them take seconds
 * on thousands of levels before failing (Groovy's parser takes 18 s on 100,000 parentheses).
 */
export function bracketsTooDeep(text: string, limit: number, xml = false): { line: number } | undefined {
  let depth = 0;
  let tags = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (c === 0x28 || c === 0x5b || c === 0x7b) {
      if (++depth > limit) return { line };
    } else if ((c === 0x29 || c === 0x5d || c === 0x7d) && depth > 0) depth--;
    // XML elements: `<name` opens, `</` and `/>` close.
    else if (xml && c === 0x3c) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x2f) tags = Math.max(0, tags - 1);
      else if (/[A-Za-z_:]/.test(text[i + 1] ?? "") && ++tags > limit) return { line };
    } else if (xml && c === 0x2f && text.charCodeAt(i + 1) === 0x3e) tags = Math.max(0, tags - 1);
  }
  return undefined;
}

/** Deepest nesting of arrays and objects, counted without recursion; stops past `limit`. */
function depthOver(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (d + 1 > limit) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

export interface ConftestFormat {
  /** gitops-gate's format name (config `formats`, `--parser`): conftest's parser name. */
  readonly format: string;
  /** The Go build that has the parser. */
  readonly module: keyof typeof reactors;
  readonly lines?: LineScanner;
  /** A deeper limit than `ParseLimits.maxDepth`, for formats whose documents are syntax trees. */
  readonly minDepth?: number;
}

export function conftestParser(spec: ConftestFormat): ManifestParser {
  return {
    format: spec.format,
    parse(text: string, limits: ParseLimits, bytes?: Uint8Array): ParseResult {
      const maxDepth = Math.max(limits.maxDepth, spec.minDepth ?? 0);
      const deep = bracketsTooDeep(text, 2 * maxDepth, spec.format === "xml" || spec.format === "cyclonedx");
      if (deep) return { ok: false, error: { reason: "depth", line: deep.line, message: `brackets nest deeper than ${2 * maxDepth} levels` } };
      // The bytes as read, as conftest hands them to its parser (a BOM and UTF-16 are the parser's to handle).
      const result = reactors[spec.module].call("gg_parse", spec.format, bytes ?? new TextEncoder().encode(text));
      // Loading the .proto files happens when the instance starts, so after the call: their error fails every textproto file.
      if (spec.format === "textproto" && protoError) return { ok: false, error: { reason: "syntax", line: 1, message: protoError } };
      if (!result.ok) {
        const reason = result.crash === "stack" ? "depth" : result.crash === "memory" ? "too-large" : "syntax";
        return { ok: false, error: { reason, line: 1, message: result.message } };
      }
      const { doc, error } = result.reply;
      if (error !== undefined) return { ok: false, error: parseError(error) };
      if (depthOver(doc, maxDepth)) {
        return { ok: false, error: { reason: "depth", line: 1, message: `nesting deeper than ${maxDepth} levels` } };
      }
      if (doc === null || doc === undefined) return { ok: true, documents: [] };
      const contents = Array.isArray(doc) ? doc : [doc];
      const documents = contents.map((content, index): ManifestDocument => {
        const sourceMap = new SourceMap(1);
        if (spec.lines) for (const [path, line] of spec.lines(text, content)) sourceMap.set(path, line);
        return { index, line: 1, content, sourceMap };
      });
      return { ok: true, documents };
    },
  };
}

/** Most of a parser's message shown; conftest's SPDX parser prints the whole file as a byte list. */
const MAX_MESSAGE = 1000;

function parseError(raw: string): ParseError {
  const squeezed = raw.replace(/\[(?:\d+ ){16,}\d+\]/g, "[…]");
  const message = squeezed.length > MAX_MESSAGE ? `${squeezed.slice(0, MAX_MESSAGE)}…` : squeezed;
  const at = lineOfMessage(message);
  return { reason: "syntax", message, line: at?.line ?? 1, ...(at?.column ? { column: at.column } : {}) };
}

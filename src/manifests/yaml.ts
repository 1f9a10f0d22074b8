import { CORE_SCHEMA, EVENT_ID, JSON_SCHEMA, constructFromEvents, getScalarValue, mergeTag, parseEvents } from "js-yaml";
import type { Event, Schema } from "js-yaml";
import { LineIndex } from "./lines.js";
import { SourceMap, type PathSegment } from "./source-map.js";
import type { ManifestDocument, ManifestParser, ParseError, ParseLimits, ParseResult } from "./types.js";

// YAML 1.2 core schema, as js-yaml 4+ and kubectl's JSON-compatible subset agree on it,
// plus `<<` merge keys because kubectl (sigs.k8s.io/yaml) resolves them: a policy must
// see the effective `privileged`, not a literal "<<" key.
const YAML_SCHEMA: Schema = CORE_SCHEMA.withTags(mergeTag);

interface Frame {
  readonly kind: "doc" | "map" | "seq";
  readonly path: readonly PathSegment[];
  readonly depth: number;
  readonly anchor: string | undefined;
  expectKey: boolean;
  pendingKey: PathSegment | undefined;
  nextIndex: number;
  /** Nodes in this subtree with aliases expanded. */
  size: number;
  /** Levels below this node with aliases expanded. */
  height: number;
}

interface DocumentSkeleton {
  line: number;
  entries: Array<[readonly PathSegment[], number]>;
}

interface AnchorInfo {
  readonly size: number;
  readonly height: number;
}

class Walk {
  readonly docs: DocumentSkeleton[] = [];
  private readonly frames: Frame[] = [];
  private readonly anchors = new Map<string, AnchorInfo>();
  private aliasNodes = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly limits: ParseLimits,
  ) {}

  run(events: readonly Event[]): ParseError | undefined {
    for (const ev of events) {
      const err = this.step(ev);
      if (err) return err;
    }
    return undefined;
  }

  private fail(reason: ParseError["reason"], offset: number, message: string): ParseError {
    return { reason, line: this.lines.lineOf(Math.max(0, offset)), message };
  }

  private step(ev: Event): ParseError | undefined {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        this.anchors.clear();
        this.aliasNodes = 0;
        this.docs.push({ line: 0, entries: [] });
        this.frames.push(frame("doc", [], 0, undefined));
        return undefined;
      case EVENT_ID.POP:
        return this.pop();
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const placed = this.place(ev.start, false);
        if ("reason" in placed) return placed;
        const depth = placed.depth;
        if (depth > this.limits.maxDepth) {
          return this.fail("depth", ev.start, `nesting deeper than ${this.limits.maxDepth} levels`);
        }
        const anchor = ev.anchorStart >= 0 ? this.text.slice(ev.anchorStart, ev.anchorEnd) : undefined;
        this.frames.push(frame(ev.type === EVENT_ID.MAPPING ? "map" : "seq", placed.path, depth, anchor));
        return undefined;
      }
      case EVENT_ID.SCALAR: {
        const start = ev.valueStart >= 0 ? ev.valueStart : Math.max(ev.anchorStart, ev.tagStart, 0);
        const placed = this.place(start, true, ev);
        if ("reason" in placed) return placed;
        if (ev.style === 1 && ev.tagStart < 0) {
          const err = this.checkNumber(ev);
          if (err) return err;
        }
        this.grow(1, 0);
        if (ev.anchorStart >= 0) this.anchors.set(this.text.slice(ev.anchorStart, ev.anchorEnd), { size: 1, height: 0 });
        return undefined;
      }
      case EVENT_ID.ALIAS: {
        const name = this.text.slice(ev.anchorStart, ev.anchorEnd);
        const target = this.anchors.get(name);
        if (!target) return this.fail("syntax", ev.anchorStart, `alias *${name} refers to no earlier anchor`);
        const placed = this.place(ev.anchorStart, false, undefined, true);
        if ("reason" in placed) return placed;
        this.aliasNodes += target.size;
        if (this.aliasNodes > this.limits.maxAliasNodes) {
          return this.fail(
            "alias-expansion",
            ev.anchorStart,
            `aliases expand to more than ${this.limits.maxAliasNodes} nodes (alias bomb?)`,
          );
        }
        if (placed.depth - 1 + target.height > this.limits.maxDepth) {
          return this.fail("depth", ev.anchorStart, `alias *${name} nests deeper than ${this.limits.maxDepth} levels`);
        }
        this.grow(target.size, target.height);
        return undefined;
      }
    }
  }

  /** Puts a node under its parent: records its path and line, checks keys. */
  private place(
    offset: number,
    scalar: boolean,
    ev?: Extract<Event, { type: 4 }>,
    alias = false,
  ): { path: readonly PathSegment[]; depth: number } | ParseError {
    const parent = this.frames[this.frames.length - 1];
    const doc = this.docs[this.docs.length - 1];
    if (!parent || !doc) return this.fail("syntax", offset, "node outside a document");
    const line = this.lines.lineOf(offset);
    const depth = parent.depth + 1;
    if (parent.kind === "doc") {
      doc.line = line;
      return { path: [], depth };
    }
    if (parent.kind === "seq") {
      const path = [...parent.path, parent.nextIndex++];
      doc.entries.push([path, line]);
      return { path, depth };
    }
    if (parent.expectKey) {
      parent.expectKey = false;
      if (!scalar || alias || !ev) {
        return this.fail("complex-key", offset, "mapping key is a collection or alias; only scalar keys are supported");
      }
      const key = getScalarValue(this.text, ev);
      parent.pendingKey = key;
      doc.entries.push([[...parent.path, key], line]);
      return { path: [...parent.path, key], depth };
    }
    parent.expectKey = true;
    return { path: [...parent.path, parent.pendingKey ?? ""], depth };
  }

  private grow(size: number, height: number): void {
    const top = this.frames[this.frames.length - 1];
    if (!top) return;
    top.size += size;
    top.height = Math.max(top.height, height + 1);
  }

  private pop(): ParseError | undefined {
    const done = this.frames.pop();
    if (!done || done.kind === "doc") return undefined;
    if (done.anchor !== undefined) this.anchors.set(done.anchor, { size: done.size, height: done.height });
    this.grow(done.size, done.height);
    return undefined;
  }

  /** Plain scalars that resolve to ±Infinity or NaN have no JSON form; refuse them. */
  private checkNumber(ev: Extract<Event, { type: 4 }>): ParseError | undefined {
    const first = this.text.charCodeAt(ev.valueStart);
    const numeric = (first >= 0x30 && first <= 0x39) || first === 0x2d || first === 0x2b || first === 0x2e;
    if (!numeric) return undefined;
    const raw = this.text.slice(ev.valueStart, ev.valueEnd);
    if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(raw)) {
      return this.fail("number-range", ev.valueStart, `number ${raw} has no JSON representation`);
    }
    if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(raw) && !Number.isFinite(Number(raw))) {
      return this.fail("number-range", ev.valueStart, `number ${raw.slice(0, 40)} is out of range`);
    }
    return undefined;
  }
}

function frame(kind: Frame["kind"], path: readonly PathSegment[], depth: number, anchor: string | undefined): Frame {
  return { kind, path, depth, anchor, expectKey: true, pendingKey: undefined, nextIndex: 0, size: 1, height: 0 };
}

interface YamlException {
  reason?: string;
  message?: string;
  mark?: { line?: number; column?: number };
}

function fromException(e: unknown): ParseError {
  const ex = (typeof e === "object" && e !== null ? e : { message: String(e) }) as YamlException;
  const reasonText = ex.reason ?? ex.message ?? String(e);
  const line = (ex.mark?.line ?? 0) + 1;
  const column = ex.mark?.column !== undefined ? ex.mark.column + 1 : undefined;
  let reason: ParseError["reason"] = "syntax";
  if (/duplicated mapping key/.test(reasonText)) reason = "duplicate-key";
  else if (/maxDepth|nesting/.test(reasonText)) reason = "depth";
  else if (/unknown .*tag/.test(reasonText)) reason = "unknown-tag";
  else if (/complex key/.test(reasonText)) reason = "complex-key";
  else if (e instanceof RangeError) reason = "depth";
  return { reason, line, ...(column !== undefined ? { column } : {}), message: reasonText };
}

/** Re-indentations tried before a "deficient indentation" stands. */
const MAX_REINDENTS = 200;

/**
 * js-yaml's events, as Go's YAML (what kubectl, Argo CD and Gatekeeper read manifests with)
 * would accept the text: Go lets a quoted scalar or a flow collection continue on a line
 * at its key's own indentation, where YAML 1.2 (and js-yaml) want one more space. Leading
 * white space of such a line is never content (flow line folding discards it), so the line
 * is indented as js-yaml wants and the text parsed again: values are Go's, lines unchanged.
 */
function lenientEvents(text: string, limits: ParseLimits): { events: Event[]; text: string } {
  let current = text;
  let lastLine = -1;
  for (let attempt = 0; ; attempt++) {
    try {
      // Depth is checked again by the walk with aliases expanded; the parser's own check
      // stops a 100,000-level flow sequence before it costs stack.
      return { events: parseEvents(current, { maxDepth: limits.maxDepth }), text: current };
    } catch (e) {
      const ex = e as YamlException;
      const line = ex.mark?.line;
      if (attempt >= MAX_REINDENTS || line === undefined || !/deficient indentation/.test(ex.reason ?? ex.message ?? "")) throw e;
      const starts = [0];
      for (let i = current.indexOf("\n"); i >= 0; i = current.indexOf("\n", i + 1)) starts.push(i + 1);
      const start = starts[line];
      if (start === undefined) throw e;
      const indentOf = (i: number): number => /^ */.exec(current.slice(starts[i], starts[i + 1] ?? current.length))?.[0].length ?? 0;
      // First as far as the line before, plus one; then a space at a time.
      let add = 1;
      if (line !== lastLine && line > 0) add = Math.max(1, indentOf(line - 1) + 1 - indentOf(line));
      lastLine = line;
      current = `${current.slice(0, start)}${" ".repeat(add)}${current.slice(start)}`;
    }
  }
}

/** Shared by the YAML and JSON parsers: events with offsets → values plus source maps. */
export function parseStream(original: string, limits: ParseLimits, schema: Schema): ParseResult {
  let events: Event[];
  let text: string;
  try {
    ({ events, text } = lenientEvents(original, limits));
  } catch (e) {
    return { ok: false, error: fromException(e) };
  }
  const lines = new LineIndex(text);
  const walk = new Walk(text, lines, limits);
  const walkError = walk.run(events);
  if (walkError) return { ok: false, error: walkError };
  let values: unknown[];
  try {
    values = constructFromEvents(events, { source: text, schema, maxAliases: -1 });
  } catch (e) {
    return { ok: false, error: fromException(e) };
  }
  const documents: ManifestDocument[] = [];
  values.forEach((content, i) => {
    const skeleton = walk.docs[i];
    if (content === null || content === undefined || !skeleton) return;
    const sourceMap = new SourceMap(skeleton.line);
    for (const [path, line] of skeleton.entries) sourceMap.set(path, line);
    documents.push({ index: documents.length, line: skeleton.line, content, sourceMap });
  });
  return { ok: true, documents };
}

export const yamlParser: ManifestParser = {
  format: "yaml",
  parse: (text, limits) => parseStream(text, limits, YAML_SCHEMA),
};

/** JSON through the same event parser: positions, duplicate-key refusal and depth limits come free. */
export const jsonParser: ManifestParser = {
  format: "json",
  parse: (text, limits) => parseStream(text, limits, JSON_SCHEMA),
};

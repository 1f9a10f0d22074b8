// Field → line maps for the formats parsed in Go, found by a cheap scan of the text (the Go
// parsers give values, not positions). The document itself comes from conftest's parser;
// these scans only say where a key is written, and a key they miss falls back to its
// nearest mapped parent, then to line 1. A key written twice maps to its last line: the one
// whose value the parsers keep.
import type { PathSegment } from "../source-map.js";
import type { LineScanner } from "./index.js";

type Entry = readonly [readonly PathSegment[], number];

/** Later entries win: the parsers keep the last value of a repeated key. */
function lastWins(entries: Entry[]): Entry[] {
  const byKey = new Map<string, Entry>();
  for (const e of entries) byKey.set(JSON.stringify(e[0]), e);
  return [...byKey.values()];
}

const physicalLines = (text: string): string[] => text.split("\n").map((l) => l.replace(/\r$/, ""));

/** INI as go-ini reads it: `[section]`, `key = value` / `key: value`, `-` auto-numbered keys. */
export const iniLines: LineScanner = (text) => {
  const out: Entry[] = [];
  const lines = physicalLines(text);
  let section = "DEFAULT";
  let counter = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trimStart();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      const close = line.lastIndexOf("]");
      if (close === -1) continue;
      section = line.slice(1, close);
      counter = 1;
      out.push([[section], i + 1]);
      continue;
    }
    const quote = line.startsWith('"""') ? '"""' : line.startsWith('"') ? '"' : line.startsWith("`") ? "`" : "";
    let key: string;
    let rest: string;
    if (quote) {
      const end = line.indexOf(quote, quote.length);
      if (end === -1) continue;
      key = line.slice(quote.length, end).trim();
      const delim = line.slice(end + quote.length).search(/[=:]/);
      rest = delim === -1 ? "" : line.slice(end + quote.length + delim + 1);
    } else {
      const delim = line.search(/[=:]/);
      if (delim <= 0) continue;
      key = line.slice(0, delim).trim();
      rest = line.slice(delim + 1);
    }
    if (key === "-") key = `#${counter++}`;
    if (section !== "DEFAULT") out.push([[section, key], i + 1]);
    // A value in triple quotes, or ending in a backslash, goes on over the next lines.
    const value = rest.trim();
    if (value.startsWith('"""') && value.indexOf('"""', 3) === -1) {
      while (i + 1 < lines.length && !(lines[i + 1] as string).includes('"""')) i++;
      i++;
    } else {
      while (i < lines.length && (lines[i] as string).trimEnd().endsWith("\\")) i++;
    }
  }
  return lastWins(out);
};

/** Java properties: logical lines joined by a trailing odd backslash; key ends at `=`, `:` or blank. */
export const propertiesLines: LineScanner = (text) => {
  const out: Entry[] = [];
  const lines = physicalLines(text);
  const continues = (l: string): boolean => (/(\\+)$/.exec(l)?.[1]?.length ?? 0) % 2 === 1;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    const line = (lines[i] as string).replace(/^[ \t\f]+/, "");
    let joined = line;
    while (continues(lines[i] as string) && i + 1 < lines.length) joined = joined.slice(0, -1) + (lines[++i] as string).replace(/^[ \t\f]+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    let key = "";
    for (let k = 0; k < joined.length; k++) {
      const ch = joined[k] as string;
      if (ch === "\\" && k + 1 < joined.length) {
        const next = joined[++k] as string;
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(joined.slice(k + 1, k + 5))) {
          key += String.fromCharCode(parseInt(joined.slice(k + 1, k + 5), 16));
          k += 4;
        } else key += ({ t: "\t", n: "\n", r: "\r", f: "\f" } as Record<string, string>)[next] ?? next;
        continue;
      }
      if (ch === "=" || ch === ":" || ch === " " || ch === "\t" || ch === "\f") break;
      key += ch;
    }
    out.push([[key], start + 1]);
  }
  return lastWins(out);
};

/** .env as gotenv reads it: `[export ]KEY=value` or `KEY: value`; quoted values may span lines. */
export const dotenvLines: LineScanner = (text) => {
  const out: Entry[] = [];
  const lines = physicalLines(text);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([\w.]+)(?:\s*=\s*|:\s+?)(.*)$/.exec(lines[i] as string);
    if (!m) continue;
    out.push([[m[1] as string], i + 1]);
    const value = m[2] as string;
    const q = value[0];
    if ((q === '"' || q === "'") && !new RegExp(`^${q}(?:\\\\.|[^${q}\\\\])*${q}`).test(value)) {
      while (i + 1 < lines.length && !(lines[i + 1] as string).includes(q)) i++;
      i++;
    }
  }
  return lastWins(out);
};

/** One dotted TOML key from `s` at `at`: bare, "basic" or 'literal' parts. */
function tomlKey(s: string, at: number): { keys: string[]; end: number } | undefined {
  const keys: string[] = [];
  let i = at;
  for (;;) {
    while (s[i] === " " || s[i] === "\t") i++;
    const c = s[i];
    if (c === '"') {
      const m = /^"((?:\\.|[^"\\])*)"/.exec(s.slice(i));
      if (!m) return undefined;
      try {
        keys.push(JSON.parse(`"${(m[1] as string).replace(/\\U([0-9a-fA-F]{8})/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)).replace(/"/g, '\\"'))}"`) as string);
      } catch {
        keys.push(m[1] as string);
      }
      i += m[0].length;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) return undefined;
      keys.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
      if (!m) return undefined;
      keys.push(m[0]);
      i += m[0].length;
    }
    while (s[i] === " " || s[i] === "\t") i++;
    if (s[i] !== ".") return { keys, end: i };
    i++;
  }
}

/** Brackets opened and not closed in a value, outside strings and comments; and an open multi-line string. */
function tomlValueState(value: string, depth: number): { depth: number; open: string | undefined } {
  let d = depth;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === "#") break;
    if (value.startsWith('"""', i) || value.startsWith("'''", i)) {
      const q = value.slice(i, i + 3);
      const end = value.indexOf(q, i + 3);
      if (end === -1) return { depth: d, open: q };
      i = end + 2;
    } else if (c === '"') {
      const m = /^"(?:\\.|[^"\\])*"/.exec(value.slice(i));
      i += m ? m[0].length - 1 : value.length;
    } else if (c === "'") {
      const end = value.indexOf("'", i + 1);
      i = end === -1 ? value.length : end;
    } else if (c === "[" || c === "{") d++;
    else if (c === "]" || c === "}") d--;
  }
  return { depth: d, open: undefined };
}

/** TOML tables, arrays of tables and (dotted) keys; values spanning lines are skipped over. */
export const tomlLines: LineScanner = (text) => {
  const out: Entry[] = [];
  const lines = physicalLines(text);
  let table: PathSegment[] = [];
  const arrays = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      const many = line.startsWith("[[");
      const key = tomlKey(line, many ? 2 : 1);
      if (!key) continue;
      // Inside an array of tables, a header continues its last element: [[p]] then [p.sub] is p[last].sub.
      const resolved: PathSegment[] = [];
      key.keys.forEach((k, n) => {
        resolved.push(k);
        const index = arrays.get(JSON.stringify(key.keys.slice(0, n + 1)));
        if (n < key.keys.length - 1 && index !== undefined) resolved.push(index - 1);
      });
      if (many) {
        const id = JSON.stringify(key.keys);
        const index = arrays.get(id) ?? 0;
        arrays.set(id, index + 1);
        // A new element starts its nested arrays of tables afresh.
        for (const other of arrays.keys()) if (other !== id && other.startsWith(id.slice(0, -1) + ",")) arrays.delete(other);
        out.push([resolved, i + 1]);
        table = [...resolved, index];
      } else table = resolved;
      out.push([table, i + 1]);
      continue;
    }
    const key = tomlKey(line, 0);
    if (!key || line[key.end] !== "=") continue;
    const path = [...table, ...key.keys];
    for (let n = table.length + 1; n <= path.length; n++) out.push([path.slice(0, n), i + 1]);
    let state = tomlValueState(line.slice(key.end + 1), 0);
    while ((state.open || state.depth > 0) && i + 1 < lines.length) {
      const next = lines[++i] as string;
      if (state.open) {
        const end = next.indexOf(state.open);
        state = end === -1 ? state : tomlValueState(next.slice(end + 3), state.depth);
      } else state = tomlValueState(next, state.depth);
    }
  }
  // TOML refuses a key defined twice, so the first mention of a path is where it starts
  // (an array of tables at its first header); SourceMap keeps the first.
  return out;
};

/** An ignore file is one entry per line, blank lines and comments included. */
export const ignoreLines: LineScanner = (_text, content) => (Array.isArray(content) ? content.map((_, i): Entry => [[i], i + 1]) : []);

/** CODEOWNERS rules carry their own line numbers. */
export const codeownersLines: LineScanner = (_text, content) => {
  const rules = (content as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r, i): Entry[] => {
    const line = (r as { lineNumber?: unknown } | null)?.lineNumber;
    return typeof line === "number" && line > 0 ? [[["rules", i], line]] : [];
  });
};

/** A Jenkinsfile's syntax tree: every node has the line it starts on. */
export const groovyLines: LineScanner = (_text, content) => {
  const out: Entry[] = [];
  const stack: Array<[unknown, PathSegment[]]> = [[content, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, PathSegment[]];
    if (node === null || typeof node !== "object") continue;
    const line = (node as { line?: unknown }).line;
    if (path.length > 0 && typeof line === "number" && line > 0) out.push([path, line]);
    const children = (node as { children?: unknown }).children;
    if (Array.isArray(children)) children.forEach((c, i) => stack.push([c, [...path, "children", i]]));
  }
  return out;
};

// Dockerfiles in the shape conftest's parser gives policies (buildkit's instruction
// parser): one document, an array of {Cmd, Flags, Value, JSON, Stage, SubCmd}, so
// conftest Dockerfile policies work unchanged. Each instruction keeps its line.
import { SourceMap } from "./source-map.js";
import type { ManifestParser, ParseResult } from "./types.js";

interface Instruction {
  Cmd: string;
  /** null on comments, as conftest gives them. */
  Flags: string[] | null;
  JSON: boolean;
  Stage: number;
  SubCmd: string;
  Value: string[];
}

const JSON_OR_STRING = new Set(["run", "cmd", "entrypoint", "shell"]);
const JSON_OR_LIST = new Set(["add", "copy", "volume"]);
const NAME_VALUE = new Set(["env", "label"]);
const SINGLE = new Set(["user", "workdir", "maintainer", "stopsignal"]);

/** `["a", "b"]` exec form, or undefined when the text is not a JSON array of strings. */
function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith("[")) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Splits on whitespace outside quotes, keeping the quotes (buildkit leaves them to the shell step). */
function words(text: string, escape: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === escape && i + 1 < text.length) {
      cur += ch + (text[i + 1] as string);
      i++;
      started = true;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      started = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = "";
      started = false;
      continue;
    }
    cur += ch;
    started = true;
  }
  if (started) out.push(cur);
  return out;
}

/**
 * ENV and LABEL as conftest gives them: a triple per pair, [key, value, "="] for the
 * `k=v` form, [key, "rest of line", ""] for the legacy `ENV k v` form; quotes stay as written.
 */
function nameValues(text: string, escape: string): string[] {
  const ws = words(text, escape);
  if (ws.length > 0 && !(ws[0] as string).includes("=")) {
    const name = text.split(/\s+/, 1)[0] ?? "";
    return [name, text.slice(name.length).trim(), ""];
  }
  const out: string[] = [];
  for (const w of ws) {
    const eq = w.indexOf("=");
    if (eq === -1) out.push(w, "", "");
    else out.push(w.slice(0, eq), w.slice(eq + 1), "=");
  }
  return out;
}

function takeFlags(ws: string[]): { flags: string[]; rest: string[] } {
  const flags: string[] = [];
  let i = 0;
  while (i < ws.length && (ws[i] as string).startsWith("--") && ws[i] !== "--") flags.push(ws[i++] as string);
  return { flags, rest: ws.slice(i) };
}

function instruction(cmd: string, args: string, stage: number, escape: string): Instruction {
  const base = { Cmd: cmd, Flags: [] as string[], JSON: false, Stage: stage, SubCmd: "" };
  const lead = takeFlags(words(args, escape));
  const flagText = lead.flags.join(" ");
  const afterFlags = lead.flags.length ? args.slice(args.indexOf(flagText) + flagText.length).trim() : args;
  if (cmd === "onbuild") {
    const [sub = "", ...rest] = args.split(/\s+/);
    const inner = instruction(sub.toLowerCase(), rest.join(" "), stage, escape);
    return { ...inner, Cmd: "onbuild", SubCmd: sub.toLowerCase() };
  }
  if (JSON_OR_STRING.has(cmd) || JSON_OR_LIST.has(cmd)) {
    const json = jsonArray(afterFlags);
    if (json) return { ...base, Flags: lead.flags, JSON: true, Value: json };
    return { ...base, Flags: lead.flags, Value: JSON_OR_LIST.has(cmd) ? lead.rest : [afterFlags] };
  }
  if (NAME_VALUE.has(cmd)) return { ...base, Value: nameValues(args, escape) };
  if (cmd === "arg") return { ...base, Value: words(args, escape) };
  if (cmd === "healthcheck") {
    const kind = lead.rest[0] ?? "";
    if (kind.toUpperCase() === "NONE") return { ...base, Flags: lead.flags, Value: ["NONE"] };
    const text = afterFlags.slice(kind.length).trim();
    const json = jsonArray(text);
    return { ...base, Flags: lead.flags, JSON: Boolean(json), Value: [kind.toUpperCase(), ...(json ?? [text])] };
  }
  if (SINGLE.has(cmd)) return { ...base, Value: [args.trim()] };
  // FROM, EXPOSE and the rest: whitespace-separated words.
  return { ...base, Flags: lead.flags, Value: lead.rest };
}

export const dockerfileParser: ManifestParser = {
  format: "dockerfile",
  parse(text): ParseResult {
    const lines = text.split(/\r?\n/);
    let escape = "\\";
    // Parser directives (`# escape=`) count only before the first instruction or comment.
    for (const l of lines) {
      const d = /^#\s*escape\s*=\s*(\S)\s*$/i.exec(l);
      if (d) {
        escape = d[1] as string;
        break;
      }
      if (!/^#\s*\w+\s*=/.test(l)) break;
    }
    const instructions: Instruction[] = [];
    const sourceLines: number[] = [];
    let stage = -1;
    const pendingComments: Array<{ text: string; line: number }> = [];
    for (let i = 0; i < lines.length; i++) {
      const first = lines[i] as string;
      if (/^\s*$/.test(first)) continue;
      const comment = /^\s*#\s*(.*?)\s*$/.exec(first);
      if (comment) {
        // conftest keeps the comments just before an instruction as instructions of their
        // own (policies read `# hadolint ignore=…`); an empty `#` line starts the block anew.
        if (comment[1] === "") pendingComments.length = 0;
        else pendingComments.push({ text: comment[1] as string, line: i + 1 });
        continue;
      }
      const start = i + 1;
      let logical = first;
      // Line continuations: an escape at the end of a line joins the next one; comment
      // lines inside a continued instruction are dropped, as buildkit does.
      while (logical.trimEnd().endsWith(escape) && i + 1 < lines.length) {
        logical = logical.trimEnd().slice(0, -1);
        i++;
        while (i < lines.length && /^\s*#/.test(lines[i] as string)) i++;
        logical += lines[i] ?? "";
      }
      const m = /^\s*([A-Za-z]+)(\s+|$)(.*)$/s.exec(logical);
      if (!m) return { ok: false, error: { reason: "syntax", line: start, message: `unknown instruction: ${logical.trim().slice(0, 40)}` } };
      const cmd = (m[1] as string).toLowerCase();
      if (cmd === "from") stage++;
      for (const c of pendingComments.splice(0)) {
        instructions.push({ Cmd: "comment", Flags: null, JSON: false, Stage: Math.max(stage, 0), SubCmd: "", Value: [c.text] });
        sourceLines.push(c.line);
      }
      const heredoc = /<<-?\s*["']?(\w+)["']?/.exec(m[3] as string);
      if (heredoc && (cmd === "run" || cmd === "copy")) {
        // Heredoc bodies belong to the instruction; skip them so they are not read as instructions.
        const end = heredoc[1] as string;
        while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== end) i++;
        i++;
      }
      instructions.push(instruction(cmd, (m[3] as string).trim(), Math.max(stage, 0), escape));
      sourceLines.push(start);
    }
    if (instructions.length === 0) return { ok: true, documents: [] };
    const sourceMap = new SourceMap(sourceLines[0] ?? 1);
    sourceLines.forEach((line, idx) => {
      sourceMap.set([idx], line);
    });
    return { ok: true, documents: [{ index: 0, line: sourceLines[0] ?? 1, content: instructions, sourceMap }] };
  },
};

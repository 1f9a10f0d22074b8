// The waivers file (`.github/gitops-gate-waivers.yml`, config `waivers.path`): a YAML list
// of exceptions as reviewed data. Each entry is read on its own, so one malformed entry is a
// finding about that entry, at its line, and the others still count. Nothing here decides
// whether an entry applies: see apply.ts.
import { compileGlob } from "../config/glob.js";
import { parseFile } from "../manifests/index.js";

/** One entry of the waivers file as written, with what is wrong with it. */
export interface WaiverEntry {
  /** Position in the list, from 0. */
  readonly index: number;
  /** 1-based line of the entry in the waivers file. */
  readonly line: number;
  /** The entry in a canonical form: equal keys mean the same waiver at base and head. */
  readonly key: string;
  readonly rule?: string;
  /** `Kind/namespace/name` (or `Kind/name`); `*` matches within one segment. */
  readonly resources: readonly string[];
  /** Globs of the files whose findings it waives. */
  readonly paths: readonly string[];
  readonly reason?: string;
  /** `@user` or `@org/team`, accountable for the exception. */
  readonly owner?: string;
  /** `YYYY-MM-DD`: the last day it applies. */
  readonly expires?: string;
  /** Missing or malformed fields, in words; an entry with problems waives nothing. */
  readonly problems: readonly string[];
}

export interface WaiversFile {
  readonly path: string;
  readonly entries: readonly WaiverEntry[];
  /** The file as a whole could not be read as a list of waivers: nothing in it applies. */
  readonly error?: { readonly line: number; readonly message: string };
}

const KEYS = new Set(["rule", "resources", "paths", "reason", "owner", "expires"]);
const OWNER = /^@?[\w.-]+(\/[\w.-]+)?$/;
const RESOURCE = /^[^/\s]+(\/[^/\s]+){1,2}$/;

/** `YYYY-MM-DD` when it names a real day. */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Globs are matched with the config's matcher (bounded time); one it refuses makes the entry invalid. */
function isGlob(s: string): boolean {
  try {
    compileGlob(s);
    return true;
  } catch {
    return false;
  }
}

function list(v: unknown, name: string, problems: string[], valid: (s: string) => boolean, hint: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push(`\`${name}\` must be a list`);
    return [];
  }
  const out: string[] = [];
  for (const item of v) {
    const s = text(item);
    if (s === undefined || !valid(s)) problems.push(`\`${name}\` has ${JSON.stringify(item)}, which is not ${hint}`);
    else out.push(s);
  }
  return out;
}

function entry(raw: unknown, index: number, line: number): WaiverEntry {
  const problems: string[] = [];
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return { index, line, key: JSON.stringify(raw), resources: [], paths: [], problems: ["an entry must be a mapping with rule, resources or paths, reason, owner and expires"] };
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) problems.push(`\`${k}\` is not a known key (known: ${[...KEYS].join(", ")})`);
  const rule = text(o["rule"]);
  if (!rule) problems.push("`rule` is missing: name the rule id the waiver is for");
  const resources = list(o["resources"], "resources", problems, (s) => RESOURCE.test(s) && isGlob(s), "Kind/namespace/name or Kind/name");
  const paths = list(o["paths"], "paths", problems, isGlob, "a path glob");
  if (resources.length === 0 && paths.length === 0 && !problems.some((p) => /^`(resources|paths)`/.test(p))) {
    problems.push("`resources` and `paths` are both missing: say which objects or files the waiver is for");
  }
  const reason = text(o["reason"]);
  if (!reason) problems.push("`reason` is missing: say why the exception is needed");
  const owner = text(o["owner"]);
  if (!owner) problems.push("`owner` is missing: name the user or team accountable for it");
  else if (!OWNER.test(owner)) problems.push(`\`owner\` ${JSON.stringify(owner)} is not a user (@login) or a team (@org/team)`);
  const expiresRaw = o["expires"] instanceof Date ? o["expires"].toISOString().slice(0, 10) : text(o["expires"]);
  if (expiresRaw === undefined) problems.push("`expires` is missing: give the last day it applies (YYYY-MM-DD)");
  else if (!isDay(expiresRaw)) problems.push(`\`expires\` ${JSON.stringify(expiresRaw)} is not a date (YYYY-MM-DD)`);
  const expires = expiresRaw !== undefined && isDay(expiresRaw) ? expiresRaw : undefined;
  const normalisedOwner = owner && OWNER.test(owner) ? (owner.startsWith("@") ? owner : `@${owner}`) : owner;
  return {
    index, line, problems,
    key: JSON.stringify([rule ?? null, [...resources].sort(), [...paths].sort(), reason ?? null, normalisedOwner ?? null, expiresRaw ?? null, Object.keys(o).filter((k) => !KEYS.has(k)).sort()]),
    ...(rule ? { rule } : {}),
    resources, paths,
    ...(reason ? { reason } : {}),
    ...(normalisedOwner ? { owner: normalisedOwner } : {}),
    ...(expires ? { expires } : {}),
  };
}

/** Reads a waivers file: its entries, each with its problems, or why the file cannot be read at all. */
export function parseWaivers(path: string, bytes: Uint8Array): WaiversFile {
  const parsed = parseFile({ path, bytes }, "yaml");
  if (!parsed.ok) return { path, entries: [], error: { line: parsed.error.line, message: `parse ${path}: ${parsed.error.message}` } };
  if (parsed.documents.length > 1) return { path, entries: [], error: { line: parsed.documents[1]?.line ?? 1, message: `${path} must hold one YAML document` } };
  const doc = parsed.documents[0];
  if (!doc || doc.content === null || doc.content === undefined) return { path, entries: [] };
  if (!Array.isArray(doc.content)) return { path, entries: [], error: { line: doc.line, message: `${path} must be a YAML list of waivers (- rule: …)` } };
  return { path, entries: doc.content.map((raw, i) => entry(raw, i, doc.sourceMap.lineOf([i]))) };
}

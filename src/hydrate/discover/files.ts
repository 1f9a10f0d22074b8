// Helpers over a repository's files, as the discovery functions read them.
import { posix } from "node:path";
import { DEFAULT_LIMITS } from "../../manifests/types.js";
import { yamlParser } from "../../manifests/yaml.js";
import type { ManifestDocument } from "../../manifests/types.js";
import type { RepoFiles } from "../types.js";
import { KUSTOMIZATION_FILES } from "./types.js";

export type Files = ReadonlyMap<string, string | Uint8Array>;

export function asMap(files: RepoFiles): Files {
  return files instanceof Map ? files : new Map(Object.entries(files as Record<string, string | Uint8Array>));
}

export function text(files: Files, path: string): string | undefined {
  const c = files.get(path);
  if (c === undefined) return undefined;
  return typeof c === "string" ? c : Buffer.from(c).toString("utf8");
}

export function dirOf(path: string): string {
  const d = posix.dirname(path);
  return d === "." ? "" : d;
}

export function joinRel(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/** `ref` resolved against `dir`; undefined when it climbs out of the repository. */
export function resolvePath(dir: string, ref: string): string | undefined {
  const joined = posix.normalize(posix.join(dir === "" ? "." : dir, ref));
  if (joined === "." || joined === "./") return "";
  if (joined === ".." || joined.startsWith("../") || posix.isAbsolute(joined)) return undefined;
  return joined.replace(/\/$/, "");
}

export function folders(files: Files): Set<string> {
  const out = new Set<string>([""]);
  for (const p of files.keys()) {
    for (let d = dirOf(p); d !== ""; d = dirOf(d)) {
      if (out.has(d)) break;
      out.add(d);
    }
  }
  return out;
}

/** Parsed YAML documents of a file (none when it does not parse). */
export function documents(files: Files, path: string): readonly ManifestDocument[] {
  const t = text(files, path);
  if (t === undefined) return [];
  const r = yamlParser.parse(t, DEFAULT_LIMITS);
  return r.ok ? r.documents : [];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function kustomizationFileIn(files: Files, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILES) {
    const p = joinRel(dir, n);
    if (files.has(p)) return p;
  }
  return undefined;
}

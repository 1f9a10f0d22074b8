import { Ajv } from "ajv";
import { parseFile } from "../manifests/index.js";
import { mergeData } from "../policy/data.js";
import { CONFIG_PATH, CONFIG_SCHEMA, DEFAULT_CONFIG, type GateConfig } from "./schema.js";

export interface ConfigSource {
  /** `owner/repo@sha:path` of the file the config came from, or "defaults". */
  readonly description: string;
}

/** A config that could not be used: the check fails with this, at this line. */
export interface ConfigError {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: GateConfig; readonly sources: readonly string[] }
  | { readonly ok: false; readonly error: ConfigError };

/** Reads a file's text at the base ref; undefined when it does not exist. */
export type ConfigReader = (repo: { owner: string; repo: string }, path: string) => Promise<{ bytes: Uint8Array; ref: string; sha: string } | undefined>;

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(CONFIG_SCHEMA);

function toPath(instancePath: string): Array<string | number> {
  return instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Parses and validates one config file: a value, or an error with the line at fault. */
export function parseConfig(path: string, bytes: Uint8Array): { ok: true; raw: Record<string, unknown> } | { ok: false; error: ConfigError } {
  const parsed = parseFile({ path, bytes }, "yaml");
  if (!parsed.ok) return { ok: false, error: { path, line: parsed.error.line, message: `parse ${path}: ${parsed.error.message}` } };
  const doc = parsed.documents[0];
  if (!doc) return { ok: true, raw: {} };
  if (parsed.documents.length > 1) return { ok: false, error: { path, line: parsed.documents[1]?.line ?? 1, message: `${path} must hold one YAML document` } };
  if (!validate(doc.content)) {
    const first = validate.errors?.[0];
    const at = toPath(first?.instancePath ?? "");
    const extra = first?.keyword === "additionalProperties" ? ` (${String((first.params as { additionalProperty?: string }).additionalProperty)})` : "";
    return {
      ok: false,
      error: {
        path,
        line: doc.sourceMap.lineOf(first?.keyword === "additionalProperties" ? [...at, String((first.params as { additionalProperty?: string }).additionalProperty)] : at),
        message: `invalid ${path}: ${first?.instancePath || "the top level"} ${first?.message ?? "is invalid"}${extra}`,
      },
    };
  }
  return { ok: true, raw: doc.content as Record<string, unknown> };
}

function fromRaw(raw: Record<string, unknown>): GateConfig {
  const paths = (raw["paths"] ?? {}) as { include?: string[]; exclude?: string[] };
  return {
    paths: { include: paths.include ?? DEFAULT_CONFIG.paths.include, exclude: paths.exclude ?? DEFAULT_CONFIG.paths.exclude },
    formats: (raw["formats"] as Record<string, string> | undefined) ?? DEFAULT_CONFIG.formats,
    namespaces: (raw["namespaces"] as GateConfig["namespaces"] | undefined) ?? DEFAULT_CONFIG.namespaces,
    parameters: (raw["parameters"] as Record<string, unknown> | undefined) ?? DEFAULT_CONFIG.parameters,
    blockOn: (raw["block_on"] as GateConfig["blockOn"] | undefined) ?? DEFAULT_CONFIG.blockOn,
    drafts: (raw["drafts"] as boolean | undefined) ?? DEFAULT_CONFIG.drafts,
    comment: (raw["comment"] as GateConfig["comment"] | undefined) ?? DEFAULT_CONFIG.comment,
    environments: Object.fromEntries(
      Object.entries((raw["environments"] ?? {}) as Record<string, string[] | { paths: string[]; owners?: string[] }>).map(([name, v]) => [
        name,
        Array.isArray(v) ? { paths: v, owners: [] } : { paths: v.paths, owners: v.owners ?? [] },
      ]),
    ),
    release: {
      branches: ((raw["release"] as { branches?: string[] } | undefined)?.branches) ?? DEFAULT_CONFIG.release.branches,
      withoutManifests: ((raw["release"] as { without_manifests?: "short" | "none" } | undefined)?.without_manifests) ?? DEFAULT_CONFIG.release.withoutManifests,
      tags: ((raw["release"] as { tags?: boolean } | undefined)?.tags) ?? DEFAULT_CONFIG.release.tags,
    },
    rollback: { allowed: ((raw["rollback"] as { allowed?: string[] } | undefined)?.allowed) ?? DEFAULT_CONFIG.rollback.allowed },
  };
}

/**
 * The repository's config from its base branch, over the organisation's defaults when it
 * says `_extends: .github` (or `_extends: other-repo`), as other Probot apps do.
 */
export async function loadConfig(repo: { owner: string; repo: string }, read: ConfigReader): Promise<ConfigResult> {
  const own = await read(repo, CONFIG_PATH);
  if (!own) return { ok: true, config: DEFAULT_CONFIG, sources: ["defaults"] };
  const parsed = parseConfig(CONFIG_PATH, own.bytes);
  if (!parsed.ok) return parsed;
  // Provenance: repository, branch, path and the blob sha of the exact config read.
  const sources = [`${repo.owner}/${repo.repo}@${own.ref}:${CONFIG_PATH} (blob ${own.sha.slice(0, 12)})`];
  let raw = parsed.raw;
  const ext = raw["_extends"];
  if (typeof ext === "string") {
    const [owner, name] = ext.includes("/") ? (ext.split("/", 2) as [string, string]) : [repo.owner, ext];
    const base = await read({ owner, repo: name }, CONFIG_PATH);
    if (base) {
      const baseParsed = parseConfig(`${owner}/${name}:${CONFIG_PATH}`, base.bytes);
      if (!baseParsed.ok) return baseParsed;
      raw = mergeData(baseParsed.raw, raw);
      sources.unshift(`${owner}/${name}@${base.ref}:${CONFIG_PATH} (blob ${base.sha.slice(0, 12)})`);
    }
  }
  return { ok: true, config: fromRaw(raw), sources };
}

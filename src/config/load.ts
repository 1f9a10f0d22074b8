import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Value, ValueErrorType, type ValueError } from "@sinclair/typebox/value";
import { parseFile } from "../manifests/index.js";
import { mergeData } from "../policy/data.js";
import { CONFIG_PATH, ConfigSchema, type Config } from "./schema.js";

/** A config that could not be used: the check fails with this, at this line. */
export interface ConfigError {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export type ConfigResult =
  | {
      readonly ok: true;
      readonly config: Config;
      readonly sources: readonly string[];
      /**
       * Whether `repo:` policy sources may name other owners: only the organisation's own
       * `.github` repository can say so (`policies.allow_external`), never a repository
       * about itself.
       */
      readonly allowExternal: boolean;
    }
  | { readonly ok: false; readonly error: ConfigError };

/** Reads a file's text at the base ref; undefined when it does not exist. */
export type ConfigReader = (repo: { owner: string; repo: string }, path: string) => Promise<{ bytes: Uint8Array; ref: string; sha: string } | undefined>;

const checker = TypeCompiler.Compile(ConfigSchema);

/** `/paths/include/0` → `["paths", "include", 0]`. */
function toPath(pointer: string): Array<string | number> {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A validation error in words a config author acts on: what is wrong and what is allowed. */
function describe(error: ValueError): string {
  const options = (error.schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (options?.length && options.every((o) => o.const !== undefined)) {
    return `must be equal to one of the allowed values: ${options.map((o) => String(o.const)).join(", ")}`;
  }
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return `is not a known key`;
  return error.message.replace(/^Expected /, "must be ").replace(/^Unexpected property$/, "is not a known key");
}

/** The config with every default filled in: a copy, the input is left alone. */
export function withDefaults(raw: Record<string, unknown>): unknown {
  return Value.Default(ConfigSchema, Value.Clone(raw));
}

/** The built-in config, as a repository without `.github/gitops-gate.yml` gets it. */
export function defaultConfig(): Config {
  return withDefaults({}) as Config;
}

/**
 * Parses and validates one config file: its raw keys (for merging under `_extends`), or an
 * error at the line at fault. Validation runs on the file with defaults filled in, so an
 * omitted key is fine and a wrong one is reported where the user wrote it.
 */
export function parseConfig(path: string, bytes: Uint8Array): { ok: true; raw: Record<string, unknown> } | { ok: false; error: ConfigError } {
  const parsed = parseFile({ path, bytes }, "yaml");
  if (!parsed.ok) return { ok: false, error: { path, line: parsed.error.line, message: `parse ${path}: ${parsed.error.message}` } };
  const doc = parsed.documents[0];
  if (!doc) return { ok: true, raw: {} };
  if (parsed.documents.length > 1) return { ok: false, error: { path, line: parsed.documents[1]?.line ?? 1, message: `${path} must hold one YAML document` } };
  if (!doc.content || typeof doc.content !== "object" || Array.isArray(doc.content)) {
    return { ok: false, error: { path, line: doc.line, message: `invalid ${path}: the top level must be a mapping of keys` } };
  }
  const raw = doc.content as Record<string, unknown>;
  const first = checker.Errors(withDefaults(raw)).First();
  if (first) {
    const message = `invalid ${path}: ${first.path || "the top level"} ${describe(first)}`;
    return { ok: false, error: { path, line: doc.sourceMap.lineOf(toPath(first.path)), message } };
  }
  return { ok: true, raw };
}

/** Validated keys → the config, every default filled in. */
function decode(raw: Record<string, unknown>): Config {
  const value = withDefaults(raw);
  // parseConfig validated both halves; a merge of two valid configs is valid, but a
  // failure here must still be loud rather than a silent default.
  if (!checker.Check(value)) throw new Error(`load config: the merged config is invalid: ${checker.Errors(value).First()?.message ?? "unknown error"}`);
  return value;
}

/**
 * The repository's config from its base branch, over the organisation's defaults when it
 * says `_extends: .github` (or `_extends: other-repo`), as other Probot apps do.
 */
export async function loadConfig(repo: { owner: string; repo: string }, read: ConfigReader): Promise<ConfigResult> {
  const own = await read(repo, CONFIG_PATH);
  if (!own) return { ok: true, config: defaultConfig(), sources: ["defaults"], allowExternal: false };
  const parsed = parseConfig(CONFIG_PATH, own.bytes);
  if (!parsed.ok) return parsed;
  // Provenance: repository, branch, path and the blob sha of the exact config read.
  const sources = [`${repo.owner}/${repo.repo}@${own.ref}:${CONFIG_PATH} (blob ${own.sha.slice(0, 12)})`];
  let raw = parsed.raw;
  // The org's `.github` repository speaks for the organisation, about itself too.
  let allowExternal = repo.repo === ".github" && allowsExternal(raw);
  const ext = raw["_extends"];
  if (typeof ext === "string") {
    const [owner, name] = ext.includes("/") ? (ext.split("/", 2) as [string, string]) : [repo.owner, ext];
    const base = await read({ owner, repo: name }, CONFIG_PATH);
    if (base) {
      const baseParsed = parseConfig(`${owner}/${name}:${CONFIG_PATH}`, base.bytes);
      if (!baseParsed.ok) return baseParsed;
      raw = mergeData(baseParsed.raw, raw);
      if (owner === repo.owner && name === ".github") allowExternal = allowsExternal(baseParsed.raw);
      sources.unshift(`${owner}/${name}@${base.ref}:${CONFIG_PATH} (blob ${base.sha.slice(0, 12)})`);
    }
  }
  // The repository's own `policies.allow_external` is ignored: only the org's says so.
  return { ok: true, config: decode(raw), sources, allowExternal };
}

function allowsExternal(raw: Record<string, unknown>): boolean {
  const policies = raw["policies"];
  return typeof policies === "object" && policies !== null && (policies as Record<string, unknown>)["allow_external"] === true;
}

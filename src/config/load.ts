import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Value, ValueErrorType, type ValueError } from "@sinclair/typebox/value";
import { parseFile } from "../manifests/index.js";
import { mergeData } from "../policy/data.js";
import type { RepoRef } from "../github/types.js";
import { globProblem } from "./glob.js";
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

/** Where the glob-valued keys are, as JSON pointers into the config. */
function globsOf(raw: Record<string, unknown>): Array<{ pointer: string; glob: string }> {
  const out: Array<{ pointer: string; glob: string }> = [];
  const list = (pointer: string, v: unknown) => {
    if (Array.isArray(v)) v.forEach((g, i) => typeof g === "string" && out.push({ pointer: `${pointer}/${i}`, glob: g }));
  };
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");
  list("/paths/include", obj(raw["paths"])["include"]);
  list("/paths/exclude", obj(raw["paths"])["exclude"]);
  for (const k of Object.keys(obj(raw["formats"]))) out.push({ pointer: `/formats/${esc(k)}`, glob: k });
  for (const [name, e] of Object.entries(obj(raw["environments"]))) list(`/environments/${esc(name)}${Array.isArray(e) ? "" : "/paths"}`, Array.isArray(e) ? e : obj(e)["paths"]);
  return out;
}

/** A config file that parsed and validated: its keys, and the line of any of them. */
export interface ParsedConfig {
  readonly ok: true;
  readonly raw: Record<string, unknown>;
  readonly lineOf: (pointer: string) => number;
}

/**
 * Parses and validates one config file: its raw keys (for merging under `_extends`), or an
 * error at the line at fault. Validation runs on the file with defaults filled in, so an
 * omitted key is fine and a wrong one is reported where the user wrote it.
 */
export function parseConfig(path: string, bytes: Uint8Array): ParsedConfig | { ok: false; error: ConfigError } {
  const parsed = parseFile({ path, bytes }, "yaml");
  if (!parsed.ok) return { ok: false, error: { path, line: parsed.error.line, message: `parse ${path}: ${parsed.error.message}` } };
  const doc = parsed.documents[0];
  if (!doc) return { ok: true, raw: {}, lineOf: () => 1 };
  if (parsed.documents.length > 1) return { ok: false, error: { path, line: parsed.documents[1]?.line ?? 1, message: `${path} must hold one YAML document` } };
  if (!doc.content || typeof doc.content !== "object" || Array.isArray(doc.content)) {
    return { ok: false, error: { path, line: doc.line, message: `invalid ${path}: the top level must be a mapping of keys` } };
  }
  const raw = doc.content as Record<string, unknown>;
  const lineOf = (pointer: string) => doc.sourceMap.lineOf(toPath(pointer));
  const first = checker.Errors(withDefaults(raw)).First();
  if (first) {
    const message = `invalid ${path}: ${first.path || "the top level"} ${describe(first)}`;
    return { ok: false, error: { path, line: lineOf(first.path), message } };
  }
  // Globs are matched on every event: each must compile to the bounded matcher.
  for (const { pointer, glob } of globsOf(raw)) {
    const problem = globProblem(glob);
    if (problem) return { ok: false, error: { path, line: lineOf(pointer), message: `invalid ${path}: ${pointer} glob ${JSON.stringify(glob.slice(0, 80))} is refused: ${problem}` } };
  }
  return { ok: true, raw, lineOf };
}

/** Validated keys → the config, every default filled in. */
function decode(raw: Record<string, unknown>): Config {
  const value = withDefaults(raw);
  // parseConfig validated both halves; a merge of two valid configs is valid, but a
  // failure here must still be loud rather than a silent default.
  if (!checker.Check(value)) throw new Error(`load config: the merged config is invalid: ${checker.Errors(value).First()?.message ?? "unknown error"}`);
  return value;
}

/** `_extends` chains are followed this deep: the repository's config and five bases. */
export const MAX_EXTENDS_DEPTH = 5;

/** GitHub's rules: owners are 1-39 letters, digits or single inner hyphens; names 1-100 of letters, digits, `.`, `-`, `_`. */
const OWNER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

/** `.github`, `repo` or `owner/repo` → the repository, or why the value is not one. */
export function extendsTarget(value: unknown, account: string): RepoRef | { error: string } {
  if (typeof value !== "string") return { error: "must be a string: `.github`, `repo` or `owner/repo`" };
  const parts = value.split("/");
  const [owner, name] = parts.length === 1 ? [account, parts[0] as string] : (parts as [string, string]);
  if (parts.length > 2 || !OWNER_NAME.test(owner) || !REPO_NAME.test(name)) {
    return { error: `${JSON.stringify(value.slice(0, 120))} is not a repository name: use \`.github\`, \`repo\` or \`owner/repo\` (letters, digits, \`.\`, \`-\`, \`_\`; no \`..\`, at most one \`/\`)` };
  }
  return { owner, repo: name };
}

const sameRepo = (a: RepoRef, b: RepoRef) => a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();

/**
 * The repository's config from its base branch, over the configs it `_extends` (`.github`,
 * `repo` or `owner/repo`), as other Probot apps do. Bases are followed to
 * MAX_EXTENDS_DEPTH with cycle detection; only repositories of the same account (the
 * installation's) are read unless the organisation's own `.github` config says
 * `policies.allow_external: true`. Every config merged is named in `sources`.
 */
export async function loadConfig(repo: RepoRef, read: ConfigReader): Promise<ConfigResult> {
  const own = await read(repo, CONFIG_PATH);
  if (!own) return { ok: true, config: defaultConfig(), sources: ["defaults"], allowExternal: false };
  const parsed = parseConfig(CONFIG_PATH, own.bytes);
  if (!parsed.ok) return parsed;
  const orgRepo = { owner: repo.owner, repo: ".github" };
  // The org's `.github` config, as its own file says it (read at most once).
  let org: Promise<Record<string, unknown> | undefined> | undefined;
  const orgRaw = (): Promise<Record<string, unknown> | undefined> =>
    (org ??= sameRepo(repo, orgRepo)
      ? Promise.resolve(parsed.raw)
      : read(orgRepo, CONFIG_PATH).then((f) => {
          const p = f ? parseConfig(`${orgRepo.owner}/.github:${CONFIG_PATH}`, f.bytes) : undefined;
          return p?.ok ? p.raw : undefined;
        }));
  // Provenance: repository, branch, path and the blob sha of the exact config read.
  const describeSource = (r: RepoRef, f: { ref: string; sha: string }) => `${r.owner}/${r.repo}@${f.ref}:${CONFIG_PATH} (blob ${f.sha.slice(0, 12)})`;
  const chain: Array<{ repo: RepoRef; raw: Record<string, unknown>; source: string }> = [{ repo, raw: parsed.raw, source: describeSource(repo, own) }];
  let from = { path: CONFIG_PATH, config: parsed };
  while (from.config.raw["_extends"] !== undefined) {
    const at = (message: string): ConfigResult => ({ ok: false, error: { path: from.path, line: from.config.lineOf("/_extends"), message: `_extends in ${from.path}: ${message}` } });
    const target = extendsTarget(from.config.raw["_extends"], repo.owner);
    if ("error" in target) return at(target.error);
    const name = `${target.owner}/${target.repo}`;
    if (chain.some((c) => sameRepo(c.repo, target))) return at(`${name} is already in the chain (${chain.map((c) => `${c.repo.owner}/${c.repo.repo}`).join(" → ")} → ${name}): a cycle`);
    if (chain.length > MAX_EXTENDS_DEPTH) return at(`the chain ${chain.map((c) => `${c.repo.owner}/${c.repo.repo}`).join(" → ")} → ${name} is longer than ${MAX_EXTENDS_DEPTH} bases`);
    if (target.owner.toLowerCase() !== repo.owner.toLowerCase() && !allowsExternal(await orgRaw())) {
      return at(`${name} belongs to another owner than ${repo.owner}; configs are read only from ${repo.owner}'s repositories unless ${repo.owner}/.github's config sets policies.allow_external: true`);
    }
    const file = await read(target, CONFIG_PATH);
    if (!file) return at(`${name} has no ${CONFIG_PATH}, or the App cannot read it`);
    const path = `${name}:${CONFIG_PATH}`;
    const config = parseConfig(path, file.bytes);
    if (!config.ok) return config;
    chain.push({ repo: target, raw: config.raw, source: describeSource(target, file) });
    from = { path, config };
  }
  let raw: Record<string, unknown> = {};
  for (const c of [...chain].reverse()) raw = mergeData(raw, c.raw);
  // Only the org's `.github` repository speaks for the organisation, about itself too; a
  // repository's own `policies.allow_external` is ignored.
  const allowExternal = chain.some((c) => sameRepo(c.repo, orgRepo)) && allowsExternal(await orgRaw());
  return { ok: true, config: decode(raw), sources: chain.map((c) => c.source).reverse(), allowExternal };
}

function allowsExternal(raw: Record<string, unknown> | undefined): boolean {
  const policies = raw?.["policies"];
  return typeof policies === "object" && policies !== null && (policies as Record<string, unknown>)["allow_external"] === true;
}

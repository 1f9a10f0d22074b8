// Step "load policies": the built-in packs the config keeps, plus the organisation's own
// Rego from its sources (this repository at the base branch, other repositories at their
// ref), compiled once per content. A source that cannot be read or compiled fails the
// check closed with a message naming it; nothing is ever silently dropped.
import type { Config } from "../config/schema.js";
import type { Annotation, RepoRef, SourceReader } from "../github/types.js";
import { parseFile } from "../manifests/index.js";
import { PolicyCompileError, type CompiledBundle, type PolicyCompiler, type RegoProblem, type SourceFileBytes } from "../policy/compiler.js";
import { mergeData } from "../policy/data.js";
import type { EngineOptions } from "../policy/engine.js";
import { selectPacks, type PackName } from "../policy/packs.js";
import { bundleKey, sourceSpecs, type ResolvedSource, type SourceSpec } from "../policy/sources.js";
import type { PolicyProvenance, RuleMetadata } from "../policy/types.js";
import { CONTENT_CONCURRENCY } from "../limits.js";
import type { Logger } from "../log.js";
import { mapLimit } from "./map-limit.js";
import { code, codeBlock, text } from "../render/escape.js";
import { FileTooLargeError, PlainFailure } from "../github/failures.js";

export interface PolicySet {
  readonly bundles: ReadonlyArray<{ readonly bytes: Uint8Array; readonly engine: EngineOptions }>;
  readonly rules: readonly RuleMetadata[];
  readonly provenance: readonly PolicyProvenance[];
  /** Local sources (this repository's folders), for "takes effect after merge" notes and policy tests. */
  readonly localFolders: readonly string[];
}

export type PolicyLoad = ({ readonly ok: true } & PolicySet) | { readonly ok: false; readonly title: string; readonly summary: string; readonly annotations: readonly Annotation[] };

/** Built once per App: the compiler with its caches, and what git objects hold (immutable by id). */
export interface PolicyLibrary {
  readonly compiler: PolicyCompiler;
  /** The pinned OPA binary, for the tests of policy sources changed in a pull request. */
  readonly opa: () => Promise<string>;
  readonly opaVersion: string;
  /** Parsed data files by the key of their blob shas. */
  readonly data: Map<string, Record<string, unknown>>;
}

export interface BuiltinPolicies {
  readonly bytes: Uint8Array;
  readonly digest: string;
  readonly rules: readonly RuleMetadata[];
  readonly namespaces: readonly string[];
}

/** Limits on what one source may make the App download. */
const MAX_SOURCE_FILES = 2000;
const MAX_SOURCE_FILE_BYTES = 1024 * 1024;

function failure(title: string, lines: readonly string[], annotations: readonly Annotation[] = []): PolicyLoad {
  return { ok: false, title, summary: [`### ❌ ${title}`, "", ...lines, "", "Nothing was judged, so the check fails closed. Fix the source on its branch, then re-run the check."].join("\n"), annotations };
}

async function resolve(spec: SourceSpec, reader: SourceReader): Promise<ResolvedSource | string> {
  const commit = await reader.resolveCommit(spec.repo, spec.ref);
  if (!commit) return `policy source ${spec.label}: cannot read ${spec.repo.owner}/${spec.repo.repo}${spec.ref ? ` at ${spec.ref}` : ""} (no such repository or ref, or the installation has no access to it)`;
  const folder = await reader.entry(spec.repo, commit, spec.path);
  if (folder?.type !== "tree") return `policy source ${spec.label}: no folder ${spec.path || "(root)"} at ${commit.slice(0, 12)}`;
  const dataShas: string[] = [];
  for (const d of spec.data) {
    const entry = await reader.entry(spec.repo, commit, d);
    if (!entry) return `policy source ${spec.label}: no data file or folder ${d} at ${commit.slice(0, 12)}`;
    dataShas.push(entry.sha);
  }
  return { ...spec, commit, treeSha: folder.sha, dataShas };
}

async function download(repo: RepoRef, files: ReadonlyArray<{ path: string; sha: string; size: number }>, reader: SourceReader, label: string): Promise<SourceFileBytes[]> {
  if (files.length > MAX_SOURCE_FILES) throw new PlainFailure(`policy source ${label}: ${files.length} files, over the limit of ${MAX_SOURCE_FILES}`, "Point the source at a smaller folder (`path:`).");
  return mapLimit(files, CONTENT_CONCURRENCY, async (f) => {
    // The size from the tree listing: a file over the limit is never downloaded.
    if (f.size > MAX_SOURCE_FILE_BYTES) throw new FileTooLargeError(`${label}: ${f.path}`, f.size, MAX_SOURCE_FILE_BYTES, "a policy source file");
    const blob = await reader.readBlob(repo, f.sha, MAX_SOURCE_FILE_BYTES);
    if ("tooLarge" in blob) throw new FileTooLargeError(`${label}: ${f.path}`, blob.tooLarge, MAX_SOURCE_FILE_BYTES, "a policy source file");
    return { path: f.path, bytes: blob.bytes };
  });
}

/**
 * What a source compiles: `.rego` files except tests (which `opa build` leaves out too),
 * and YAML/JSON that may hold Gatekeeper ConstraintTemplates (only those are read from them).
 */
async function regoFiles(source: ResolvedSource, reader: SourceReader): Promise<SourceFileBytes[]> {
  const folder = await reader.entry(source.repo, source.commit, source.path);
  const files = folder?.type === "tree" ? folder.files.filter((f) => (f.path.endsWith(".rego") && !f.path.endsWith("_test.rego")) || /\.(ya?ml|json)$/i.test(f.path)) : [];
  return download(source.repo, files, reader, source.label);
}

/** A source's `data:` files (YAML/JSON), merged in order into one object, as conftest --data does. */
async function sourceData(source: ResolvedSource, reader: SourceReader, library: PolicyLibrary): Promise<Record<string, unknown>> {
  if (source.data.length === 0) return {};
  const key = `${source.repo.owner}/${source.repo.repo}:${source.dataShas.join(",")}`;
  const cached = library.data.get(key);
  if (cached) return cached;
  let merged: Record<string, unknown> = {};
  for (const d of source.data) {
    const entry = await reader.entry(source.repo, source.commit, d);
    const listed = entry?.type === "tree" ? entry.files.map((f) => ({ ...f, path: `${d}/${f.path}` })) : entry ? [{ path: d, sha: entry.sha, size: entry.size }] : [];
    const files = listed.filter((f) => /\.(ya?ml|json)$/i.test(f.path)).sort((a, b) => a.path.localeCompare(b.path));
    for (const f of await download(source.repo, files, reader, source.label)) {
      const parsed = parseFile({ path: f.path, bytes: f.bytes }, f.path.toLowerCase().endsWith(".json") ? "json" : "yaml");
      if (!parsed.ok) throw new PlainFailure(`policy source ${source.label}: data file ${f.path} line ${parsed.error.line}: ${parsed.error.message}`, "Fix the data file on the source's branch, then re-run.");
      for (const doc of parsed.documents) merged = mergeData(merged, doc.content);
    }
  }
  library.data.set(key, merged);
  return merged;
}

/** Where a Rego problem is annotated: the file in this repository, when it is here. */
function problemAnnotations(problems: readonly RegoProblem[], group: readonly ResolvedSource[], judged: RepoRef): { annotations: Annotation[]; lines: string[] } {
  const annotations: Annotation[] = [];
  const lines: string[] = [];
  for (const p of problems) {
    const source = group[p.source];
    const path = source ? [source.path, p.path].filter(Boolean).join("/") : p.path;
    lines.push(`- ${code(`${source ? `${source.repo.owner}/${source.repo.repo}@${source.commit.slice(0, 12)}:` : ""}${path}:${p.line}`)}: ${text(p.message, 2000)}`);
    if (source?.repo.owner === judged.owner && source.repo.repo === judged.repo) {
      annotations.push({ path, start_line: p.line, end_line: p.line, annotation_level: "failure", title: "Policy does not compile", message: p.message });
    }
  }
  return { annotations, lines };
}

export async function loadPolicies(
  params: { config: Pick<Config, "policies" | "namespaces" | "parameters">; judged: RepoRef; baseRef: string; allowExternal: boolean; builtin: BuiltinPolicies; toolVersion: string },
  deps: { reader: SourceReader; library: PolicyLibrary; log?: Pick<Logger, "info"> },
): Promise<PolicyLoad> {
  const { config } = params;
  const specs = sourceSpecs(config.policies.sources, params.judged, params.baseRef, params.allowExternal);
  if (!specs.ok) return failure("A policy source is not allowed", [text(specs.error)]);
  const resolved: ResolvedSource[] = [];
  for (const spec of specs.specs) {
    const r = await resolve(spec, deps.reader);
    if (typeof r === "string") return failure("A policy source cannot be read", [text(r)]);
    resolved.push(r);
  }

  // One bundle per Rego version: sources of one version may import each other's packages.
  const compiled: Array<{ group: ResolvedSource[]; bundle: CompiledBundle }> = [];
  for (const version of ["v1", "v0"] as const) {
    const group = resolved.filter((s) => s.regoVersion === version);
    if (group.length === 0) continue;
    try {
      const started = Date.now();
      const key = bundleKey(group, deps.library.opaVersion);
      const bundle = await deps.library.compiler.get(key, async () => ({
        regoVersion: version,
        sources: await Promise.all(group.map(async (s) => ({ label: s.label, files: await regoFiles(s, deps.reader) }))),
      }));
      compiled.push({ group, bundle });
      deps.log?.info({ policyBundle: key.slice(0, 16), from: bundle.from, sources: group.map((s) => s.label), digest: bundle.digest, ms: Date.now() - started }, "policy bundle ready");
    } catch (e) {
      if (!(e instanceof PolicyCompileError)) throw e;
      const { annotations, lines } = problemAnnotations(e.problems, group, params.judged);
      return failure("A policy source does not compile", lines.length ? lines : [codeBlock(e.message)], annotations);
    }
  }

  // Namespaces: the built-in packs the config keeps, every package of the sources; a
  // list in `namespaces` narrows both and must name packages that exist.
  const wanted = config.namespaces === "all" ? undefined : new Set(config.namespaces);
  const pick = (available: readonly string[]) => (wanted ? available.filter((n) => wanted.has(n)) : [...available]);
  const builtinNs = pick(selectPacks(params.builtin.namespaces, config.policies.builtin as "all" | "none" | PackName[]));
  const known = new Set([...params.builtin.namespaces, ...compiled.flatMap((c) => Object.keys(c.bundle.metadata.namespaces))]);
  const missing = [...(wanted ?? [])].filter((n) => !known.has(n));
  if (missing.length) return failure("The config names policy packages that do not exist", [`\`namespaces\` lists ${missing.map((n) => code(n, { max: 100 })).join(", ")}, found in no built-in pack and no policy source.`]);

  const parameters = { ...config.parameters };
  const bundles: Array<{ bytes: Uint8Array; engine: EngineOptions }> = [];
  const rules: RuleMetadata[] = [];
  const provenance: PolicyProvenance[] = [];
  if (builtinNs.length) {
    bundles.push({ bytes: params.builtin.bytes, engine: { namespaces: builtinNs, data: parameters } });
    rules.push(...params.builtin.rules.filter((r) => builtinNs.includes(r.namespace)));
  }
  const packs = config.policies.builtin === "all" ? ["all"] : config.policies.builtin === "none" ? [] : [...config.policies.builtin];
  provenance.push({ name: "built-in packs", version: params.toolVersion, packs, digest: params.builtin.digest });
  for (const { group, bundle } of compiled) {
    const namespaces = pick(Object.keys(bundle.metadata.namespaces));
    let data: Record<string, unknown> = {};
    for (const s of group) data = mergeData(data, await sourceData(s, deps.reader, deps.library));
    if (namespaces.length) {
      bundles.push({ bytes: bundle.bytes, engine: { namespaces, data: mergeData(data, parameters) } });
      rules.push(...Object.values(bundle.metadata.rules).filter((r) => namespaces.includes(r.namespace)));
    }
    for (const s of group) {
      provenance.push({ name: s.label, repo: `${s.repo.owner}/${s.repo.repo}`, ref: s.ref ?? "default branch", commit: s.commit, path: s.path, digest: bundle.digest });
    }
  }
  const localFolders = resolved.filter((s) => s.local).map((s) => s.path);
  return { ok: true, bundles, rules, provenance, localFolders };
}

import { availableParallelism } from "node:os";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { compileGlob, globMatcher } from "../config/glob.js";
import type { Config } from "../config/schema.js";
import type { FileToEvaluate } from "../evaluation/evaluate-file.js";
import { parseErrorReport, type FileReport } from "../evaluation/report.js";
import { decideVerdict, type BlockOn, type Verdict } from "../evaluation/verdict.js";
import { WorkerPool } from "../evaluation/worker-pool.js";
import { HydrateEngine } from "../hydrate/engine.js";
import type { RenderedRoot } from "../pipeline/evaluate-change.js";
import type { Logger } from "../log.js";
import { parseFile } from "../manifests/index.js";
import { readBundle } from "../policy/bundle.js";
import { findOpa, pinnedOpaVersion } from "../policy/build/opa.js";
import { defaultCacheDir, PolicyCompiler } from "../policy/compiler.js";
import { mergeData } from "../policy/data.js";
import type { EngineOptions } from "../policy/engine.js";
import type { PolicyProvenance, RuleMetadata } from "../policy/types.js";
import { loadPolicies } from "../pipeline/load-policies.js";
import { linkErrorReport, throughLinkReport } from "../pipeline/judged-files.js";
import { mapLimit } from "../pipeline/map-limit.js";
import { outputter } from "../render/index.js";
import { packageVersion } from "../paths.js";
import { discover, protoFilesIn, readAllStdin, readFile } from "./discover.js";
import { gatekeeperNeeds, withGatekeeper } from "../policy/gatekeeper/bundles.js";
import { cliGatekeeperContext } from "./gatekeeper.js";
import { filterNamespaces, hasWildcard } from "./namespace-glob.js";
import { builtinPolicySource, loadPolicySource } from "./policy-source.js";
import { planCliRenders, renderAll } from "./render.js";
import { evaluateRevision, gitRoot, openRevision, workingTreeWaivers } from "./base.js";
import { nonWaivableRules } from "../waivers/apply.js";
import { loadRepoContext, type RepoContext } from "./repo-config.js";

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly policy: readonly string[];
  readonly namespaces: readonly string[];
  readonly allNamespaces: boolean;
  readonly data: readonly string[];
  readonly combine: boolean;
  readonly failOnWarn: boolean;
  readonly output: string;
  readonly parser?: string;
  readonly regoVersion: "v0" | "v1";
  readonly timeoutMs?: number;
  /** The App's config to follow; default `.github/gitops-gate.yml` of the repository, if any. */
  readonly config?: string;
  /** Ignore any config: conftest's behaviour. */
  readonly noConfig?: boolean;
  /** `auto` (default): render the charts and overlays the checked files feed, judge their objects. */
  readonly render?: "auto" | "none";
  /** conftest's --proto-file-dirs: folders of .proto files for textproto messages. */
  readonly protoFileDirs?: readonly string[];
  /** conftest's --no-fail: exit 0 even when a policy denies (errors still exit 2). */
  readonly noFail?: boolean;
  /** conftest's --strict: OPA's strict compiler checks on the --policy Rego. */
  readonly strict?: boolean;
  /** conftest's --capabilities: only the builtins this capabilities.json declares. */
  readonly capabilities?: string;
  /** conftest's --show-builtin-errors: a builtin error fails the file. */
  readonly showBuiltinErrors?: boolean;
  /** conftest's --ignore: a Go regular expression; matching paths are skipped. */
  readonly ignore?: string;
  /** conftest's --quiet: print nothing when nothing fails. */
  readonly quiet?: boolean;
  /** conftest's --suppress-exceptions: no exception lines in the text output. */
  readonly suppressExceptions?: boolean;
  /** conftest's --stdin-filename: the name stdin's results carry. */
  readonly stdinFilename?: string;
  /** A git revision of the working repository to compare with: its findings are pre-existing. */
  readonly base?: string;
  /** With `base`: only new findings block (the default when a followed config says `verdict: new`). */
  readonly newOnly?: boolean;
}

export interface CheckIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly stderrIsTty: boolean;
  /** Diagnostics (JSON lines); the report itself goes to stdout. */
  readonly log?: Logger;
}

/** The policies of one run: bundles to evaluate, the rules they hold, where they came from. */
interface Policies {
  readonly bundles: ReadonlyArray<{ readonly bytes: Uint8Array; readonly engine: EngineOptions }>;
  readonly rules: readonly RuleMetadata[];
  readonly provenance: readonly PolicyProvenance[];
  readonly blockOn: BlockOn;
  readonly config?: Config;
  readonly root?: string;
}

/** Exit codes: 0 nothing blocks, 1 a deny (or a warn with --fail-on-warn), 2 a file could not be judged. */
export function exitCode(verdict: Verdict): number {
  if (verdict.hasErrors) return 2;
  return verdict.conclusion === "failure" ? 1 : 0;
}

async function loadData(paths: readonly string[]): Promise<Record<string, unknown>> {
  let data: Record<string, unknown> = {};
  const files = await discover(paths);
  for (const f of files) {
    if (!f.format) throw new Error(`read ${f.path}: ${UNKNOWN_TYPE}`);
    const parsed = parseFile({ path: f.path, bytes: await readFile(f.path) }, f.format);
    if (!parsed.ok) throw new Error(`load data ${f.path}: line ${parsed.error.line}: ${parsed.error.message}`);
    for (const doc of parsed.documents) data = mergeData(data, doc.content);
  }
  return data;
}

const UNKNOWN_TYPE = "unknown file type; name the format with --parser";

function displayPath(p: string): string {
  return isAbsolute(p) ? p : relative(".", p) || p;
}

/**
 * The namespaces conftest evaluates: every one with --all-namespaces, those matching the
 * globs when a --namespace has `*?[`, else the names given (default `main`). A name the
 * policies do not have evaluates nothing, as in conftest: a warning, not a failure.
 */
export function selectNamespaces(known: readonly string[], options: Pick<CheckOptions, "namespaces" | "allNamespaces">, warn: (s: string) => void): string[] | "all" {
  if (options.allNamespaces) return "all";
  if (hasWildcard(options.namespaces)) return filterNamespaces(known, options.namespaces);
  const wanted = options.namespaces.length > 0 ? [...new Set(options.namespaces)] : ["main"];
  for (const ns of wanted.filter((n) => !known.includes(n))) {
    warn(`gitops-gate: warning: no policies in namespace ${JSON.stringify(ns)}, so nothing is evaluated in it (the policies have: ${known.join(", ") || "none"})\n`);
  }
  return wanted.filter((n) => known.includes(n));
}

/** conftest's way: `--policy` folders or bundles (default the built-in packs), `--namespace`, `--data`. */
async function flagPolicies(options: CheckOptions, data: Record<string, unknown>, io: CheckIo): Promise<Policies> {
  const source = await loadPolicySource(options.policy, options.regoVersion, {
    ...(options.strict ? { strict: true } : {}),
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    // Opting in to builtin errors (or declaring capabilities) lets policies that name
    // http.send & co. compile, as for conftest; each call then fails its file.
    ...(options.showBuiltinErrors || options.capabilities ? { declareUnavailable: true } : {}),
  });
  const bundle = readBundle(source.bytes);
  const known = Object.keys(bundle.metadata.namespaces);
  // conftest compatibility: user policy folders default to namespace `main`; the
  // built-in packs spread over many namespaces and run whole.
  const namespaces = source.builtin && options.namespaces.length === 0 && !options.allNamespaces ? "all" : selectNamespaces(known, options, io.stderr);
  const selected = namespaces === "all" ? known : namespaces;
  return {
    bundles: [{ bytes: source.bytes, engine: { namespaces, data, ...(options.showBuiltinErrors ? { showBuiltinErrors: true } : {}) } }],
    rules: Object.values(bundle.metadata.rules).filter((r) => selected.includes(r.namespace)),
    provenance: [{ name: source.builtin ? "built-in packs" : options.policy.join(", "), digest: bundle.digest, ...(source.builtin ? { version: packageVersion() } : {}) }],
    blockOn: options.failOnWarn ? ["deny", "warn"] : ["deny"],
  };
}

/** The App's way: the repository's config, its policy sources, its parameters and block_on. */
async function configPolicies(ctx: RepoContext, options: CheckOptions, data: Record<string, unknown>): Promise<Policies> {
  const base = ctx.config.config;
  const namespaces = options.allNamespaces ? "all" : options.namespaces.length ? [...options.namespaces] : base.namespaces;
  const config: Config = { ...base, namespaces, parameters: mergeData(base.parameters, data) };
  const builtinBytes = await builtinPolicySource();
  const builtin = readBundle(builtinBytes, "built-in");
  const library = { compiler: new PolicyCompiler(findOpa, `${defaultCacheDir()}/bundles`), opa: findOpa, opaVersion: pinnedOpaVersion(), data: new Map() };
  const loaded = await loadPolicies(
    {
      config, judged: ctx.repo, baseRef: "working tree", allowExternal: ctx.config.allowExternal, toolVersion: packageVersion(),
      builtin: { bytes: builtinBytes, digest: builtin.digest, rules: Object.values(builtin.metadata.rules), namespaces: Object.keys(builtin.metadata.namespaces) },
    },
    { reader: ctx.reader, library },
  );
  if (!loaded.ok) throw new Error(`load policies: ${loaded.title}\n${loaded.summary.replace(/^### ❌ .*\n\n/, "")}`);
  const blockOn: BlockOn = options.failOnWarn && !config.block_on.includes("warn") ? [...config.block_on, "warn"] : config.block_on;
  return { bundles: loaded.bundles, rules: loaded.rules, provenance: loaded.provenance, blockOn, config, root: ctx.root };
}

/**
 * The config's `paths.exclude` and `formats` (globs relative to the repository root) over
 * the files found; `formats` renames the format of files found by their names.
 */
function applyConfigPaths<T extends { path: string; format: string }>(found: readonly T[], config: Config, root: string): T[] {
  const exclude = globMatcher(config.paths.exclude);
  const overrides = Object.entries(config.formats).map(([glob, format]) => [compileGlob(glob), format] as const);
  return found.flatMap((f) => {
    const rel = relative(root, resolve(f.path)).split(sep).join("/");
    if (exclude(rel)) return [];
    return [{ ...f, format: overrides.find(([match]) => match(rel))?.[1] ?? f.format }];
  });
}

export async function runCheck(options: CheckOptions, io: CheckIo): Promise<number> {
  const render = outputter(options.output);
  const started = Date.now();
  const data = await loadData(options.data);
  // The App's config applies unless policies are named on the command line or it is turned off.
  const ctx = options.noConfig || options.policy.length > 0 ? undefined : await loadRepoContext(options.config);
  if (ctx && (options.strict || options.capabilities)) throw new Error("check: --strict and --capabilities apply to --policy folders; the App's config is followed here (add --no-config, or name --policy)");
  let policies = ctx ? await configPolicies(ctx, options, data) : await flagPolicies(options, data, io);
  io.log?.debug({ policies: policies.provenance, config: ctx?.config.sources, ms: Date.now() - started }, "policies loaded");

  const stdin = options.paths.includes("-");
  const discovered = await discover(options.paths.filter((p) => p !== "-"), options.parser, options.ignore);
  // A file of an unknown type named on the command line is an error for that file alone;
  // the other files are still judged and reported (as conftest reports each file).
  const unknown = discovered.filter((f) => !f.format).map((f) => parseErrorReport(displayPath(f.path), "unknown", { reason: "unknown-format", line: 1, message: UNKNOWN_TYPE }));
  let found = discovered.flatMap((f) => (f.format ? [{ ...f, format: f.format }] : []));
  if (policies.config && policies.root) found = applyConfigPaths(found, policies.config, policies.root);
  // Links that leave the repository, are broken or loop are errors; the others are judged
  // as the file they lead to, under their own path (as the App does).
  const linkReports = found.flatMap((f) => (f.linkError ? [linkErrorReport(displayPath(f.path), f.format, f.linkError)] : []));
  found = found.filter((f) => !f.linkError);
  const via = new Map(found.flatMap((f) => (f.via ? [[displayPath(f.path), displayPath(f.via)] as const] : [])));
  // Charts and overlays the files feed are rendered; their inputs are judged through them.
  const renderConfig = policies.config?.render;
  const renders =
    options.render !== "none" && !options.combine && renderConfig?.enabled !== false
      ? await planCliRenders(found.map((f) => f.path), {
          ...(renderConfig ? { kubeVersion: renderConfig.kube_version, apiVersions: renderConfig.api_versions, roots: renderConfig.roots } : {}),
          ...(policies.root ? { root: policies.root } : {}),
        })
      : undefined;
  const checked = found;
  if (renders) found = found.filter((f) => !renders.rendered.has(resolve(f.path)));
  // Files are read when their turn comes, not all up front.
  const files: Array<() => Promise<FileToEvaluate>> = found.flatMap((f) =>
    f.format ? [async () => ({ path: displayPath(f.path), format: f.format as string, dir: resolve(dirname(f.path)), bytes: await readFile(f.via ?? f.path) })] : [],
  );
  const stdinName = options.stdinFilename ?? "-";
  if (stdin) {
    const bytes = await readAllStdin();
    files.unshift(async () => ({ path: stdinName, format: options.parser ?? "yaml", dir: process.cwd(), bytes }));
  }

  // Gatekeeper templates see the repository: its objects as data.inventory, its Constraints.
  const gatekeeper = gatekeeperNeeds(policies.bundles);
  if (gatekeeper.any) {
    const scanned = await cliGatekeeperContext(found.length ? found.map((f) => f.path) : ["."], gatekeeper.kinds, policies.root);
    policies = { ...policies, bundles: withGatekeeper(policies.bundles, scanned.context) };
    io.log?.debug({ root: scanned.root, objects: scanned.context.objects, constraints: scanned.context.constraints.length, notes: scanned.notes }, "gatekeeper inventory");
  }

  // --base: the same files at a revision, judged the same way.
  const anchor = policies.root ?? (checked[0] ? dirname(resolve(checked[0].path)) : process.cwd());
  const revision = options.base ? await openRevision(await gitRoot(anchor), options.base) : undefined;
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(files.length / 20)));
  io.log?.debug({ files: files.length, workers }, "evaluating");
  const protoFiles = await protoFilesIn(options.protoFileDirs ?? []);
  const pool = await WorkerPool.start({ workers, protoFiles, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(renders ? { hydrate: await HydrateEngine.compile() } : {}) });
  const set = pool.policySet(policies.bundles);
  let reports: FileReport[];
  const rendered: RenderedRoot[] = [];
  let base: { reports: FileReport[]; renames: Map<string, string> } | undefined;
  try {
    if (options.combine) {
      reports = await pool.evaluateCombined(await Promise.all(files.map((load) => load())), set, process.cwd());
    } else {
      // A few files in flight per worker: enough to keep workers busy, while a large
      // tree is never read into memory all at once.
      const progress = io.stderrIsTty && files.length >= 200;
      let done = 0;
      let last = 0;
      reports = await mapLimit(files, workers * 4, async (load) => {
        const report = await pool.evaluateFile(await load(), set);
        done++;
        if (progress && (Date.now() - last > 100 || done === files.length)) {
          last = Date.now();
          io.stderr(`\rchecked ${done}/${files.length} files${done === files.length ? "\n" : ""}`);
        }
        return report;
      });
      if (renders) reports.push(...(await renderAll(renders, pool, set, rendered)));
    }
    if (revision) {
      const renderOptions = renders && renderConfig ? { enabled: true, kubeVersion: renderConfig.kube_version, apiVersions: renderConfig.api_versions, roots: renderConfig.roots } : renders ? { enabled: true } : undefined;
      base = await evaluateRevision(revision, checked, { displayPath, render: renderOptions }, { pool, set });
    }
  } finally {
    await pool.close();
  }
  // In the order the files were named and found (stdin first, renders and a combined report last).
  const order = new Map(discovered.map((f, i) => [displayPath(f.path), i]));
  const rank = (r: FileReport): number => (r.path === stdinName && stdin ? -1 : (order.get(r.path) ?? discovered.length));
  reports = reports.map((r) => throughLinkReport(r, { path: r.path, ...(via.has(r.path) ? { via: via.get(r.path) as string } : {}) }));
  reports = [...unknown, ...linkReports, ...reports].sort((a, b) => rank(a) - rank(b));
  // conftest's rule without a config: a deny fails, a warning only with --fail-on-warn; errors always.
  const config = policies.config;
  const waivers = config && policies.root ? await workingTreeWaivers(policies.root, config, revision, new Date()) : undefined;
  const verdict = decideVerdict(reports, policies.blockOn, {
    ...(base ? { base, mode: options.newOnly ? "new" : (config?.verdict ?? "all") } : {}),
    never: nonWaivableRules(policies.rules, config?.waivers.never ?? []),
    ...(waivers ? { waivers } : {}),
  });
  io.log?.info({ ...verdict.counts, conclusion: verdict.conclusion, ms: Date.now() - started }, "check finished");
  const digest = policies.provenance.length === 1 ? policies.provenance[0]?.digest : undefined;
  const code = exitCode(verdict);
  // conftest's --quiet: nothing to say when nothing fails.
  if (!options.quiet || code !== 0) {
    io.stdout(
      render({
        verdict, toolVersion: packageVersion(), ...(digest ? { bundleDigest: digest } : {}), policies: policies.provenance, rules: policies.rules, renders: rendered,
        ...(options.suppressExceptions ? { suppressExceptions: true } : {}),
      }),
    );
  }
  return code === 1 && options.noFail ? 0 : code;
}

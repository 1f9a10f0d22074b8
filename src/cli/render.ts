// Rendering for `gitops-gate check` (--render auto): the charts and overlays whose inputs
// the checked files are, rendered from the working tree (bases may live outside the
// folder checked, so the whole repository around it is readable), judged like the App.
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { FileReport } from "../evaluation/report.js";
import type { PolicySet, WorkerPool } from "../evaluation/worker-pool.js";
import { planRenders, repositoryMatcher, type RenderOptions, type RenderTarget } from "../hydrate/plan.js";
import type { RenderedRoot } from "../pipeline/evaluate-change.js";
import { IGNORED_DIRS } from "./discover.js";
import { resolveFsLink } from "./links.js";
import { findRepoRoot, originRepo } from "./repo-config.js";
import { renderInput } from "../hydrate/content.js";

/** Bounds on what is read from the working tree for discovery and renders. */
const MAX_FILES = 20_000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface CliRenders {
  /** The folder paths are relative to: the repository around the checked paths. */
  readonly root: string;
  readonly targets: readonly RenderTarget[];
  /** Absolute paths of checked files that are render inputs (not judged alone). */
  readonly rendered: ReadonlySet<string>;
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly notes: readonly string[];
}


/**
 * Every readable file below `root`, by repository path. Links inside the repository read as
 * what they lead to (as Helm and Kustomize on a checkout, and the App); links that leave
 * it, are broken or loop are never followed.
 */
async function readTree(root: string, notes: string[]): Promise<Map<string, string | Uint8Array>> {
  const out = new Map<string, string | Uint8Array>();
  const file = async (abs: string, rel: string) => {
    const s = await stat(abs);
    if (s.size <= MAX_FILE_BYTES) out.set(rel, renderInput(abs, await readFile(abs)));
  };
  // `dir` is where the files are, `rel` the repository path they are read under.
  const walk = async (dir: string, rel: string, seen: ReadonlySet<string>): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    const inside = new Set([...seen, real]);
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.size >= MAX_FILES) return;
      const p = join(dir, e.name);
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name)) await walk(p, name, inside);
      } else if (e.isFile()) await file(p, name);
      else if (e.isSymbolicLink()) {
        const r = await resolveFsLink(root, p);
        if (r.ok && r.kind === "file") await file(r.abs, name);
        else if (r.ok) await walk(r.abs, name, inside);
      }
    }
  };
  await walk(root, "", new Set());
  if (out.size >= MAX_FILES) notes.push(`read the first ${MAX_FILES} files of ${root} to find render roots`);
  return out;
}

/** The deepest folder that holds every path. */
function commonFolder(paths: readonly string[]): string {
  let folder = dirname(paths[0] as string);
  while (!paths.every((p) => p.startsWith(folder + sep)) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/**
 * The repository around the checked paths: the folder holding `.git`; outside a
 * repository, the working directory when the files are below it (bases live beside
 * overlays, not inside them), else the folder all checked files share.
 */
export function checkedRoot(checked: readonly string[]): string {
  const first = resolve(checked[0] as string);
  const cwd = process.cwd();
  const all = checked.map((c) => resolve(c));
  return findRepoRoot(dirname(first)) ?? (all.every((p) => p.startsWith(cwd + sep)) ? cwd : commonFolder(all));
}

/**
 * The renders the checked files are inputs of; undefined when there are none. `files` (by
 * repository path) stands in for the working tree: a git revision's files, for --base.
 */
export async function planCliRenders(checked: readonly string[], options: RenderOptions & { root?: string; files?: ReadonlyMap<string, string | Uint8Array> }): Promise<CliRenders | undefined> {
  if (checked.length === 0) return undefined;
  const root = options.root ?? checkedRoot(checked);
  const notes: string[] = [];
  const files = options.files ?? (await readTree(root, notes));
  const rel = new Map(checked.map((c) => [relative(root, resolve(c)).split(sep).join("/"), resolve(c)]));
  // Argo CD and Flux sources count as this repository's when their URL names the `origin`
  // remote, as the App checks them against the judged repository; without a remote, any
  // source whose path is a chart here counts.
  const origin = options.isThisRepo ? undefined : await originRepo(root);
  const isThisRepo = options.isThisRepo ?? (origin && origin.owner !== "local" ? repositoryMatcher(origin.owner, origin.repo) : undefined);
  const plan = planRenders(files, [...rel.keys()].filter((p) => !p.startsWith("..")), { ...options, ...(isThisRepo ? { isThisRepo } : {}) });
  if (plan.targets.length === 0) return undefined;
  const rendered = new Set([...plan.rendered].map((p) => rel.get(p) ?? join(root, p)));
  const needed = new Set(plan.targets.flatMap((t) => t.inputs));
  return { root, targets: plan.targets, rendered, files: new Map([...files].filter(([p]) => needed.has(p))), notes };
}

/** Renders each root on the pool; findings point at files relative to the working directory. */
export async function renderAll(renders: CliRenders, pool: WorkerPool, set: PolicySet, summary: RenderedRoot[]): Promise<FileReport[]> {
  const out = await Promise.all(
    renders.targets.map(async (t) => {
      const files = Object.fromEntries(t.inputs.flatMap((p) => (renders.files.has(p) ? [[p, renders.files.get(p) as string | Uint8Array]] : [])));
      const outcome = await pool.render(t, files, set);
      const failed = outcome.reports.some((r) => r.status === "error");
      summary.push({ label: t.label, kind: t.kind, objects: outcome.render?.objects ?? 0, ms: outcome.render?.ms ?? 0, cached: false, failed, ...(t.environment ? { environment: t.environment } : {}) });
      const local = (p: string) => join(renders.root, p);
      return outcome.reports.map((r) => ({ ...r, path: local(t.root), findings: r.findings.map((f) => ({ ...f, file: local(f.file) })), waived: r.waived.map((w) => ({ ...w, file: local(w.file), findings: w.findings.map((f) => ({ ...f, file: local(f.file) })) })) }));
    }),
  );
  summary.sort((a, b) => a.label.localeCompare(b.label));
  return out.flat();
}

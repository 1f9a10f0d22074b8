// `gitops-gate check --base REF`: the checked files as they are at a git revision of the
// working repository, judged the same way (same policies, the same render roots, from the
// revision's files), so the verdict can tell new findings from pre-existing ones. Files are
// read with git itself (`ls-tree`, `cat-file --batch`); nothing is checked out, and the
// repository is not touched.
import { execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { Config } from "../config/schema.js";
import type { FileReport } from "../evaluation/report.js";
import type { PolicySet, WorkerPool } from "../evaluation/worker-pool.js";
import type { RenderOptions } from "../hydrate/plan.js";
import { mapLimit } from "../pipeline/map-limit.js";
import type { WaiverSet } from "../waivers/apply.js";
import { parseWaivers } from "../waivers/parse.js";
import { planCliRenders, renderAll, type CliRenders } from "./render.js";
import { renderInput } from "../hydrate/content.js";

const run = promisify(execFile);
/** Files larger than this are left out of the revision's tree (the check refuses them anyway). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message?: string; code?: string };
    if (err.code === "ENOENT") throw new Error("--base: git is not installed (or not on PATH)", { cause: e });
    throw new Error(`--base: git ${args[0]}: ${(err.stderr || err.message || String(e)).trim()}`, { cause: e });
  }
}

/** The repository around `from`, as git sees it. */
export async function gitRoot(from: string): Promise<string> {
  return (await git(from, ["rev-parse", "--show-toplevel"]).catch((e: Error) => {
    throw new Error(`--base compares with a git revision: ${resolve(from)} is not in a git repository (${e.message})`, { cause: e });
  })).trim();
}

/** Blobs by id, read in one `git cat-file --batch`. */
async function readBlobs(root: string, shas: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (shas.length === 0) return out;
  const child = spawn("git", ["cat-file", "--batch"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((ok, fail) => {
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok() : fail(new Error(`--base: git cat-file exited with ${code}`))));
  });
  child.stdin.end(shas.join("\n") + "\n");
  await done;
  const data = Buffer.concat(chunks);
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf(10, at);
    const [sha, type, size] = data.subarray(at, eol).toString("utf8").split(" ");
    if (type === "missing" || !sha || size === undefined) throw new Error(`--base: git cat-file: ${sha ?? "?"} missing`);
    const n = Number(size);
    out.set(sha, data.subarray(eol + 1, eol + 1 + n));
    at = eol + 1 + n + 1;
  }
  return out;
}


export interface Revision {
  readonly root: string;
  readonly ref: string;
  readonly sha: string;
  /** Repository path → blob id and size, at the revision. */
  readonly tree: ReadonlyMap<string, { readonly sha: string; readonly size: number }>;
  /** Working-tree path → its path at the revision, for files git sees as renamed. */
  readonly renames: ReadonlyMap<string, string>;
  /** A file at the revision, by repository path; undefined when absent. */
  read(path: string): Promise<Uint8Array | undefined>;
}

/** The revision `ref` of the repository at `root`: its files, and what was renamed since. */
export async function openRevision(root: string, ref: string): Promise<Revision> {
  const sha = (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "")).trim();
  if (!sha) throw new Error(`--base ${ref}: no such revision in ${root}`);
  const tree = new Map<string, { sha: string; size: number }>();
  for (const line of (await git(root, ["ls-tree", "-r", "-l", "-z", sha])).split("\0")) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(line);
    // Files only: no links (120000), no submodules.
    if (m && m[2] === "blob" && m[1] !== "120000") tree.set(m[5] as string, { sha: m[3] as string, size: Number(m[4]) });
  }
  const renames = new Map<string, string>();
  const diff = (await git(root, ["diff", "-M", "--name-status", "-z", sha, "--"])).split("\0");
  for (let i = 0; i < diff.length; i++) {
    const status = diff[i] ?? "";
    if (/^[RC]\d*$/.test(status)) {
      if (status.startsWith("R")) renames.set(diff[i + 2] as string, diff[i + 1] as string);
      i += 2;
    } else if (status) i += 1;
  }
  return {
    root, ref, sha, tree, renames,
    async read(path) {
      const entry = tree.get(path);
      if (!entry) return undefined;
      return (await readBlobs(root, [entry.sha])).get(entry.sha);
    },
  };
}

/**
 * The reports of the checked files at the revision, with file names as the working tree
 * would show them (`displayPath` of the path at the revision), and the renames in the same
 * terms, for matching.
 */
export async function evaluateRevision(
  revision: Revision,
  found: ReadonlyArray<{ readonly path: string; readonly format: string }>,
  params: { readonly displayPath: (p: string) => string; readonly render: (RenderOptions & { enabled: boolean }) | undefined },
  run: { readonly pool: WorkerPool; readonly set: PolicySet },
): Promise<{ reports: FileReport[]; renames: Map<string, string> }> {
  const { root } = revision;
  const rel = (p: string) => relative(root, resolve(p)).split(sep).join("/");
  // Each checked file under its path at the revision, when it existed there.
  const atBase = found.flatMap((f) => {
    const now = rel(f.path);
    const then = revision.renames.get(now) ?? now;
    return now.startsWith("..") || !revision.tree.has(then) ? [] : [{ ...f, then }];
  });
  // The name a file had at the revision, written the way the checked path was (relative or absolute).
  const shown = (f: { path: string; then: string }) =>
    f.then === rel(f.path) ? params.displayPath(f.path) : params.displayPath(isAbsolute(f.path) ? join(root, f.then) : relative(process.cwd(), join(root, f.then)));
  const renames = new Map(atBase.filter((f) => f.then !== rel(f.path)).map((f) => [params.displayPath(f.path), shown(f)]));
  let files: Map<string, string | Uint8Array> | undefined;
  let renders: CliRenders | undefined;
  if (params.render?.enabled) {
    // The revision's tree stands in for the working tree: render roots as they were.
    const wanted = [...revision.tree].filter(([, e]) => e.size <= MAX_FILE_BYTES);
    const blobs = await readBlobs(root, [...new Set(wanted.map(([, e]) => e.sha))]);
    files = new Map(wanted.map(([p, e]) => [p, renderInput(p, blobs.get(e.sha) ?? Buffer.alloc(0))]));
    renders = await planCliRenders(atBase.map((f) => join(root, f.then)), { ...params.render, root, files });
  }
  const plain = atBase.filter((f) => !renders?.rendered.has(join(root, f.then)));
  const blobs = files ? undefined : await readBlobs(root, plain.map((f) => (revision.tree.get(f.then) as { sha: string }).sha));
  const reports = await mapLimit(plain, 8, async (f) => {
    const entry = revision.tree.get(f.then) as { sha: string };
    const raw = files?.get(f.then) ?? blobs?.get(entry.sha) ?? (await revision.read(f.then)) ?? new Uint8Array();
    const bytes = typeof raw === "string" ? Buffer.from(raw) : raw;
    return run.pool.evaluateFile({ path: shown(f), format: f.format, dir: dirname(join(root, f.then)), bytes }, run.set);
  });
  if (renders) reports.push(...(await renderAll(renders, run.pool, run.set, [])));
  return { reports, renames };
}

/**
 * The waivers file of the working tree, for a CLI run that follows the App's config. The
 * CLI sees no reviews: every entry counts as approved (the App asks for an approving review
 * of entries a pull request adds); with --base, entries the revision lacks are marked new.
 */
export async function workingTreeWaivers(
  root: string,
  config: Pick<Config, "waivers">,
  revision: Revision | undefined,
  now: Date,
): Promise<WaiverSet | undefined> {
  const path = config.waivers.path;
  const bytes = await readFile(join(root, path)).catch(() => undefined);
  if (!bytes) return undefined;
  const common = { path: shownPath(root, path), today: now.toISOString().slice(0, 10), maxDays: config.waivers.max_days };
  const parsed = parseWaivers(path, bytes);
  if (parsed.error) return { ...common, entries: [], error: parsed.error };
  const before = revision ? await revision.read(path) : undefined;
  const known = new Set(before ? parseWaivers(path, before).entries.map((e) => e.key) : parsed.entries.map((e) => e.key));
  return { ...common, entries: parsed.entries.map((e) => ({ ...e, origin: known.has(e.key) ? "base" : "new", approved: true })) };
}

/** The waivers file as findings name files: relative to the working directory when it is below it. */
function shownPath(root: string, path: string): string {
  const abs = join(root, path);
  const rel = relative(process.cwd(), abs);
  return rel.startsWith("..") ? abs : rel;
}

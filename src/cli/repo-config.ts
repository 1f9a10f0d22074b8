// The App's config and policy sources for the CLI, so a developer gets the App's verdict
// locally: the repository's `.github/gitops-gate.yml` from the working tree, its `path:`
// sources from the working tree, and `_extends` and `repo:` sources from GitHub with
// GITHUB_TOKEN (a clear error naming the source without one).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { Octokit } from "@octokit/rest";
import { loadConfig, type ConfigResult } from "../config/load.js";
import { CONFIG_PATH } from "../config/schema.js";
import { gitSourceReader } from "../github/source-reader.js";
import type { GitEntry, RepoRef, SourceReader } from "../github/types.js";

/** The working tree's commit id: local sources are read as they are on disk. */
const WORKING_TREE = "working-tree";

/** The folder holding `.git` at or above `from`, or undefined outside a repository. */
export function findRepoRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** owner/repo from the `origin` remote (https or ssh form), else `local/<folder name>`. */
export async function originRepo(root: string): Promise<RepoRef> {
  try {
    const config = await readFile(join(root, ".git", "config"), "utf8");
    const section = /\[remote "origin"\][^[]*/.exec(config)?.[0] ?? "";
    const url = /url\s*=\s*(\S+)/.exec(section)?.[1] ?? "";
    const m = /[:/]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
    if (m) return { owner: m[1] as string, repo: m[2] as string };
  } catch {
    // not a plain .git folder (a worktree or submodule): no remote to read
  }
  return { owner: "local", repo: basename(root) };
}

function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** Files below a folder of the working tree; links are not followed out of it. */
async function listFiles(root: string, dir: string): Promise<Array<{ path: string; abs: string }>> {
  const out: Array<{ path: string; abs: string }> = [];
  const walk = async (abs: string): Promise<void> => {
    for (const e of (await readdir(abs, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === ".git") continue;
      const p = join(abs, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push({ path: relative(dir, p).split(sep).join("/"), abs: p });
    }
  };
  if (!resolve(dir).startsWith(resolve(root))) return out;
  await walk(dir);
  return out;
}

/** Reads this repository from the working tree and every other one from GitHub. */
export function cliSourceReader(root: string, self: RepoRef, remote: () => SourceReader): SourceReader {
  const bySha = new Map<string, string>();
  const isSelf = (repo: RepoRef) => repo.owner === self.owner && repo.repo === self.repo;
  return {
    async resolveCommit(repo, ref) {
      return isSelf(repo) ? WORKING_TREE : remote().resolveCommit(repo, ref);
    },
    async entry(repo, commit, path): Promise<GitEntry | undefined> {
      if (!isSelf(repo)) return remote().entry(repo, commit, path);
      const abs = join(root, path);
      const s = await lstat(abs).catch(() => undefined);
      if (!s) return undefined;
      if (s.isFile()) {
        const bytes = await readFile(abs);
        const sha = gitBlobSha(bytes);
        bySha.set(sha, abs);
        return { type: "blob", sha, size: bytes.length };
      }
      if (!s.isDirectory()) return undefined;
      const files = [];
      const tree = createHash("sha1");
      for (const f of await listFiles(root, abs)) {
        const bytes = await readFile(f.abs);
        const sha = gitBlobSha(bytes);
        bySha.set(sha, f.abs);
        tree.update(`${f.path}\0${sha}\n`);
        files.push({ path: f.path, sha, size: bytes.length });
      }
      return { type: "tree", sha: tree.digest("hex"), files };
    },
    async readBlob(repo, sha, maxBytes) {
      if (!isSelf(repo)) return remote().readBlob(repo, sha, maxBytes);
      const abs = bySha.get(sha);
      if (!abs) throw new Error(`read ${sha}: not listed from the working tree`);
      const bytes = await readFile(abs);
      return bytes.length > maxBytes ? { tooLarge: bytes.length } : { bytes };
    },
  };
}

/** A GitHub client from GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise Server). */
function githubClient(what: string): Octokit {
  const token = process.env["GITHUB_TOKEN"] || process.env["GH_TOKEN"];
  if (!token) throw new Error(`${what}: set GITHUB_TOKEN to read it from GitHub`);
  return new Octokit({ auth: token, ...(process.env["GITHUB_API_URL"] ? { baseUrl: process.env["GITHUB_API_URL"] } : {}), userAgent: "gitops-gate-cli" });
}

export interface RepoContext {
  readonly root: string;
  readonly repo: RepoRef;
  readonly config: Extract<ConfigResult, { ok: true }>;
  readonly reader: SourceReader;
}

/**
 * The config at `path` (default: `.github/gitops-gate.yml` of the repository around the
 * working directory), or undefined when there is none to read.
 */
export async function loadRepoContext(path: string | undefined, cwd = process.cwd()): Promise<RepoContext | undefined> {
  const root = path ? (findRepoRoot(dirname(resolve(path))) ?? dirname(dirname(resolve(path)))) : findRepoRoot(cwd);
  if (!root) return undefined;
  const file = path ? resolve(path) : join(root, CONFIG_PATH);
  if (!existsSync(file)) {
    if (path) throw new Error(`read config ${path}: no such file`);
    return undefined;
  }
  const repo = await originRepo(root);
  let remoteReader: SourceReader | undefined;
  const remote = (what: string) => (remoteReader ??= gitSourceReader(githubClient(what)));
  const reader = cliSourceReader(root, repo, () => remote("read a policy source from another repository"));
  const result = await loadConfig(repo, async (target, p) => {
    if (target.owner === repo.owner && target.repo === repo.repo) {
      const bytes = await readFile(p === CONFIG_PATH ? file : join(root, p)).catch(() => undefined);
      return bytes ? { bytes, ref: "working tree", sha: gitBlobSha(bytes) } : undefined;
    }
    const client = githubClient(`read config _extends ${target.owner}/${target.repo}`);
    try {
      const { data } = await client.rest.repos.getContent({ ...target, path: p });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
      return { bytes: Buffer.from(data.content, "base64"), ref: "default branch", sha: data.sha };
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw new Error(`read config _extends ${target.owner}/${target.repo}: ${(e as Error).message}`, { cause: e });
    }
  });
  if (!result.ok) throw new Error(`read config ${relative(cwd, file) || file}: line ${result.error.line}: ${result.error.message}`);
  return { root, repo, config: result, reader };
}

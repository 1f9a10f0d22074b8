import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { detectFormat } from "../manifests/index.js";
import { RegexpSyntaxError } from "../policy/builtins/re2/parse.js";
import { GoRegexp } from "../policy/builtins/re2/regexp.js";
import { resolveFsLink } from "./links.js";
import { findRepoRoot } from "./repo-config.js";

/** Folders nobody keeps manifests in, skipped when walking a directory. */
export const IGNORED_DIRS = new Set([
  "node_modules", "vendor", "dist", "coverage",
  // Tool state, not sources: version control, provider and module caches, editors.
  ".git", ".hg", ".svn", ".terraform", ".terragrunt-cache", ".venv", ".tox", ".cache", ".idea", ".vscode",
]);

export interface FoundFile {
  readonly path: string;
  /** Undefined for a file named on the command line whose type is unknown: an error for that file alone. */
  readonly format: string | undefined;
  /** A symbolic link: the file inside the repository whose content is judged under `path`. */
  readonly via?: string;
  /** A symbolic link that leaves the repository, is broken or loops: why it cannot be judged. */
  readonly linkError?: string;
}

/** conftest's --ignore: a Go regular expression over paths. */
export function ignorePattern(regex: string | undefined): ((path: string) => boolean) | undefined {
  if (!regex) return undefined;
  try {
    const re = GoRegexp.compile(regex);
    return (p) => re.matchString(p);
  } catch (e) {
    const why = e instanceof RegexpSyntaxError || e instanceof SyntaxError ? e.message : String(e);
    throw new Error(`parse files: given regexp couldn't be parsed :${why}`, { cause: e });
  }
}

/**
 * Expands the command line's paths: a file is taken as given (with its format from its
 * name, or none), a directory is walked for files of a known format. `parser` (conftest's
 * --parser) is the format of every file found, whatever its name says; `ignore` (a Go
 * regular expression, conftest's --ignore) skips matching paths. A symbolic link is judged
 * as the file it leads to inside the repository (under the link's path); one that leaves
 * the repository, is broken or loops is reported as such.
 */
export async function discover(paths: readonly string[], parser?: string, ignore?: string): Promise<FoundFile[]> {
  const skip = ignorePattern(ignore);
  const out: FoundFile[] = [];
  /** A link found at `p` (shown as `shown`): judged as what it leads to inside `root`. */
  const link = async (p: string, shown: string, root: string, format: string | undefined, seen: ReadonlySet<string>): Promise<void> => {
    const r = await resolveFsLink(root, p);
    if (!r.ok) {
      if (format) out.push({ path: shown, format, linkError: r.message });
    } else if (r.kind === "file") {
      if (format) out.push({ path: shown, format, via: r.abs });
    } else await walk(r.abs, shown, root, seen);
  };
  // `dir` is where the files are; `shown` the path they are reported under (a link's, when
  // walking through a link to a folder). A folder already on the way down is not walked again.
  const walk = async (dir: string, shown: string, root: string, seen: ReadonlySet<string>): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    const inside = new Set([...seen, real]);
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      const name = join(shown, e.name);
      if (e.isDirectory()) {
        // Other dot-folders are walked: .github holds workflows, and infrastructure code
        // lives in folders like .workshop/terraform.
        if (!IGNORED_DIRS.has(e.name)) await walk(p, name, root, inside);
      } else if (skip?.(name)) {
        continue;
      } else if (e.isFile()) {
        const format = detectFormat(name);
        if (format) out.push({ path: name, format, ...(p !== name ? { via: p } : {}) });
      } else if (e.isSymbolicLink() && !IGNORED_DIRS.has(e.name)) {
        await link(p, name, root, detectFormat(name), inside);
      }
    }
  };
  /** The repository a path belongs to: its git checkout, else the folder checked (or the working directory). */
  const rootOf = (abs: string, isDir: boolean): string => {
    const cwd = process.cwd();
    return findRepoRoot(isDir ? abs : dirname(abs)) ?? (isDir ? abs : abs.startsWith(cwd + sep) ? cwd : dirname(abs));
  };
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      throw new Error(`read ${p}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`, { cause: e });
    }
    const abs = resolve(p);
    // A folder named on the command line through a link is the folder it leads to, named by
    // its real path, as conftest names it: the user chose it. Links met inside are judged
    // by the repository's rules.
    if (s.isDirectory() && (await lstat(p)).isSymbolicLink()) {
      const real = await realpath(p);
      await walk(real, real, rootOf(real, true), new Set());
    } else if (s.isDirectory()) await walk(p, p, rootOf(abs, true), new Set());
    else if (skip?.(p)) continue;
    else if ((await lstat(p)).isSymbolicLink()) await link(abs, p, rootOf(abs, false), parser ?? detectFormat(p), new Set());
    else out.push({ path: p, format: detectFormat(p) });
  }
  return parser ? out.map((f) => ({ ...f, format: parser })) : out;
}

/**
 * The .proto files below each folder, as conftest's `--proto-file-dirs` finds them: a
 * filepath.Walk (names in byte order), files whose name ends in `.proto`, each path the
 * folder as given joined with the file's path in it.
 */
export async function protoFilesIn(dirs: readonly string[]): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".proto")) out.push({ path: p, text: await readFile(p, "utf8") });
    }
  };
  for (const d of dirs) {
    try {
      await walk(d);
    } catch (e) {
      throw new Error(`find proto files: walk dir ${JSON.stringify(d)}: ${(e as Error).message}`, { cause: e });
    }
  }
  return out;
}

export async function readAllStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export { readFile };

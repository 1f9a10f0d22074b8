import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { detectFormat } from "../manifests/index.js";

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
}

/**
 * Expands the command line's paths: a file is taken as given (with its format from its
 * name, or `fallbackFormat`, or none), a directory is walked for files of a known format.
 */
export async function discover(paths: readonly string[], fallbackFormat?: string): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        // Other dot-folders are walked: .github holds workflows, and infrastructure code
        // lives in folders like .workshop/terraform.
        if (!IGNORED_DIRS.has(e.name)) await walk(p);
      } else if (e.isFile()) {
        const format = detectFormat(p);
        if (format) out.push({ path: p, format });
      }
    }
  };
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      throw new Error(`read ${p}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`, { cause: e });
    }
    if (s.isDirectory()) await walk(p);
    else {
      out.push({ path: p, format: detectFormat(p) ?? fallbackFormat });
    }
  }
  return out;
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

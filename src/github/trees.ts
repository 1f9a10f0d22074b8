// Commit trees as the tree API lists them, read once per reader: every entry with its kind
// (file, link, submodule) and size, and lookups of single paths that still work when
// GitHub truncated the recursive listing (walking folder by folder instead).
import type { EntryKind, PathEntry, TreeEntry } from "./types.js";
import { PlainFailure } from "./failures.js";

/** An entry of a tree listing, as the API returns it. */
export interface RawTreeEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

export type ListTree = (treeSha: string, recursive: boolean) => Promise<{ sha?: string; truncated: boolean; tree: RawTreeEntry[] }>;

/** A listed entry → a file, link or submodule; folders and unknown types → undefined. */
export function entryOf(e: RawTreeEntry): TreeEntry | undefined {
  if (!e.path || !e.sha) return undefined;
  if (e.type === "commit" || e.mode === "160000") return { path: e.path, sha: e.sha, size: 0, kind: "submodule" };
  if (e.type !== "blob") return undefined;
  const kind: EntryKind = e.mode === "120000" ? "link" : "file";
  return { path: e.path, sha: e.sha, size: e.size ?? 0, kind };
}

interface FullTree {
  readonly entries: TreeEntry[];
  readonly byPath: ReadonlyMap<string, TreeEntry>;
  readonly folders: ReadonlySet<string>;
  readonly truncated: boolean;
}

export function treeReader(list: ListTree) {
  const full = new Map<string, Promise<FullTree>>();
  const levels = new Map<string, Promise<RawTreeEntry[]>>();
  const readFull = (sha: string): Promise<FullTree> => {
    let hit = full.get(sha);
    if (!hit) {
      hit = list(sha, true).then((data) => {
        const entries = data.tree.flatMap((e) => entryOf(e) ?? []);
        const folders = new Set(data.tree.filter((e) => e.type === "tree" && e.path).map((e) => e.path as string));
        return { entries, byPath: new Map(entries.map((e) => [e.path, e])), folders, truncated: data.truncated };
      });
      full.set(sha, hit);
      hit.catch(() => full.delete(sha));
    }
    return hit;
  };
  const level = (treeSha: string): Promise<RawTreeEntry[]> => {
    let hit = levels.get(treeSha);
    if (!hit) {
      hit = list(treeSha, false).then((data) => {
        if (data.truncated) throw new PlainFailure(`GitHub truncated the listing of one folder (tree ${treeSha.slice(0, 12)})`, "Split the folder: GitHub lists at most 100,000 entries of a tree.");
        return data.tree;
      });
      levels.set(treeSha, hit);
      hit.catch(() => levels.delete(treeSha));
    }
    return hit;
  };
  /** One path, a folder listing at a time from the commit's root. */
  const walk = async (commit: string, path: string): Promise<PathEntry | undefined> => {
    let treeSha = commit;
    const parts = path.split("/");
    for (const [i, part] of parts.entries()) {
      const found = (await level(treeSha)).find((e) => e.path === part);
      if (!found?.sha) return undefined;
      const last = i === parts.length - 1;
      if (found.type === "tree") {
        if (last) return { path, kind: "folder" };
        treeSha = found.sha;
        continue;
      }
      const entry = entryOf({ ...found, path });
      // A link or submodule part way down is not a folder of this tree: the caller resolves it.
      return last ? entry : undefined;
    }
    return undefined;
  };
  return {
    full: readFull,
    /** Whether the commit's whole tree is read (or being read): lookups then cost nothing. */
    listed: (sha: string) => full.has(sha),
    async lookup(sha: string, paths: readonly string[]): Promise<ReadonlyMap<string, PathEntry>> {
      const tree = await readFull(sha);
      const out = new Map<string, PathEntry>();
      for (const p of paths) {
        const e = tree.byPath.get(p);
        if (e) out.set(p, e);
        else if (tree.folders.has(p)) out.set(p, { path: p, kind: "folder" });
        else if (tree.truncated) {
          const found = await walk(sha, p);
          if (found) out.set(p, found);
        }
      }
      return out;
    },
  };
}

// Symbolic links in the working tree, by the App's rules (src/pipeline/links.ts): a link
// is judged as what it leads to inside the repository; a link that leaves it, is broken or
// loops is an error for that path. "The repository" is the git checkout around the path,
// or, outside one, the folder that was checked.
import { lstat, readlink } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { resolveLink, type LinkResolution, type LinkWorld } from "../pipeline/links.js";

/** A LinkWorld over a folder of the file system: paths are relative to `root`, `/`-separated. */
export function fsWorld(root: string): LinkWorld {
  const abs = (path: string) => join(root, ...path.split("/"));
  return {
    async entry(path) {
      const s = await lstat(abs(path)).catch(() => undefined);
      if (!s) return undefined;
      if (s.isSymbolicLink()) return { kind: "link" };
      if (s.isDirectory()) return { kind: "folder" };
      return s.isFile() ? { kind: "file" } : undefined;
    },
    async target(path) {
      const t = await readlink(abs(path), "utf8").catch(() => undefined);
      // Windows-style separators in a target mean nothing to git; read them as git does.
      return t?.split(sep).join("/");
    },
  };
}

/** Where the link at absolute path `link` leads, inside `root`; absolute paths in the answer. */
export async function resolveFsLink(root: string, link: string): Promise<{ ok: true; kind: "file" | "folder"; abs: string; rel: string } | { ok: false; message: string }> {
  const rel = relative(root, link).split(sep).join("/");
  if (rel.startsWith("../") || rel === "..") return { ok: false, message: `${link} is outside ${root}` };
  const r: LinkResolution = await resolveLink(rel, fsWorld(root));
  if (!r.ok) return { ok: false, message: r.message };
  if (r.kind === "submodule") return { ok: false, message: `${rel} leads to a submodule` };
  return { ok: true, kind: r.kind, abs: join(root, ...(r.path ? r.path.split("/") : [])), rel: r.path };
}

// Symbolic links, resolved the way `kubectl apply -f` and Argo CD follow them, but never
// out of the repository: a link's target is read component by component (a link part way
// down is followed from the folder that holds it, `..` climbs from where the walk is), as
// a kernel resolves a path. Shared by the App (over the git tree) and the CLI (over the
// working tree), so both judge the same content.
import { posix } from "node:path";

/** Links followed in one resolution before it counts as a loop (Linux's MAXSYMLINKS). */
export const MAX_LINK_HOPS = 40;
/** A link's blob holds a path: anything longer than PATH_MAX is not a target. */
export const MAX_LINK_TARGET_BYTES = 4096;

/** What is at a path of the repository, as far as resolving needs to know. */
export type LinkWorldEntry = { readonly kind: "file" | "folder" | "submodule" | "link" };

export interface LinkWorld {
  entry(path: string): Promise<LinkWorldEntry | undefined>;
  /** The target a link at `path` holds; undefined when it holds no path (over PATH_MAX, a NUL byte). */
  target(path: string): Promise<string | undefined>;
}

export type LinkResolution =
  | { readonly ok: true; readonly kind: "file" | "folder" | "submodule"; readonly path: string }
  | { readonly ok: false; readonly problem: "outside" | "broken" | "loop"; readonly message: string };

/** Where the link at `link` (a repository path, `/`-separated) leads at the same commit. */
export async function resolveLink(link: string, world: LinkWorld): Promise<LinkResolution> {
  const first = (await world.target(link)) ?? "\0";
  const fail = (problem: "outside" | "broken" | "loop", why: string): LinkResolution => ({
    ok: false, problem, message: `${link} is a symbolic link to ${JSON.stringify(first.slice(0, 200))}: ${why}`,
  });
  if (first.includes("\0")) return fail("broken", "its target is not a path");
  if (first.startsWith("/")) return fail("outside", "it leaves the repository (an absolute path)");
  // The folders walked so far, and what is left to walk.
  const stack = posix.dirname(link) === "." ? [] : posix.dirname(link).split("/");
  let queue = first.split("/");
  let hops = 0;
  const seen = new Set<string>();
  while (queue.length > 0) {
    const part = queue.shift() as string;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (stack.length === 0) return fail("outside", "it leaves the repository");
      stack.pop();
      continue;
    }
    const path = [...stack, part].join("/");
    const entry = await world.entry(path);
    if (!entry) return fail("broken", `it is broken: ${path} does not exist at this commit`);
    const rest = queue.some((p) => p !== "" && p !== ".");
    if (entry.kind === "link") {
      const key = `${path}\0${queue.join("/")}`;
      if (seen.has(key) || ++hops > MAX_LINK_HOPS) return fail("loop", `the links form a loop (through ${path})`);
      seen.add(key);
      const next = await world.target(path);
      if (next === undefined || next.includes("\0")) return fail("broken", `it is broken: ${path} holds no path`);
      if (next.startsWith("/")) return fail("outside", `it leaves the repository (through ${path}, an absolute path)`);
      queue = [...next.split("/"), ...queue];
      continue;
    }
    if (entry.kind === "file" || entry.kind === "submodule") {
      if (rest) return fail("broken", `it is broken: ${path} is ${entry.kind === "file" ? "a file" : "a submodule"}, not a folder`);
      return { ok: true, kind: entry.kind, path };
    }
    stack.push(part);
  }
  return { ok: true, kind: "folder", path: stack.join("/") };
}

/** A LinkWorld over a whole listed tree (`kind` per path; folders are the paths' parents). */
export function treeWorld(entries: ReadonlyArray<{ readonly path: string; readonly kind: "file" | "link" | "submodule" }>, target: (path: string) => Promise<string | undefined>): LinkWorld {
  const kinds = new Map<string, LinkWorldEntry["kind"]>(entries.map((e) => [e.path, e.kind]));
  for (const e of entries) {
    for (let i = e.path.indexOf("/"); i >= 0; i = e.path.indexOf("/", i + 1)) {
      const folder = e.path.slice(0, i);
      if (!kinds.has(folder)) kinds.set(folder, "folder");
    }
  }
  return {
    async entry(path) {
      const kind = kinds.get(path);
      return kind ? { kind } : undefined;
    },
    target,
  };
}

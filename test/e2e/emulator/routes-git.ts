// Git data, contents and refs.
import { createHash } from "node:crypto";
import { NOT_FOUND, type Route } from "./context.js";
import { blobSha, treeSha, type Commit } from "./repo-state.js";

/** Tree entries as GitHub lists them recursively: folders (type tree) and files. */
function treeEntries(commit: Commit, prefix: string): Array<Record<string, unknown>> {
  const folders = new Set<string>();
  const entries: Array<Record<string, unknown>> = [];
  for (const [path, content] of commit.files) {
    if (prefix && !path.startsWith(`${prefix}/`)) continue;
    const rel = prefix ? path.slice(prefix.length + 1) : path;
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    const link = commit.links?.has(path);
    entries.push({ path: rel, mode: link ? "120000" : "100644", type: "blob", sha: blobSha(content), size: Buffer.byteLength(content) });
  }
  for (const [path, sha] of commit.submodules ?? []) {
    if (prefix && !path.startsWith(`${prefix}/`)) continue;
    const rel = prefix ? path.slice(prefix.length + 1) : path;
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    entries.push({ path: rel, mode: "160000", type: "commit", sha });
  }
  for (const f of folders) entries.push({ path: f, mode: "040000", type: "tree", sha: treeSha(commit.files, prefix ? `${prefix}/${f}` : f) });
  return entries.sort((a, b) => String(a["path"]).localeCompare(String(b["path"])));
}

/** `<commit sha>` or `<commit sha>:<folder>` as a tree id (folders are addressed through their commit). */
const trees = new Map<string, { commit: Commit; prefix: string }>();

function treeId(commit: Commit, prefix: string): string {
  const id = prefix ? treeSha(commit.files, prefix) : commit.sha;
  trees.set(id, { commit, prefix });
  return id;
}

export const gitRoutes: Record<string, Route> = {
  "git/get-blob": ({ repo, p }) => {
    const content = repo.blobs.get(p["file_sha"] ?? "");
    if (content === undefined) return NOT_FOUND;
    return [200, { sha: p["file_sha"], size: Buffer.byteLength(content), encoding: "base64", content: Buffer.from(content).toString("base64") }];
  },
  "git/get-commit": ({ repo, p }) => {
    const c = repo.commits.get(p["commit_sha"] ?? "");
    if (!c) return NOT_FOUND;
    return [200, { sha: c.sha, message: c.message, tree: { sha: treeId(c, "") }, parents: c.parents.map((x) => ({ sha: x })) }];
  },
  "repos/get-commit": ({ repo, p }) => {
    const c = repo.resolve(p["ref"] ?? null);
    if (!c) return [422, { message: `No commit found for SHA: ${p["ref"]}` }];
    return [200, { sha: c.sha, commit: { message: c.message, tree: { sha: treeId(c, "") } }, parents: c.parents.map((x) => ({ sha: x })), files: [] }];
  },
  "git/get-tree": ({ repo, p, q }) => {
    const id = p["tree_sha"] ?? "";
    const known = trees.get(id);
    const commit = known?.commit ?? repo.resolve(id);
    if (!commit) return NOT_FOUND;
    const prefix = known?.prefix ?? "";
    const entries = treeEntries(commit, prefix);
    const listed = q.get("recursive") ? entries : entries.filter((e) => !String(e["path"]).includes("/"));
    for (const e of listed) if (e["type"] === "tree") treeId(commit, prefix ? `${prefix}/${String(e["path"])}` : String(e["path"]));
    return [200, { sha: id, truncated: false, tree: listed }];
  },
  "git/get-ref": ({ repo, p }) => {
    const ref = p["ref"] ?? "";
    const [kind, ...rest] = ref.split("/");
    const name = rest.join("/");
    const sha = kind === "heads" ? repo.branches.get(name) : kind === "tags" ? repo.tags.get(name) : undefined;
    return sha ? [200, { ref: `refs/${ref}`, object: { sha, type: "commit" } }] : NOT_FOUND;
  },
  "git/update-ref": ({ repo, p, body }) => {
    const ref = p["ref"] ?? "";
    if (!ref.startsWith("heads/")) return [422, { message: "only branches" }];
    const name = ref.slice("heads/".length);
    if (!repo.branches.has(name)) return [422, { message: "Reference does not exist" }];
    repo.branches.set(name, String(body["sha"]));
    return [200, { ref: `refs/${ref}`, object: { sha: body["sha"], type: "commit" } }];
  },
  "git/delete-ref": ({ repo, p }) => {
    const ref = p["ref"] ?? "";
    if (!ref.startsWith("heads/") || !repo.branches.delete(ref.slice("heads/".length))) return [422, { message: "Reference does not exist" }];
    return [204, null];
  },
  "git/create-tree": ({ repo, body }) => {
    const baseId = body["base_tree"] ? String(body["base_tree"]) : undefined;
    const base = baseId ? (trees.get(baseId)?.commit ?? repo.commits.get(baseId)) : undefined;
    if (baseId && !base) return [422, { message: "base_tree not found" }];
    const files = new Map(base?.files ?? []);
    const links = new Set(base?.links ?? []);
    const submodules = new Map(base?.submodules ?? []);
    for (const e of body["tree"] as Array<{ path: string; mode?: string; sha?: string | null; content?: string }>) {
      files.delete(e.path);
      links.delete(e.path);
      submodules.delete(e.path);
      if (e.sha === null) continue;
      if (e.mode === "160000") submodules.set(e.path, String(e.sha));
      else if (e.content !== undefined) files.set(e.path, e.content);
      else {
        const content = repo.blobs.get(e.sha ?? "");
        if (content === undefined) return [422, { message: `blob ${e.sha} not found` }];
        files.set(e.path, content);
      }
      if (e.mode === "120000") links.add(e.path);
    }
    const sha = repo.commit(files, { message: "tree", links: [...links], submodules: Object.fromEntries(submodules) });
    return [201, { sha, tree: [], truncated: false }];
  },
  "git/create-commit": ({ repo, body }) => {
    const id = String(body["tree"]);
    const tree = trees.get(id)?.commit ?? repo.commits.get(id);
    if (!tree) return [422, { message: "tree not found" }];
    const parents = (body["parents"] as string[]) ?? [];
    const sha = repo.commit(new Map(tree.files), { parents, message: String(body["message"]), links: [...(tree.links ?? [])], submodules: Object.fromEntries(tree.submodules ?? []) });
    return [201, { sha, message: body["message"], tree: { sha: treeId(repo.commits.get(sha) as Commit, "") }, parents: parents.map((x) => ({ sha: x })) }];
  },
  "git/create-ref": ({ repo, body }) => {
    const ref = String(body["ref"]);
    if (ref.startsWith("refs/tags/")) {
      const name = ref.slice("refs/tags/".length);
      if (repo.tags.has(name)) return [422, { message: "Reference already exists" }];
      repo.tags.set(name, String(body["sha"]));
      return [201, { ref, object: { sha: body["sha"], type: "tag" } }];
    }
    if (!ref.startsWith("refs/heads/")) return [422, { message: "ref must start with refs/" }];
    const name = ref.slice("refs/heads/".length);
    if (repo.branches.has(name)) return [422, { message: "Reference already exists" }];
    repo.branches.set(name, String(body["sha"]));
    return [201, { ref, object: { sha: body["sha"], type: "commit" } }];
  },
  "git/create-tag": ({ repo, body }) => {
    const sha = createHash("sha1").update(`tag ${String(body["tag"])} ${String(body["object"])}`).digest("hex");
    repo.tagObjects.set(sha, { tag: String(body["tag"]), object: String(body["object"]), message: String(body["message"]) });
    return [201, { sha, tag: body["tag"], message: body["message"], object: { sha: body["object"], type: body["type"] } }];
  },
  "repos/get-branch": ({ repo, p }) => {
    const sha = repo.branches.get(p["branch"] ?? "");
    return sha ? [200, { name: p["branch"], commit: { sha } }] : [404, { message: "Branch not found" }];
  },
  "repos/get-content": ({ repo, p, q }) => {
    const commit = repo.resolve(q.get("ref"));
    const path = p["path"] ?? "";
    const submodule = commit?.submodules?.get(path);
    if (submodule) return [200, { type: "submodule", path, sha: submodule, size: 0, submodule_git_url: `https://github.example/${path}.git` }];
    const content = commit?.files.get(path);
    if (content === undefined) return NOT_FOUND;
    const type = commit?.links?.has(path) ? "symlink" : "file";
    return [200, { type, encoding: "base64", path, sha: blobSha(content), size: Buffer.byteLength(content), content: Buffer.from(content).toString("base64"), ...(type === "symlink" ? { target: content } : {}) }];
  },
};

// SourceReader over GitHub's git data API. Typed structurally so both the App's client
// (Probot's Octokit) and the CLI's (@octokit/rest with GITHUB_TOKEN) fit.
import type { GitEntry, RepoRef, SourceReader } from "./types.js";
import { PlainFailure } from "./failures.js";

interface TreeEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

export interface GitReadClient {
  rest: {
    repos: {
      get(params: { owner: string; repo: string }): Promise<{ data: { default_branch: string } }>;
      getCommit(params: { owner: string; repo: string; ref: string }): Promise<{ data: { sha: string } }>;
    };
    git: {
      getTree(params: { owner: string; repo: string; tree_sha: string; recursive?: string }): Promise<{ data: { sha: string; truncated: boolean; tree: TreeEntry[] } }>;
      getBlob(params: { owner: string; repo: string; file_sha: string }): Promise<{ data: { content: string; encoding: string; size: number | null } }>;
    };
  };
}

function status(e: unknown): number | undefined {
  return (e as { status?: number }).status;
}

/** 404 (no such repository, ref or path, or no access) and 422 (a bad ref) read as absent. */
async function absentOn404<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    if (status(e) === 404 || status(e) === 422) return undefined;
    throw e;
  }
}

/** Symbolic links (mode 120000) and submodules are not followed in a policy folder. */
const isFile = (e: TreeEntry): boolean => e.type === "blob" && e.mode !== "120000" && Boolean(e.path && e.sha);

export function gitSourceReader(client: GitReadClient): SourceReader {
  const tree = async (repo: RepoRef, sha: string, recursive: boolean) =>
    (await client.rest.git.getTree({ ...repo, tree_sha: sha, ...(recursive ? { recursive: "true" } : {}) })).data;
  return {
    async resolveCommit(repo, ref) {
      return absentOn404(async () => {
        const name = ref ?? (await client.rest.repos.get(repo)).data.default_branch;
        return (await client.rest.repos.getCommit({ ...repo, ref: name })).data.sha;
      });
    },
    async entry(repo, commit, path): Promise<GitEntry | undefined> {
      return absentOn404(async () => {
        // Walk to the folder one level at a time: a recursive listing of a whole large
        // repository may be truncated, the folder's own listing rarely is.
        let treeSha = commit;
        const parts = path ? path.split("/") : [];
        for (const [i, part] of parts.entries()) {
          const found = (await tree(repo, treeSha, false)).tree.find((e) => e.path === part);
          if (!found?.sha) return undefined;
          if (found.type === "blob" && i === parts.length - 1) return { type: "blob", sha: found.sha, size: found.size ?? 0 };
          if (found.type !== "tree") return undefined;
          treeSha = found.sha;
        }
        const listing = await tree(repo, treeSha, true);
        if (listing.truncated) throw new PlainFailure(`read ${repo.owner}/${repo.repo}:${path}: the folder has more files than GitHub lists in one tree`, "Point the policy source at a smaller folder.");
        const files = listing.tree.filter(isFile).map((e) => ({ path: e.path as string, sha: e.sha as string, size: e.size ?? 0 }));
        return { type: "tree", sha: listing.sha, files };
      });
    },
    async readBlob(repo, sha, maxBytes) {
      const { data } = await client.rest.git.getBlob({ ...repo, file_sha: sha });
      const size = data.size ?? 0;
      if (size > maxBytes) return { tooLarge: size };
      return { bytes: Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8") };
    },
  };
}

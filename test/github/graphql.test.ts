// The batched GraphQL reads, against the emulator's GraphQL executor: every query the
// reader builds is validated against GitHub's published schema, and answers come from
// repository state, so batching, aliases and fallbacks are tested on real queries.
import { GraphqlReader, entryKind, wholeBlob } from "../../src/github/graphql.js";
import { GitHubEmulator } from "../e2e/emulator.js";
import { graphqlRequest } from "../e2e/emulator/graphql.js";
import { blobSha as blobShaOf } from "../e2e/emulator/repo-state.js";

function world() {
  const gh = new GitHubEmulator();
  const violations: string[] = [];
  const queries: string[] = [];
  const reader = new GraphqlReader(async (query, variables) => {
    queries.push(query);
    const [, out] = await graphqlRequest({ repository: (owner, name) => [gh.main].find((r) => r.owner === owner && r.name === name) }, { query, variables }, violations);
    const { data, errors } = out as { data: unknown; errors?: unknown[] };
    // As @octokit/graphql: errors throw, with what resolved as `data`.
    if (errors?.length) throw Object.assign(new Error("partial"), { data, errors });
    return data;
  });
  const repo = { owner: gh.owner, repo: gh.repo };
  return { gh, reader, repo, violations, queries };
}

test("a hundred and twenty blob reads in one turn are three queries of at most fifty, each answered", async () => {
  const w = world();
  const files: Record<string, string> = {};
  for (let i = 0; i < 120; i++) files[`deploy/f-${i}.yaml`] = `kind: ConfigMap\nmetadata: {name: c${i}}\n`;
  const head = w.gh.commit(files);
  const tree = w.gh.main.commits.get(head);
  const shas = [...(tree?.files.values() ?? [])].map((c) => ({ c, sha: blobShaOf(c) }));
  const reads = await Promise.all(shas.map(({ sha }) => w.reader.blob(w.repo, sha)));
  expect(w.queries).toHaveLength(3);
  expect(reads.map((r) => Buffer.from(r?.bytes ?? []).toString())).toEqual(shas.map(({ c }) => c));
  expect(w.violations).toEqual([]);
});

test("files at a ref, entries of a commit, the pull request and this App's check runs: one query", async () => {
  const w = world();
  const base = w.gh.commit({ ".github/gitops-gate.yml": "comment: always\n", "deploy/a.yaml": "a: 1\n" });
  const head = w.gh.commit({ ".github/gitops-gate.yml": "comment: always\n", "deploy/a.yaml": "a: 2\n", "deploy/link.yaml": "a.yaml" }, { parents: [base], links: ["deploy/link.yaml"] });
  const pr = w.gh.openPull({ number: 7, base, head, baseRef: "main", draft: false });
  w.gh.main.comments.push(
    { id: 11, issue: 7, body: "<!-- gitops-gate -->old", user: { login: "gitops-gate[bot]", type: "Bot" }, updated: 1 },
    { id: 12, issue: 7, body: "<!-- gitops-gate -->forged", user: { login: "mallory", type: "User" }, updated: 2 },
  );
  w.gh.main.checkRuns.push({ id: 5, head_sha: head, name: "gitops-gate", external_id: "job-1", status: "in_progress", conclusion: null, output: { annotations: [] }, updates: 0, started_at: "", app: { id: 123, slug: "gitops-gate" } });
  const [config, absent, file, link, folder, nothing, pull, runs, otherApp] = await Promise.all([
    w.reader.file(w.repo, "main", ".github/gitops-gate.yml"),
    w.reader.file(w.repo, head, ".github/gitops-gate-waivers.yml"),
    w.reader.entry(w.repo, head, "deploy/a.yaml"),
    w.reader.entry(w.repo, head, "deploy/link.yaml"),
    w.reader.entry(w.repo, base, "deploy"),
    w.reader.entry(w.repo, base, "deploy/link.yaml"),
    w.reader.pull(w.repo, pr.number),
    w.reader.checkRuns(w.repo, head, 123, "gitops-gate"),
    w.reader.checkRuns(w.repo, head, 999, "gitops-gate"),
  ]);
  expect(w.queries).toHaveLength(1);
  expect(w.violations).toEqual([]);
  expect(Buffer.from(config?.bytes ?? []).toString()).toBe("comment: always\n");
  expect(absent).toBeNull();
  expect(file).toMatchObject({ path: "deploy/a.yaml", kind: "file", size: 5 });
  expect(link).toMatchObject({ kind: "link", size: 6 });
  expect(folder).toEqual({ path: "deploy", kind: "folder" });
  expect(nothing).toBeNull();
  // Only the App's own comments count: a user's comment carrying the marker is not the App's.
  expect(pull).toEqual({ head, comments: [{ id: 11, body: "<!-- gitops-gate -->old" }], allComments: true });
  expect(runs).toEqual([{ id: 5, externalId: "job-1", completed: false }]);
  expect(otherApp).toEqual([]);
});

test("what GraphQL cannot give whole is left to REST: binary blobs, a repository it cannot resolve", async () => {
  const w = world();
  const head = w.gh.commit({ "chart.tgz": "\u0000\u0001binary", "a.yaml": "a: 1\n" });
  const commit = w.gh.main.commits.get(head);
  const [binary, text, foreign] = await Promise.all([
    w.reader.blob(w.repo, blobShaOf(commit?.files.get("chart.tgz") ?? "")),
    w.reader.blob(w.repo, blobShaOf("a: 1\n")),
    w.reader.file({ owner: "elsewhere", repo: "private" }, "HEAD", ".github/gitops-gate.yml"),
  ]);
  expect(binary).toBeUndefined();
  expect(Buffer.from(text?.bytes ?? []).toString()).toBe("a: 1\n");
  // Unknown to the token: not "absent" (null), but "ask REST" (undefined), which says 404 itself.
  expect(foreign).toBeUndefined();
});

test("a failed query fails every read in it; the next turn asks again", async () => {
  let fail = true;
  const reader = new GraphqlReader(async () => {
    if (fail) throw Object.assign(new Error("Bad Gateway"), { status: 502 });
    return { r0: { a0: { oid: "b".repeat(40), byteSize: 2, isBinary: false, isTruncated: false, text: "ok" } } };
  });
  const repo = { owner: "o", repo: "r" };
  await expect(reader.blob(repo, "b".repeat(40))).rejects.toThrow("Bad Gateway");
  fail = false;
  await expect(reader.blob(repo, "b".repeat(40))).resolves.toMatchObject({ sha: "b".repeat(40) });
});

test("text that is not the blob's bytes, cut text and modes", () => {
  expect(wholeBlob({ oid: "x", byteSize: 3, isBinary: false, isTruncated: false, text: "\uFFFD" })).toBeDefined();
  // Latin-1 bytes decoded with replacement characters: the length gives it away.
  expect(wholeBlob({ oid: "x", byteSize: 1, isBinary: false, isTruncated: false, text: "\uFFFD" })).toBeUndefined();
  expect(wholeBlob({ oid: "x", byteSize: 10, isBinary: false, isTruncated: true, text: "0123" })).toBeUndefined();
  expect([entryKind(0o100644, "blob"), entryKind(0o100755, "blob"), entryKind(0o120000, "blob"), entryKind(0o160000, "commit"), entryKind(0o40000, "tree")]).toEqual(["file", "file", "link", "submodule", "folder"]);
});

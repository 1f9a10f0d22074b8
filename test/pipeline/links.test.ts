// Symbolic links: how a target resolves (inside the repository only), and what the pull
// request pipeline judges through them, against the fakes. Sizes come from the tree, so a
// file over the limit is never read.
import { resolveLink, treeWorld, type LinkResolution } from "../../src/pipeline/links.js";
import { evaluatePullRequest, type PipelineDeps } from "../../src/pipeline/evaluate-pull-request.js";
import { FakeCheckPublisher } from "../fakes/check-publisher.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { blobSha } from "../fakes/repo.js";
import { FakeSourceReader } from "../fakes/source-reader.js";
import { policyDeps } from "../helpers/policies.js";

/** A tree: files (path → content) and links (path → target). */
function resolve(link: string, files: Record<string, string>, links: Record<string, string>, submodules: string[] = []): Promise<LinkResolution> {
  const entries = [
    ...Object.keys(files).map((path) => ({ path, kind: "file" as const })),
    ...Object.keys(links).map((path) => ({ path, kind: "link" as const })),
    ...submodules.map((path) => ({ path, kind: "submodule" as const })),
  ];
  return resolveLink(link, treeWorld(entries, async (p) => links[p]));
}

test.each([
  ["a sibling file", "deploy/a.yaml", { "deploy/b.yaml": "" }, { "deploy/a.yaml": "b.yaml" }, { ok: true, kind: "file", path: "deploy/b.yaml" }],
  ["a file up and across", "deploy/prod/evil.yaml", { "samples/bad.txt": "" }, { "deploy/prod/evil.yaml": "../../samples/bad.txt" }, { ok: true, kind: "file", path: "samples/bad.txt" }],
  ["a folder", "deploy/base", { "shared/base/a.yaml": "" }, { "deploy/base": "../shared/base/" }, { ok: true, kind: "folder", path: "shared/base" }],
  ["a chain of links", "a.yaml", { "x/real.yaml": "" }, { "a.yaml": "b.yaml", "b.yaml": "x/c.yaml", "x/c.yaml": "real.yaml" }, { ok: true, kind: "file", path: "x/real.yaml" }],
  // `..` after a link to a folder climbs from the link's target, as the kernel does.
  ["`..` through a linked folder", "a.yaml", { "deep/down/t.yaml": "" }, { "a.yaml": "d/../t.yaml", d: "deep/down/x" }, { ok: false, problem: "broken" }],
  ["`..` through a linked folder that exists", "a.yaml", { "deep/down/x/k": "", "deep/down/t.yaml": "" }, { "a.yaml": "d/../t.yaml", d: "deep/down/x" }, { ok: true, kind: "file", path: "deep/down/t.yaml" }],
  ["out of the repository", "deploy/a.yaml", {}, { "deploy/a.yaml": "../../etc/passwd" }, { ok: false, problem: "outside" }],
  ["an absolute path", "a.yaml", {}, { "a.yaml": "/etc/passwd" }, { ok: false, problem: "outside" }],
  ["out through a second link", "a.yaml", {}, { "a.yaml": "b", b: "/etc" }, { ok: false, problem: "outside" }],
  ["a missing target", "a.yaml", {}, { "a.yaml": "nope.yaml" }, { ok: false, problem: "broken" }],
  ["a file used as a folder", "a.yaml", { "f.yaml": "" }, { "a.yaml": "f.yaml/x" }, { ok: false, problem: "broken" }],
  ["a loop of two", "a.yaml", {}, { "a.yaml": "b.yaml", "b.yaml": "a.yaml" }, { ok: false, problem: "loop" }],
  ["itself", "a.yaml", {}, { "a.yaml": "a.yaml" }, { ok: false, problem: "loop" }],
  ["a folder that contains itself", "d/l", { "d/f": "" }, { "d/l": "../d/l/x" }, { ok: false, problem: "loop" }],
  ["a NUL byte", "a.yaml", {}, { "a.yaml": "x\u0000y" }, { ok: false, problem: "broken" }],
])("a link to %s", async (_what, link, files, links, expected) => {
  expect(await resolve(link, files, links)).toMatchObject(expected);
});

test("a link to a submodule resolves to it (reported, not read)", async () => {
  expect(await resolve("v", {}, { v: "vendor/lib" }, ["vendor/lib"])).toEqual({ ok: true, kind: "submodule", path: "vendor/lib" });
});

const shared = policyDeps();
afterAll(() => shared.close());
const PRIVILEGED = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: a, image: nginx:1.27, securityContext: {privileged: true}}]\n";

function world(head: Record<string, string>, options: { links?: string[]; submodules?: Record<string, string>; base?: Record<string, string>; baseLinks?: string[] } = {}) {
  const REPO = { owner: "o", repo: "r" };
  const reader = new FakeRepoReader(REPO);
  const baseFiles = options.base ?? {};
  const base = reader.repo.commit(baseFiles, { branch: "main", ...(options.baseLinks ? { links: options.baseLinks } : {}) });
  const headSha = reader.repo.commit({ ...baseFiles, ...head }, { parents: [base], links: [...(options.baseLinks ?? []), ...(options.links ?? [])], ...(options.submodules ? { submodules: options.submodules } : {}) });
  reader.pulls.set(1, { base, head: headSha });
  const checks = new FakeCheckPublisher();
  const deps: PipelineDeps = { ...shared, reader, sources: new FakeSourceReader(reader), checks, comments: new FakeCommentStore(), log: new FakeLog() };
  const target = { repo: REPO, pull: 1, headSha, baseRef: "main", baseSha: base, changedFiles: Object.keys(head).length, draft: false, runKey: "d1" };
  const findings = () => (checks.runs[0]?.annotations ?? []).map((a) => ({ path: a.path, title: a.title, message: a.message }));
  return { reader, checks, deps, target, findings };
}

test("a changed link is judged as its target's content, under its path, naming the target", async () => {
  const w = world({ "deploy/evil.yaml": "../samples/bad.txt", "samples/bad.txt": PRIVILEGED }, { links: ["deploy/evil.yaml"] });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  expect(w.findings().filter((f) => f.title.includes("k8s-privileged"))).toEqual([
    expect.objectContaining({ path: "deploy/evil.yaml", message: expect.stringContaining("deploy/evil.yaml is a symbolic link to samples/bad.txt") }),
  ]);
});

test("a changed file behind an unchanged link is judged under the link's path too", async () => {
  // The link has deployed samples/app.txt for a while; this pull request changes what it holds.
  const w = world({ "samples/app.txt": PRIVILEGED }, { base: { "deploy/app.yaml": "../samples/app.txt", "samples/app.txt": "kind: ConfigMap\n" }, baseLinks: ["deploy/app.yaml"] });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  expect(w.findings().some((f) => f.path === "deploy/app.yaml" && f.title.includes("k8s-privileged"))).toBe(true);
});

test("a link to a folder judges the files below it as if they sat below the link", async () => {
  const w = world({ "deploy/prod/apps": "../../samples", "samples/pod.yaml": PRIVILEGED }, { links: ["deploy/prod/apps"], base: {} });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  const paths = w.findings().filter((f) => f.title.includes("k8s-privileged")).map((f) => f.path).sort();
  expect(paths).toEqual(["deploy/prod/apps/pod.yaml", "samples/pod.yaml"]);
});

test("a submodule among the changes is named as not evaluated", async () => {
  const w = world({ "deploy/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n" }, { submodules: { "vendor/charts": "f".repeat(40) } });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("success");
  expect(w.checks.runs[0]?.output?.summary).toMatch(/`vendor\/charts` is a submodule.*not evaluated/);
});

test("a file over the limit is refused by its size from the tree and never read", async () => {
  const big = `# ${"x".repeat(1000)}\n`.repeat(2200);
  const w = world({ "deploy/big.yaml": big });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  expect(w.findings()).toEqual([expect.objectContaining({ path: "deploy/big.yaml", title: expect.stringContaining("too large"), message: expect.stringContaining(`${Buffer.byteLength(big)} bytes`) })]);
  expect(w.reader.blobReads).not.toContain(blobSha(big));
});

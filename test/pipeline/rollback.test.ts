// The rollback command against fakes: who may, what the revert restores, conflicts, and
// records that cannot be trusted.
import { handleRollbackCommand, type RollbackDeps, type RollbackRequest } from "../../src/pipeline/rollback.js";
import type { ReleaseRecord } from "../../src/release/record.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeReleaseStore } from "../fakes/release-store.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeRevertWriter } from "../fakes/revert-writer.js";
import { blobSha } from "../fakes/repo.js";

const REPO = { owner: "acme", repo: "deploy" };
const CONFIG = ".github/gitops-gate.yml";

function world(config?: string) {
  const reader = new FakeRepoReader(REPO);
  const baseFiles: Record<string, string> = { "deploy/web.yaml": "image: v1\n", ...(config ? { [CONFIG]: config } : {}) };
  const before = reader.repo.commit(baseFiles, { branch: "main" });
  const mergeSha = reader.repo.commit({ ...baseFiles, "deploy/web.yaml": "image: v2\n", "deploy/new.yaml": "kind: ConfigMap\n" }, { parents: [before] });
  reader.repo.branches.set("main", mergeSha);
  const releases = new FakeReleaseStore();
  const record = {
    schema: "gitops-gate/release-record@1", beforeSha: before, mergeSha,
    environments: [{ environment: "main", rollback: { owners: ["@sre-lead"], warnings: [], restore: ["web: image v1"], revertCommand: `git revert ${mergeSha}` } }],
  } as unknown as ReleaseRecord;
  releases.records.set(mergeSha, { id: 1, title: "", summary: "", text: JSON.stringify(record) });
  const writer = new FakeRevertWriter();
  const replies = new FakeCommentStore();
  const log = new FakeLog();
  const deps: RollbackDeps = {
    reader, releases, writer, replies, log,
    pullState: async () => ({ merged: true, mergeSha, title: "Bump web", url: "https://github.example/pull/7" }),
  };
  const request = (commenter: string, body = "/gitops-gate rollback"): RollbackRequest => ({ repo: REPO, pull: 7, commenter, commenterType: "User", body, defaultBranch: "main" });
  return { reader, releases, writer, replies, log, deps, request, before, mergeSha };
}

type World = ReturnType<typeof world>;

test("a user with write access gets a revert pull request that restores every changed file", async () => {
  const w = world();
  w.reader.roles.set("dev", "write");
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("opened");
  expect(w.writer.commits[0]?.changes).toEqual(
    expect.arrayContaining([{ path: "deploy/web.yaml", sha: blobSha("image: v1\n"), kind: "file" }, { path: "deploy/new.yaml", sha: null }]),
  );
  expect(w.writer.pulls[0]).toMatchObject({ base: "main", title: 'Revert "Bump web"' });
  expect(w.replies.comments[0]?.body).toContain("opened https://github.example/pull/");
});

test.each([
  ["a rollback owner from the record", "sre-lead", undefined, "opened"],
  ["a user the config allows", "oncall", "rollback:\n  allowed: ['@oncall']\n", "opened"],
  ["anyone else", "visitor", undefined, "refused"],
] as const)("%s: %s", async (_who, user, config, outcome) => {
  const w = world(config);
  expect(await handleRollbackCommand(w.request(user), w.deps)).toBe(outcome);
  expect(w.writer.pulls).toHaveLength(outcome === "opened" ? 1 : 0);
});

test("an invalid config allows nobody extra, and the refusal says why", async () => {
  const w = world("rollback:\n  allowed: oncall\n");
  expect(await handleRollbackCommand(w.request("oncall"), w.deps)).toBe("refused");
  expect(w.replies.comments[0]?.body).toMatch(/rollback\.allowed.*was not read.*line 2 is invalid/);
});

test("a later commit to the same files is a conflict that names them", async () => {
  const w = world();
  w.reader.roles.set("dev", "admin");
  const later = w.reader.repo.commit({ "deploy/web.yaml": "image: v3\n", "deploy/new.yaml": "kind: ConfigMap\n" }, { parents: [w.mergeSha] });
  w.reader.repo.branches.set("main", later);
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("conflict");
  expect(w.replies.comments[0]?.body).toContain("`deploy/web.yaml`");
  expect(w.writer.commits).toHaveLength(0);
});

test.each([
  ["not JSON", "{oops"],
  ["another schema", JSON.stringify({ schema: "other@1", beforeSha: "x", environments: [] })],
])("a stored record that is %s is no record", async (_what, text) => {
  const w = world();
  w.reader.roles.set("dev", "write");
  w.releases.records.set(w.mergeSha, { id: 1, title: "", summary: "", text });
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("malformed");
  expect(w.replies.comments[0]?.body).toContain("no gitops-gate release record");
});

test("bots are ignored; other commands get the usage", async () => {
  const w = world();
  expect(await handleRollbackCommand({ ...w.request("ci"), commenterType: "Bot" }, w.deps)).toBe("ignored");
  expect(await handleRollbackCommand(w.request("dev", "/gitops-gate deploy"), w.deps)).toBe("malformed");
  expect(w.replies.comments[0]?.body).toContain("The command is `/gitops-gate rollback`");
});

test.each([
  ["about another merge", (w: World) => JSON.stringify({ schema: "gitops-gate/release-record@1", mergeSha: "0".repeat(40), beforeSha: w.before, environments: [] })],
  ["with a rollback target that is no commit id", (w: World) => JSON.stringify({ schema: "gitops-gate/release-record@1", mergeSha: w.mergeSha, beforeSha: "main~3", environments: [] })],
  ["with owners that are not a list of names", (w: World) => JSON.stringify({ schema: "gitops-gate/release-record@1", mergeSha: w.mergeSha, beforeSha: w.before, environments: [{ environment: "x", rollback: { owners: "@everyone", warnings: [], restore: [], revertCommand: "x" } }] })],
])("a stored record %s is no record", async (_what, text) => {
  const w = world();
  w.reader.roles.set("dev", "write");
  w.releases.records.set(w.mergeSha, { id: 1, title: "", summary: "", text: text(w) });
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("malformed");
  expect(w.writer.commits).toHaveLength(0);
});

test("a pull request that could not be opened: the reply says so, and the next command opens it on the same branch", async () => {
  const w = world();
  w.reader.roles.set("dev", "write");
  w.writer.failWith.openPull = Object.assign(new Error("Resource not accessible by integration secret-detail"), { status: 403 });
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("failed");
  const reply = w.replies.comments[0]?.body ?? "";
  expect(reply).toMatch(/the pull request could not be opened: GitHub refused the App access \(HTTP 403\)/);
  expect(reply).toContain("again");
  expect(reply).not.toContain("secret-detail");
  const [branch] = [...w.writer.branches.keys()];
  // Before issue 14 the next command answered "exists already; see its pull request" for ever.
  delete w.writer.failWith.openPull;
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("opened");
  expect(w.writer.pulls).toEqual([expect.objectContaining({ head: branch })]);
  // The branch now holds the fresh revert commit (reset, not a second branch).
  expect(w.writer.branches.get(branch ?? "")).toBe(w.writer.commits.at(-1)?.sha);
  expect(w.writer.branches.size).toBe(1);
});

test("an open revert pull request is pointed to; nothing new is written", async () => {
  const w = world();
  w.reader.roles.set("dev", "write");
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("opened");
  const commits = w.writer.commits.length;
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("exists");
  expect(w.replies.comments.at(-1)?.body).toContain("already open: https://github.example/pull/100");
  expect(w.writer.commits).toHaveLength(commits);
  expect(w.writer.pulls).toHaveLength(1);
});

test("a stale revert branch without a pull request is reset onto a fresh revert of the tip", async () => {
  const w = world();
  w.reader.roles.set("dev", "write");
  const branch = `gitops-gate/rollback-7-${w.mergeSha.slice(0, 7)}`;
  w.writer.branches.set(branch, "0".repeat(40));
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("opened");
  expect(w.writer.branches.get(branch)).toBe(w.writer.commits[0]?.sha);
  expect(w.writer.commits[0]?.parent).toBe(w.mergeSha);
});

test("any other failure gets a reply with a plain cause, and the raw error only in the log", async () => {
  const w = world();
  w.reader.roles.set("dev", "write");
  w.reader.failWith.diffCommits = Object.assign(new Error("Service Unavailable secret-detail"), { status: 503 });
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("failed");
  expect(w.replies.comments[0]?.body).toMatch(/^@dev the rollback could not be completed: GitHub's API was unavailable \(HTTP 503\)/);
  expect(w.replies.comments[0]?.body).not.toContain("secret-detail");
  expect(w.log.lines.some((l) => l.level === "error")).toBe(true);
});

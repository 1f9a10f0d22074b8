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
  return { reader, releases, writer, replies, deps, request, before, mergeSha };
}

test("a user with write access gets a revert pull request that restores every changed file", async () => {
  const w = world();
  w.reader.roles.set("dev", "write");
  expect(await handleRollbackCommand(w.request("dev"), w.deps)).toBe("opened");
  expect(w.writer.commits[0]?.changes).toEqual(
    expect.arrayContaining([{ path: "deploy/web.yaml", sha: blobSha("image: v1\n") }, { path: "deploy/new.yaml", sha: null }]),
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

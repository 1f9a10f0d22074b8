// Unreviewed pushes against fakes: which commits are reported, the issue kept in place, a
// redelivery and a resumed attempt, and what the issue keeps within GitHub's limits.
import { reportUnreviewed, type PushEvent, type UnreviewedDeps } from "../../src/pipeline/unreviewed.js";
import { readUnreviewedEntries, renderUnreviewedIssue, UNREVIEWED_LABEL, type UnreviewedEntry } from "../../src/render/unreviewed.js";
import { MAX_ISSUE_BODY } from "../../src/limits.js";
import { FakeIssueStore, FakeNamedChecks, FakePushReader } from "../fakes/audit.js";
import { FakeLog } from "../fakes/log.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { policyDeps } from "../helpers/policies.js";

const REPO = { owner: "acme", repo: "deploy" };
const shared = policyDeps();
afterAll(() => shared.close());
const CONFIG = ".github/gitops-gate.yml";
const web = (tag: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: r.example/web:${tag}\n`;

function world(config = "environments:\n  production: ['deploy/prod/**']\n") {
  const reader = new FakeRepoReader(REPO);
  const pulls = new FakePushReader();
  const checks = new FakeNamedChecks();
  const issues = new FakeIssueStore();
  const log = new FakeLog();
  const base = reader.repo.commit({ [CONFIG]: config, "deploy/prod/web.yaml": web("1"), "README.md": "a" }, { branch: "main" });
  const deps: UnreviewedDeps = { reader, pulls, checks, issues, log, botLogin: "gitops-gate[bot]", policyDigest: "d".repeat(64), pool: shared.pool, blobs: shared.blobs };
  const push = (after: string, before: string, commits: string[], extra: Partial<PushEvent> = {}): PushEvent => ({
    repo: REPO, branch: "main", defaultBranch: "main", before, after, forced: false, pusher: "mallory", sender: { login: "mallory", type: "User" },
    commits: commits.map((sha) => ({ sha, message: "change" })), ...extra,
  });
  return { reader, pulls, checks, issues, log, deps, base, push, commit: (files: Record<string, string>, parent: string) => reader.repo.commit({ [CONFIG]: config, ...files }, { parents: [parent] }) };
}

test("only commits that change evaluated paths are reported; one issue lists them", async () => {
  const w = world();
  const docs = w.commit({ "deploy/prod/web.yaml": web("1"), "README.md": "b" }, w.base);
  const bump = w.commit({ "deploy/prod/web.yaml": web("2"), "README.md": "b" }, docs);
  expect(await reportUnreviewed(w.push(bump, w.base, [docs, bump]), w.deps)).toBe("reported");
  expect(w.checks.runs.map((r) => [r.headSha, r.conclusion])).toEqual([[bump, "failure"]]);
  expect(w.issues.issues).toHaveLength(1);
  const { entries } = readUnreviewedEntries(w.issues.issues[0]?.body ?? "");
  expect(entries).toEqual([expect.objectContaining({ sha: bump, pusher: "mallory", files: ["deploy/prod/web.yaml"], images: [expect.objectContaining({ environment: "production", before: "r.example/web:1", after: "r.example/web:2" })] })]);
  expect(w.log.lines.filter((l) => (l.obj as { audit?: string }).audit === "unreviewed-push")).toHaveLength(1);
});

test("a merge's own commits ride with its merge commit; an open pull request's commit pushed directly is reported", async () => {
  const w = world();
  const feature = w.commit({ "deploy/prod/web.yaml": web("2") }, w.base);
  const merge = w.reader.repo.commit({ [CONFIG]: "environments:\n  production: ['deploy/prod/**']\n", "deploy/prod/web.yaml": web("2") }, { parents: [w.base, feature] });
  w.pulls.pulls.set(feature, [{ number: 5, merged: true, mergeSha: merge }]);
  w.pulls.pulls.set(merge, [{ number: 5, merged: true, mergeSha: merge }]);
  expect(await reportUnreviewed(w.push(merge, w.base, [feature, merge]), w.deps)).toBe("reviewed");
  // An open (unmerged) pull request's commit pushed straight to the branch is unreviewed.
  const sneaky = w.commit({ "deploy/prod/web.yaml": web("3") }, merge);
  w.pulls.pulls.set(sneaky, [{ number: 6, merged: false, mergeSha: null }]);
  expect(await reportUnreviewed(w.push(sneaky, merge, [sneaky]), w.deps)).toBe("reported");
});

test("not reported: the App's own pushes, other branches, an invalid push target", async () => {
  const w = world();
  const c = w.commit({ "deploy/prod/web.yaml": web("2") }, w.base);
  expect(await reportUnreviewed(w.push(c, w.base, [c], { sender: { login: "gitops-gate[bot]", type: "Bot" } }), w.deps)).toBe("skipped");
  expect(await reportUnreviewed(w.push(c, w.base, [c], { branch: "feature" }), w.deps)).toBe("skipped");
  expect(await reportUnreviewed(w.push("0".repeat(40), w.base, []), w.deps)).toBe("skipped");
  // Another bot with a look-alike login is reported.
  expect(await reportUnreviewed(w.push(c, w.base, [c], { sender: { login: "gitops-gate-evil[bot]", type: "Bot" } }), w.deps)).toBe("reported");
  expect(w.pulls.asked).toEqual([c]);
});

test("configured release branches replace the default branch", async () => {
  const w = world("release:\n  branches: [production]\n");
  const c = w.commit({ "deploy/prod/web.yaml": web("2") }, w.base);
  expect(await reportUnreviewed(w.push(c, w.base, [c]), w.deps)).toBe("skipped");
  expect(await reportUnreviewed(w.push(c, w.base, [c], { branch: "production" }), w.deps)).toBe("reported");
});

test("a redelivery adds nothing; an attempt that stopped before the issue is finished from the check run", async () => {
  const w = world();
  const c = w.commit({ "deploy/prod/web.yaml": web("2") }, w.base);
  await reportUnreviewed(w.push(c, w.base, [c]), w.deps);
  await reportUnreviewed(w.push(c, w.base, [c]), w.deps);
  expect(w.checks.runs).toHaveLength(1);
  expect(w.issues.issues).toHaveLength(1);
  expect(w.issues.issues[0]?.updates).toBe(0);
  // The issue is lost (a crash before it was written; or a maintainer closed it): the run restores its entry.
  w.issues.issues.length = 0;
  await reportUnreviewed(w.push(c, w.base, [c]), w.deps);
  expect(readUnreviewedEntries(w.issues.issues[0]?.body ?? "").entries.map((e) => e.sha)).toEqual([c]);
  expect(w.checks.runs).toHaveLength(1);
});

test("a force push is one change from the old tip to the new one", async () => {
  const w = world();
  const old = w.commit({ "deploy/prod/web.yaml": web("5") }, w.base);
  const rewritten = w.commit({ "deploy/prod/web.yaml": web("2") }, w.base);
  expect(await reportUnreviewed(w.push(rewritten, old, [rewritten], { forced: true }), w.deps)).toBe("reported");
  expect(w.pulls.asked).toEqual([]);
  const entry = readUnreviewedEntries(w.issues.issues[0]?.body ?? "").entries[0];
  expect(entry).toMatchObject({ forced: true, before: old, sha: rewritten, images: [expect.objectContaining({ before: "r.example/web:5", after: "r.example/web:2" })] });
});

test("the issue body stays within GitHub's limit and keeps its data readable", () => {
  const entry = (i: number): UnreviewedEntry => ({
    sha: i.toString(16).padStart(40, "0"), before: "0".repeat(40), forced: false, pusher: "mallory", at: "2026-12-01T00:00:00Z", checkUrl: "https://github.example/runs/1",
    files: Array.from({ length: 20 }, (_, n) => `deploy/prod/${"x".repeat(150)}-${n}.yaml`), moreFiles: 3, images: [], warnings: ["production: PersistentVolumeClaim removed"],
  });
  const body = renderUnreviewedIssue("main", Array.from({ length: 60 }, (_, i) => entry(i)));
  expect(body.length).toBeLessThanOrEqual(MAX_ISSUE_BODY);
  const read = readUnreviewedEntries(body);
  expect(read.entries.length).toBeGreaterThan(0);
  expect(read.entries.length + read.earlier).toBe(60);
  // The newest are kept.
  expect(read.entries.at(-1)?.sha).toBe(entry(59).sha);
  expect(body).toContain(`${read.earlier} earlier push(es)`);
  expect(body).toContain(UNREVIEWED_LABEL);
});

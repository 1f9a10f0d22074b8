// Issue 4 end to end: release records on merge, and rollback as a reviewed pull request.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { ROOT } from "../helpers/corpus.js";
import { AppUnderTest, example, until } from "./harness.js";
import type { PullRequest } from "./emulator.js";
import type { ReleaseRecord } from "../../src/release/record.js";

const web = (image: string, replicas: number, ns = "shop") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: web
          image: ${image}
`;

const DB = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
`;

const CONFIG = `environments:
  production:
    paths: ["deploy/prod/**"]
  staging:
    paths: ["deploy/staging/**"]
    owners: ["@alice"]
`;

let app: AppUnderTest;
const validateRecord = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, "docs", "release-record.schema.json"), "utf8")) as object);

function releaseRecords(): unknown[] {
  return app.github.checkRuns.filter((r) => r.name === "gitops-gate/release").map((r) => JSON.parse(r.output.text ?? "{}"));
}

beforeAll(async () => {
  app = new AppUnderTest();
  await app.start();
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
  // Every record published so far fits the documented schema.
  for (const record of releaseRecords()) {
    validateRecord(record);
    expect(validateRecord.errors ?? []).toEqual([]);
  }
});


/** Opens a pull request from `base` files to `head` files on main, then merges it the given way. */
function mergedPull(number: number, base: Record<string, string>, head: Record<string, string>, method: "merge" | "squash" = "merge"): PullRequest {
  const gh = app.github;
  const baseSha = gh.commit(base, { message: "base" });
  const headSha = gh.commit(head, { parents: [baseSha], message: "change" });
  const pr = gh.openPull({ number, head: headSha, base: baseSha, baseRef: "main", draft: false, title: `Change ${number}`, body: "Rolls out the new web.\n\nFixes #41, closes #42" });
  const mergeSha = method === "merge"
    ? gh.commit(head, { parents: [baseSha, headSha], message: `Merge pull request #${number} from acme/feature` })
    : gh.commit(head, { parents: [baseSha], message: `Change ${number} (#${number})` });
  gh.branches.set("main", mergeSha);
  pr.merged = true;
  pr.mergeSha = mergeSha;
  return pr;
}

function releaseRun(sha: string) {
  return app.github.checkRuns.find((r) => r.head_sha === sha && r.name === "gitops-gate/release");
}

async function deliverMerge(pr: PullRequest, id?: string) {
  const payload = app.pullRequestPayload("closed", pr);
  (payload["pull_request"] as Record<string, unknown>)["labels"] = [{ id: 1, node_id: "x", url: "", name: "release", color: "fff", default: false, description: null }];
  return app.deliver("pull_request", payload, id ? { id } : {});
}

test("a merge that bumps an image in production gets a release record on its merge commit", async () => {
  const gh = app.github;
  const base = { ".github/gitops-gate.yml": CONFIG, ".github/CODEOWNERS": "/deploy/prod/ @acme/sre\n", "deploy/prod/web.yaml": web("registry.example.com/web:1.4.0", 2), "deploy/staging/web.yaml": web("registry.example.com/web:1.5.0", 1) };
  const pr = mergedPull(1, base, { ...base, "deploy/prod/web.yaml": web("registry.example.com/web:1.5.0@sha256:" + "ab".repeat(32), 3) });
  // The policy check at the head, and the reviews at (and before) it.
  await app.deliver("pull_request", app.pullRequestPayload("synchronize", { ...pr, merged: false }));
  gh.reviews.set(1, [
    { user: "alice", state: "APPROVED", commit: pr.head },
    { user: "bob", state: "APPROVED", commit: pr.base },
    { user: "carol", state: "CHANGES_REQUESTED", commit: pr.head },
    { user: "carol", state: "APPROVED", commit: pr.head },
  ]);
  await deliverMerge(pr);
  const run = await until(() => releaseRun(pr.mergeSha ?? ""));
  expect(run).toMatchObject({ status: "completed", conclusion: "neutral" });

  // A later GET of the merge commit's check runs gives the JSON back unchanged.
  const res = await fetch(`http://${app.githubHost}/api/v3/repos/acme/deploy/commits/${pr.mergeSha}/check-runs?check_name=gitops-gate%2Frelease`);
  const listed = (await res.json()) as { check_runs: Array<{ output: { text: string } }> };
  const record = JSON.parse(listed.check_runs[0]?.output.text ?? "{}") as ReleaseRecord;
  expect(JSON.parse(run?.output.text ?? "")).toEqual(record);

  expect(record).toMatchObject({
    schema: "gitops-gate/release-record@1",
    pullRequest: { number: 1, title: "Change 1", labels: ["release"], linkedIssues: [41, 42] },
    approvedBy: ["alice", "carol"],
    mergedBy: "mergebot-human",
    mergeSha: pr.mergeSha,
    beforeSha: pr.base,
    mergeMethod: "merge",
    // The image bump introduces nothing: the manifest's old findings are pre-existing (verdict: new).
    policy: { verdict: "success", waivers: [] },
    manifestsChanged: true,
  });
  expect(record.policy.preExisting).toBeGreaterThan(0);
  expect(record.environments.map((e) => e.environment)).toEqual(["production"]);
  const prod = record.environments[0];
  expect(prod?.images).toEqual([{ workload: "Deployment/shop/web", container: "web", before: "registry.example.com/web:1.4.0", after: `registry.example.com/web:1.5.0@sha256:${"ab".repeat(32)}` }]);
  expect(prod?.replicas).toEqual([{ resource: "Deployment/shop/web", before: 2, after: 3 }]);
  expect(prod?.rollback).toMatchObject({ owners: ["@acme/sre"], ownersFrom: "CODEOWNERS", revertCommand: `git revert -m 1 ${pr.mergeSha}` });
  expect(prod?.rollback.restore).toContain("Deployment/shop/web container web: image registry.example.com/web:1.4.0");
  expect(run?.output.summary).toContain("Rollback** (owner: @acme/sre, from CODEOWNERS)");

  const comments = gh.comments.filter((c) => c.issue === 1 && c.body.includes("gitops-gate:release-record"));
  expect(comments).toHaveLength(1);
  expect(comments[0]?.body).toContain("approved by @alice, @carol");
});

test("a merge that deletes a StatefulSet warns that a revert will not restore data", async () => {
  const base = { "deploy/db.yaml": DB, "deploy/web.yaml": web("web:1.0.0", 1) };
  const pr = mergedPull(2, base, { "deploy/web.yaml": web("web:1.0.0", 1) });
  await deliverMerge(pr);
  const record = JSON.parse((await until(() => releaseRun(pr.mergeSha ?? "")))?.output.text ?? "{}") as ReleaseRecord;
  const env = record.environments[0];
  expect(env?.environment).toBe("main");
  expect(env?.removed).toEqual([{ kind: "StatefulSet", namespace: "shop", name: "db" }]);
  expect(env?.rollback.warnings).toEqual(["A revert will not restore data: StatefulSet/shop/db is deleted: its volumes and their data are not restored by a revert."]);
  expect(env?.rollback.owners).toEqual(["@mergebot-human"]);
  expect(releaseRun(pr.mergeSha ?? "")?.output.summary).toContain("⚠️ A revert will not restore data");
});

test("a merge with no manifests gets a short record", async () => {
  const pr = mergedPull(3, { "README.md": "a\n" }, { "README.md": "b\n" });
  await deliverMerge(pr);
  const run = await until(() => releaseRun(pr.mergeSha ?? ""));
  expect(run?.output.title).toBe("Merge of #3: no manifests changed");
  expect(JSON.parse(run?.output.text ?? "{}")).toMatchObject({ manifestsChanged: false, environments: [] });
});

test("a squash merge records the right revert command", async () => {
  const base = { "deploy/web.yaml": web("web:1.0.0", 1) };
  const pr = mergedPull(4, base, { "deploy/web.yaml": web("web:1.1.0", 1) }, "squash");
  await deliverMerge(pr);
  const record = JSON.parse((await until(() => releaseRun(pr.mergeSha ?? "")))?.output.text ?? "{}") as ReleaseRecord;
  expect(record.mergeMethod).toBe("squash");
  expect(record.environments[0]?.rollback.revertCommand).toBe(`git revert ${pr.mergeSha}`);
});

test("a redelivered merge event writes nothing twice", async () => {
  const base = { "deploy/web.yaml": web("web:1.0.0", 1) };
  const pr = mergedPull(5, base, { "deploy/web.yaml": web("web:2.0.0", 1) });
  const first = await deliverMerge(pr);
  await until(() => releaseRun(pr.mergeSha ?? ""));
  await deliverMerge(pr, first.id);
  await deliverMerge(pr);
  expect(app.github.checkRuns.filter((r) => r.head_sha === pr.mergeSha && r.name === "gitops-gate/release")).toHaveLength(1);
  expect(app.github.comments.filter((c) => c.issue === 5)).toHaveLength(1);
});

let commentIds = 5_000_000;

function commentPayload(pr: PullRequest, user: string, body: string, type = "User"): Record<string, unknown> {
  const payload = app.aim(example("issue_comment", "created"));
  const issue = payload["issue"] as Record<string, unknown>;
  Object.assign(issue, { number: pr.number, title: pr.title, pull_request: { url: "", html_url: "", diff_url: "", patch_url: "" } });
  const comment = payload["comment"] as Record<string, unknown>;
  // Every comment has an id of its own on GitHub (the App keys command jobs by it).
  Object.assign(comment, { id: ++commentIds, body, user: { ...(comment["user"] as object), login: user, type } });
  return payload;
}

test("/gitops-gate rollback by an allowed user opens a revert pull request that restores the base tree", async () => {
  const gh = app.github;
  const base = { "deploy/web.yaml": web("web:1.0.0", 1), "deploy/db.yaml": DB, "README.md": "r\n" };
  const pr = mergedPull(6, base, { "deploy/web.yaml": web("web:2.0.0", 4), "README.md": "r\n", "deploy/new.yaml": web("new:1.0.0", 1, "other") });
  await deliverMerge(pr);
  await until(() => releaseRun(pr.mergeSha ?? ""));
  // An unrelated later commit on main does not stop a clean revert.
  const later = gh.commit({ ...Object.fromEntries(gh.filesAt(pr.mergeSha ?? "")), "docs/notes.md": "n\n" }, { parents: [pr.mergeSha ?? ""] });
  gh.branches.set("main", later);
  gh.roles.set("dana", "write");
  const pulls = gh.pulls.size;
  await app.deliver("issue_comment", commentPayload(pr, "dana", "/gitops-gate rollback"));
  const revert = await until(() => [...gh.pulls.values()].find((p) => p.title === 'Revert "Change 6"'));
  expect(gh.pulls.size).toBe(pulls + 1);
  expect(revert?.baseRef).toBe("main");
  expect(revert?.body).toContain("https://github.example/acme/deploy/pull/6");
  const tree = gh.filesAt(revert?.head ?? "");
  const before = gh.filesAt(pr.base);
  for (const path of ["deploy/web.yaml", "deploy/db.yaml", "README.md"]) expect(tree.get(path)).toBe(before.get(path));
  expect(tree.has("deploy/new.yaml")).toBe(false);
  expect(tree.get("docs/notes.md")).toBe("n\n");
  expect(gh.comments.some((c) => c.issue === 6 && c.body.startsWith("@dana opened"))).toBe(true);
  // The revert goes through the same check as any change.
  await app.deliver("pull_request", app.pullRequestPayload("opened", revert as PullRequest));
  expect(await until(() => gh.checkRuns.find((r) => r.head_sha === revert?.head && r.name === "gitops-gate" && r.status === "completed"))).toBeDefined();
});

test("an outsider's rollback command is refused and writes nothing", async () => {
  const gh = app.github;
  const pr = mergedPull(7, { "deploy/web.yaml": web("web:1.0.0", 1) }, { "deploy/web.yaml": web("web:3.0.0", 1) });
  await deliverMerge(pr);
  await until(() => releaseRun(pr.mergeSha ?? ""));
  const branches = gh.branches.size;
  const pulls = gh.pulls.size;
  await app.deliver("issue_comment", commentPayload(pr, "mallory", "/gitops-gate rollback"));
  const reply = await until(() => gh.comments.find((c) => c.issue === 7 && c.body.startsWith("@mallory")));
  expect(reply?.body).toContain("you may not roll this back");
  expect(gh.branches.size).toBe(branches);
  expect(gh.pulls.size).toBe(pulls);
  // Bots, the App included, are ignored entirely; malformed commands get a short reply.
  const replies = gh.comments.filter((c) => c.issue === 7).length;
  await app.deliver("issue_comment", commentPayload(pr, "deploy-bot[bot]", "/gitops-gate rollback", "Bot"));
  expect(gh.comments.filter((c) => c.issue === 7)).toHaveLength(replies);
  gh.roles.set("erin", "admin");
  await app.deliver("issue_comment", commentPayload(pr, "erin", "/gitops-gate rollbak now"));
  expect((await until(() => gh.comments.find((c) => c.issue === 7 && c.body.startsWith("@erin"))))?.body).toContain("unknown command");
  expect(gh.pulls.size).toBe(pulls);
});

test("a rollback after a conflicting later commit is refused with the paths", async () => {
  const gh = app.github;
  const pr = mergedPull(8, { "deploy/web.yaml": web("web:1.0.0", 1) }, { "deploy/web.yaml": web("web:4.0.0", 1) });
  await deliverMerge(pr);
  await until(() => releaseRun(pr.mergeSha ?? ""));
  const later = gh.commit({ "deploy/web.yaml": web("web:4.0.1", 1) }, { parents: [pr.mergeSha ?? ""] });
  gh.branches.set("main", later);
  gh.roles.set("dana", "write");
  const pulls = gh.pulls.size;
  await app.deliver("issue_comment", commentPayload(pr, "dana", "/gitops-gate rollback"));
  const reply = await until(() => gh.comments.find((c) => c.issue === 8 && c.body.startsWith("@dana")));
  expect(reply?.body).toContain("a clean revert is not possible");
  expect(reply?.body).toContain("- `deploy/web.yaml`");
  expect(gh.pulls.size).toBe(pulls);
});

test("with release.tags, an annotated tag and a GitHub release per environment", async () => {
  const gh = app.github;
  const base = { ".github/gitops-gate.yml": `${CONFIG}release:\n  tags: true\n`, "deploy/prod/web.yaml": web("web:1.0.0", 2), "deploy/staging/web.yaml": web("web:1.0.0", 1) };
  const pr = mergedPull(9, base, { ...base, "deploy/prod/web.yaml": web("web:1.1.0", 2), "deploy/staging/web.yaml": web("web:1.1.0", 1) });
  await deliverMerge(pr);
  await until(() => releaseRun(pr.mergeSha ?? ""));
  await until(() => (gh.releases.length >= 2 ? true : undefined));
  expect([...gh.tags.keys()].filter((t) => t.endsWith("/pr-9")).sort()).toEqual(["release/production/pr-9", "release/staging/pr-9"]);
  const prod = gh.releases.find((r) => r.tag_name === "release/production/pr-9");
  expect(prod?.body).toContain("Environment `production`");
  expect(prod?.body).not.toContain("Environment `staging`");
  expect(gh.tagObjects.get(gh.tags.get("release/production/pr-9") ?? "")?.object).toBe(pr.mergeSha);
});

test("an edited comment does not count as a rollback command", async () => {
  const gh = app.github;
  const pr = mergedPull(10, { "deploy/web.yaml": web("web:1.0.0", 1) }, { "deploy/web.yaml": web("web:5.0.0", 1) });
  await deliverMerge(pr);
  await until(() => releaseRun(pr.mergeSha ?? ""));
  gh.roles.set("dana", "write");
  const payload = commentPayload(pr, "dana", "/gitops-gate rollback");
  payload["action"] = "edited";
  payload["changes"] = { body: { from: "looks good" } };
  const before = { pulls: gh.pulls.size, comments: gh.comments.length };
  expect((await app.deliver("issue_comment", payload)).status).toBe(202);
  expect({ pulls: gh.pulls.size, comments: gh.comments.length }).toEqual(before);
});

test("release.without_manifests: none writes no record for a merge without manifests", async () => {
  const config = "release:\n  without_manifests: none\n";
  const pr = mergedPull(11, { ".github/gitops-gate.yml": config, "README.md": "a\n" }, { ".github/gitops-gate.yml": config, "README.md": "b\n" });
  const { status } = await deliverMerge(pr);
  expect(status).toBe(202);
  expect(releaseRun(pr.mergeSha ?? "")).toBeUndefined();
  expect(app.github.comments.filter((c) => c.issue === 11)).toHaveLength(0);
});

test("a merge into a branch that is not a release branch gets no record", async () => {
  const pr = mergedPull(12, { "deploy/web.yaml": web("web:1.0.0", 1) }, { "deploy/web.yaml": web("web:6.0.0", 1) });
  pr.baseRef = "develop";
  expect((await deliverMerge(pr)).status).toBe(202);
  expect(releaseRun(pr.mergeSha ?? "")).toBeUndefined();
});

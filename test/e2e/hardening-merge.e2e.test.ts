// Issue 14 end to end, merge side: only this App's check runs are trusted (a run named
// gitops-gate by another App forges neither a verdict nor a rollback target), rollback
// resumes after a failure half way, and a 250-manifest merge keeps a record that rolls back.
import { AppUnderTest, example, until } from "./harness.js";
import type { PullRequest } from "./emulator.js";
import type { ReleaseRecord } from "../../src/release/record.js";
import { MAX_CHECK_OUTPUT } from "../../src/limits.js";

const web = (name: string, image: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

/** Another App with checks:write, as GitHub lists its runs. */
const MALLORY = { id: 666, slug: "mallory-ci" };

let app: AppUnderTest;

beforeAll(async () => {
  app = new AppUnderTest();
  await app.start();
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
});


function mergedPull(number: number, base: Record<string, string>, head: Record<string, string>): PullRequest {
  const gh = app.github;
  const baseSha = gh.commit(base, { message: "base" });
  gh.branches.set("main", baseSha);
  const headSha = gh.commit(head, { parents: [baseSha], message: "change" });
  const pr = gh.openPull({ number, head: headSha, base: baseSha, baseRef: "main", draft: false, title: `Change ${number}` });
  const mergeSha = gh.commit(head, { parents: [baseSha, headSha], message: `Merge pull request #${number} from acme/feature` });
  gh.branches.set("main", mergeSha);
  pr.merged = true;
  pr.mergeSha = mergeSha;
  return pr;
}

const releaseRun = (sha: string) => app.github.checkRuns.find((r) => r.head_sha === sha && r.name === "gitops-gate/release" && r.app.id === 123);

function forge(sha: string, name: string, output: { title: string; summary: string; text?: string }, conclusion = "success") {
  app.github.checkRuns.push({ id: 900_000 + app.github.checkRuns.length, head_sha: sha, name, external_id: "", status: "completed", conclusion, output: { ...output, annotations: [] }, updates: 0, app: MALLORY, started_at: new Date().toISOString() });
}

let commentIds = 6_000_000;

function command(pr: PullRequest, user: string, body = "/gitops-gate rollback"): Record<string, unknown> {
  const payload = app.aim(example("issue_comment", "created"));
  Object.assign(payload["issue"] as object, { number: pr.number, title: pr.title, pull_request: { url: "", html_url: "", diff_url: "", patch_url: "" } });
  const comment = payload["comment"] as Record<string, unknown>;
  // Every comment has an id of its own on GitHub (the App keys command jobs by it).
  Object.assign(comment, { id: ++commentIds, body, user: { ...(comment["user"] as object), login: user, type: "User" } });
  return payload;
}

test("a gitops-gate check run by another App forges neither the verdict nor the release record", async () => {
  const gh = app.github;
  const pr = mergedPull(1, { "deploy/web.yaml": web("web", "web:1.0.0") }, { "deploy/web.yaml": web("web", "web:2.0.0") });
  // Mallory's "passing" verdict at the head, and a release record on the merge commit whose
  // rollback target is a commit of Mallory's choosing.
  const verdict = '<!-- gitops-gate:verdict {"v":1,"conclusion":"success","headSha":"x","headline":"✅ forged","blocking":0,"denied":0,"warnings":0,"errors":0,"waived":0} -->';
  forge(pr.head, "gitops-gate", { title: "Passed", summary: verdict });
  const planted = gh.commit({ "deploy/web.yaml": web("web", "mallory/backdoor:1") }, { message: "planted" });
  const fake = { schema: "gitops-gate/release-record@1", repository: "acme/deploy", mergeSha: pr.mergeSha, beforeSha: planted, environments: [{ environment: "main", rollback: { owners: ["@mallory"], warnings: [], restore: [], revertCommand: "x", oneClick: "x", ownersFrom: "config" } }] };
  forge(pr.mergeSha ?? "", "gitops-gate/release", { title: "Release", summary: "", text: JSON.stringify(fake) }, "neutral");

  await app.deliver("pull_request", app.pullRequestPayload("closed", pr));
  const run = await until(() => releaseRun(pr.mergeSha ?? ""));
  expect(run).toBeDefined();
  const record = JSON.parse(run?.output.text ?? "{}") as ReleaseRecord;
  expect(record.policy.verdict).toBe("not evaluated");
  expect(record.beforeSha).toBe(pr.base);

  // The rollback restores the state before the merge, not Mallory's commit; Mallory is no owner.
  gh.roles.set("dana", "write");
  await app.deliver("issue_comment", command(pr, "dana"));
  const revert = await until(() => [...gh.pulls.values()].find((p) => p.title === 'Revert "Change 1"'));
  expect(gh.filesAt(revert?.head ?? "").get("deploy/web.yaml")).toBe(web("web", "web:1.0.0"));
  await app.deliver("issue_comment", command(pr, "mallory"));
  expect((await until(() => gh.comments.find((c) => c.issue === 1 && c.body.startsWith("@mallory"))))?.body).toContain("you may not roll this back");
});

test("a rollback whose pull request could not be opened resumes on the next command", async () => {
  const gh = app.github;
  const pr = mergedPull(2, { "deploy/web.yaml": web("web", "web:1.0.0") }, { "deploy/web.yaml": web("web", "web:3.0.0") });
  await app.deliver("pull_request", app.pullRequestPayload("closed", pr));
  await until(() => releaseRun(pr.mergeSha ?? ""));
  gh.roles.set("dana", "write");
  // The branch is created, then opening the pull request fails.
  gh.failures.push({ method: "POST", path: /^\/repos\/acme\/deploy\/pulls$/, status: 403, times: 1 });
  await app.deliver("issue_comment", command(pr, "dana"));
  const failed = await until(() => gh.comments.find((c) => c.issue === 2 && c.body.startsWith("@dana")));
  expect(failed?.body).toMatch(/could not open|comment .*again/i);
  const branch = [...gh.branches.keys()].find((b) => b.startsWith("gitops-gate/rollback-2-"));
  expect(branch).toBeDefined();
  // Meanwhile someone moved the branch; the next command resets it and opens the pull request.
  gh.branches.set(branch ?? "", pr.base);
  await app.deliver("issue_comment", command(pr, "dana"));
  const revert = await until(() => [...gh.pulls.values()].find((p) => p.title === 'Revert "Change 2"'));
  expect(revert?.headRef).toBe(branch);
  expect(gh.filesAt(revert?.head ?? "").get("deploy/web.yaml")).toBe(web("web", "web:1.0.0"));
  // A third command points at the open pull request instead of failing or opening another.
  const pulls = gh.pulls.size;
  await app.deliver("issue_comment", command(pr, "dana"));
  const pointed = await until(() => gh.comments.filter((c) => c.issue === 2 && c.body.startsWith("@dana")).at(3) ?? gh.comments.filter((c) => c.issue === 2 && c.body.startsWith("@dana")).find((c) => c.body.includes("already open")));
  expect(pointed?.body).toContain(`/pull/${revert?.number}`);
  expect(gh.pulls.size).toBe(pulls);
});

test("a 250-manifest merge keeps a record within GitHub's limit, and rolls back", async () => {
  const gh = app.github;
  const base: Record<string, string> = {};
  const head: Record<string, string> = {};
  for (let i = 0; i < 250; i++) {
    const name = `service-with-a-rather-long-name-${String(i).padStart(3, "0")}`;
    base[`deploy/prod/${name}.yaml`] = web(name, `registry.example.com/platform/team/${name}:1.0.0`, 2);
    head[`deploy/prod/${name}.yaml`] = web(name, `registry.example.com/platform/team/${name}:2.0.0@sha256:${"ab".repeat(32)}`, 3);
  }
  const pr = mergedPull(3, base, head);
  await app.deliver("pull_request", app.pullRequestPayload("closed", pr));
  const run = await until(() => releaseRun(pr.mergeSha ?? ""), 120_000);
  expect(run).toBeDefined();
  expect((run?.output.text ?? "").length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  expect((run?.output.summary ?? "").length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  const record = JSON.parse(run?.output.text ?? "{}") as ReleaseRecord;
  expect(record.beforeSha).toBe(pr.base);

  gh.roles.set("dana", "write");
  await app.deliver("issue_comment", command(pr, "dana"));
  const revert = await until(() => [...gh.pulls.values()].find((p) => p.title === 'Revert "Change 3"'), 120_000);
  expect(revert).toBeDefined();
  const tree = gh.filesAt(revert?.head ?? "");
  for (const [path, content] of Object.entries(base)) expect(tree.get(path)).toBe(content);
}, 240_000);

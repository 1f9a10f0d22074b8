// Issue 15 end to end: what bypasses review. Direct pushes to a release branch (a check run
// and one issue per branch), merges and the App's own pushes left alone, force pushes with
// both SHAs; whether gitops-gate is enforced (rulesets and branch protection read, never
// written); the baseline of the default branch with new and resolved findings.
import { createRequire } from "node:module";
import { AppUnderTest, until } from "./harness.js";
import type { CheckRun, RepoState } from "./emulator.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

const web = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: ${image}
`;
const CONFIG = `environments:
  production:
    paths: ["deploy/prod/**"]
`;

let app: AppUnderTest;

beforeAll(async () => {
  app = new AppUnderTest();
  // The schedule is the reconciler's; this file delivers every event itself.
  await app.start({ env: { RECONCILE: "off" } });
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
  // Every check run the App starts ends completed.
  for (const repo of app.github.repos.values()) expect(repo.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
});

/** The real `push` example payload, aimed at `repo`: a push of `commits` to `branch`. */
function pushPayload(repo: RepoState, params: { branch: string; before: string; after: string; commits: Array<{ sha: string; message?: string; modified?: string[]; added?: string[] }>; forced?: boolean; sender?: { login: string; type: string } }): Record<string, unknown> {
  const payload = structuredClone(examples.find((e) => e.name === "push")?.examples.find((x) => String(x["ref"]).startsWith("refs/heads/")) ?? {}) as Record<string, unknown>;
  const repository = payload["repository"] as Record<string, unknown>;
  Object.assign(repository, { id: repo.id, name: repo.name, full_name: repo.fullName, default_branch: repo.defaultBranch, master_branch: repo.defaultBranch });
  (repository["owner"] as Record<string, unknown>)["login"] = repo.owner;
  (repository["owner"] as Record<string, unknown>)["name"] = repo.owner;
  payload["installation"] = { id: repo.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMjMxMTIxMw==" };
  const sender = params.sender ?? { login: "mallory", type: "User" };
  Object.assign(payload, { ref: `refs/heads/${params.branch}`, before: params.before, after: params.after, forced: params.forced ?? false, created: false, deleted: false });
  payload["pusher"] = { name: sender.login, email: `${sender.login}@example.com` };
  Object.assign(payload["sender"] as object, sender);
  const template = (payload["head_commit"] ?? (payload["commits"] as unknown[])[0]) as Record<string, unknown>;
  payload["commits"] = params.commits.map((c) => ({ ...template, id: c.sha, tree_id: c.sha, message: c.message ?? "hotfix", added: c.added ?? [], removed: [], modified: c.modified ?? [] }));
  payload["head_commit"] = (payload["commits"] as unknown[]).at(-1) ?? null;
  return payload;
}

const runsNamed = (repo: RepoState, name: string, sha?: string): CheckRun[] => repo.checkRuns.filter((r) => r.name === name && (!sha || r.head_sha === sha));
const issuesLabelled = (repo: RepoState, label: string) => repo.issues.filter((i) => i.labels.includes(label));

describe("unreviewed pushes to a release branch", () => {
  const gh = () => app.github;
  let base = "";
  let first = "";
  let second = "";

  test("a direct push that changes deploy/prod/ gets a failing check run and an issue with the image change", async () => {
    const repo = gh().main;
    base = gh().commit({ ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:1.4.0"), "README.md": "hi\n" }, { message: "base" });
    first = gh().commit({ ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:1.5.0"), "README.md": "hi\n" }, { parents: [base], message: "hotfix: web 1.5.0" });
    repo.branches.set("main", first);
    const { id } = await app.deliver("push", pushPayload(repo, { branch: "main", before: base, after: first, commits: [{ sha: first, message: "hotfix: web 1.5.0", modified: ["deploy/prod/web.yaml"] }] }));

    const [run] = runsNamed(repo, "gitops-gate/unreviewed", first);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run?.output.summary).toContain("without a pull request");
    expect(run?.output.summary).toContain("@mallory");
    expect(run?.output.summary).toContain("`deploy/prod/web.yaml`");
    expect(run?.output.summary).toContain("#### Environment `production`");
    expect(run?.output.summary).toMatch(/Image `Deployment\/shop\/web` container `web`: `registry\.example\.com\/web` tag `1\.4\.0` → `registry\.example\.com\/web` tag `1\.5\.0`/);

    const issues = issuesLabelled(repo, "gitops-gate:unreviewed");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: "open", title: "Unreviewed pushes to main", user: { login: "gitops-gate[bot]", type: "Bot" } });
    expect(issues[0]?.body).toContain("<!-- gitops-gate:unreviewed:main -->");
    expect(issues[0]?.body).toContain(first.slice(0, 12));
    expect(issues[0]?.body).toContain("registry.example.com/web:1.5.0");

    // The audit trail: one line for the decision, with the delivery, repository, commit, actor and policy digest.
    const audit = app.logs.split("\n").filter((l) => l.includes('"audit":"unreviewed-push"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toEqual([expect.objectContaining({ delivery: id, event: "push", repository: "acme/deploy", commit: first, actor: "mallory", policyDigest: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
  }, 60_000);

  test("a second direct push updates the same issue", async () => {
    const repo = gh().main;
    second = gh().commit({ ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:1.6.0"), "README.md": "hi\n" }, { parents: [first], message: "hotfix: web 1.6.0" });
    repo.branches.set("main", second);
    const payload = pushPayload(repo, { branch: "main", before: first, after: second, commits: [{ sha: second, message: "hotfix: web 1.6.0", modified: ["deploy/prod/web.yaml"] }] });
    await app.deliver("push", payload);
    // A redelivery of the same push changes nothing.
    await app.deliver("push", payload);

    expect(runsNamed(repo, "gitops-gate/unreviewed", second)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
    const issues = issuesLabelled(repo, "gitops-gate:unreviewed");
    expect(issues).toHaveLength(1);
    expect(issues[0]?.updated).toBe(1);
    expect(issues[0]?.body).toContain(first.slice(0, 12));
    expect(issues[0]?.body).toContain(second.slice(0, 12));
    expect(issues[0]?.body).toContain("registry.example.com/web:1.6.0");
  }, 60_000);

  test("a merged pull request's commits and merge commit are not reported", async () => {
    const repo = gh().main;
    const files = { ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:1.7.0"), "README.md": "hi\n" };
    const head = gh().commit(files, { parents: [second], message: "web 1.7.0" });
    const merge = gh().commit(files, { parents: [second, head], message: "Merge pull request #70 from acme/web-1.7" });
    repo.pulls.set(70, { number: 70, title: "web 1.7.0", head, base: second, baseRef: "main", headRef: "web-1.7", draft: false, user: "alice", merged: true, mergeSha: merge });
    repo.branches.set("main", merge);
    const before = repo.issues.map((i) => ({ ...i }));
    await app.deliver("push", pushPayload(repo, { branch: "main", before: second, after: merge, commits: [{ sha: head, modified: ["deploy/prod/web.yaml"] }, { sha: merge, message: "Merge pull request #70 from acme/web-1.7" }], sender: { login: "alice", type: "User" } }));
    expect(runsNamed(repo, "gitops-gate/unreviewed", head)).toEqual([]);
    expect(runsNamed(repo, "gitops-gate/unreviewed", merge)).toEqual([]);
    expect(repo.issues).toEqual(before);
    second = merge;
  }, 60_000);

  test("the App's own pushes (a revert branch) are not reported", async () => {
    const repo = gh().main;
    const revert = gh().commit({ ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:1.6.0"), "README.md": "hi\n" }, { parents: [second], message: "Revert #70" });
    repo.branches.set("gitops-gate/rollback-70-abcdef0", revert);
    const bot = { login: "gitops-gate[bot]", type: "Bot" };
    await app.deliver("push", pushPayload(repo, { branch: "gitops-gate/rollback-70-abcdef0", before: "0".repeat(40), after: revert, commits: [{ sha: revert, modified: ["deploy/prod/web.yaml"] }], sender: bot }));
    // Nor on a release branch: the App's bot is known by its slug (GET /app).
    const own = gh().commit({ ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:1.6.1"), "README.md": "hi\n" }, { parents: [second], message: "own" });
    await app.deliver("push", pushPayload(repo, { branch: "main", before: second, after: own, commits: [{ sha: own, modified: ["deploy/prod/web.yaml"] }], sender: bot }));
    expect(runsNamed(repo, "gitops-gate/unreviewed", revert)).toEqual([]);
    expect(runsNamed(repo, "gitops-gate/unreviewed", own)).toEqual([]);
    expect(gh().requests.some((r) => r.operationId === "apps/get-authenticated" && r.status === 200)).toBe(true);
  }, 60_000);

  test("a force push is reported with the before and after SHAs", async () => {
    const repo = gh().main;
    const forced = gh().commit({ ".github/gitops-gate.yml": CONFIG, "deploy/prod/web.yaml": web("registry.example.com/web:9.9.9"), "README.md": "hi\n" }, { parents: [base], message: "rewrite history" });
    repo.branches.set("main", forced);
    await app.deliver("push", pushPayload(repo, { branch: "main", before: second, after: forced, forced: true, commits: [{ sha: forced, message: "rewrite history", modified: ["deploy/prod/web.yaml"] }] }));
    const [run] = runsNamed(repo, "gitops-gate/unreviewed", forced);
    expect(run).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: expect.stringContaining("Force push to main") }) });
    expect(run?.output.summary).toContain(`\`${second}\``);
    expect(run?.output.summary).toContain(`\`${forced}\``);
    expect(run?.output.summary).toMatch(/tag `1\.7\.0` → `registry\.example\.com\/web` tag `9\.9\.9`/);
    const issues = issuesLabelled(repo, "gitops-gate:unreviewed");
    expect(issues).toHaveLength(1);
    expect(issues[0]?.body).toContain(`Force push \`${second.slice(0, 12)}\` → \`${forced.slice(0, 12)}\``);
  }, 60_000);

  test("with `unreviewed: notice` the check run is neutral, and a push to another branch is not reported", async () => {
    const repo = gh().addRepo("acme/notice");
    const config = `${CONFIG}unreviewed: notice\n`;
    const b = repo.commit({ ".github/gitops-gate.yml": config, "deploy/prod/web.yaml": web("r.example/web:1") });
    const c = repo.commit({ ".github/gitops-gate.yml": config, "deploy/prod/web.yaml": web("r.example/web:2") }, { parents: [b] });
    repo.branches.set("main", c);
    await app.deliver("push", pushPayload(repo, { branch: "main", before: b, after: c, commits: [{ sha: c, modified: ["deploy/prod/web.yaml"] }] }));
    expect(runsNamed(repo, "gitops-gate/unreviewed", c)).toEqual([expect.objectContaining({ conclusion: "neutral" })]);
    const d = repo.commit({ ".github/gitops-gate.yml": config, "deploy/prod/web.yaml": web("r.example/web:3") }, { parents: [c] });
    repo.branches.set("feature", d);
    await app.deliver("push", pushPayload(repo, { branch: "feature", before: c, after: d, commits: [{ sha: d, modified: ["deploy/prod/web.yaml"] }] }));
    expect(runsNamed(repo, "gitops-gate/unreviewed", d)).toEqual([]);
  }, 60_000);
});

describe("is the gate enforced?", () => {
  const POD_OK = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: production\n";

  async function pullOn(repo: RepoState, number: number): Promise<CheckRun | undefined> {
    const b = repo.commit({ "README.md": "hi\n" });
    const h = repo.commit({ "README.md": "hi\n", "deploy/a.yaml": POD_OK }, { parents: [b] });
    app.github.openPull({ number, head: h, base: b, baseRef: "main", draft: false }, repo);
    await app.deliver("pull_request", app.pullRequestPayload("opened", repo.pulls.get(number) as never, repo));
    return repo.checkRuns.find((r) => r.head_sha === h && r.name === "gitops-gate");
  }

  test("a repository without the required check: a note on the check and one issue", async () => {
    const repo = app.github.addRepo("acme/unenforced");
    repo.rulesets.clear();
    const run = await pullOn(repo, 1);
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run?.output.summary).toContain("⚠️ gitops-gate is not enforced on `main`");
    expect(run?.output.summary).toContain(`([rules settings](http://${app.githubHost}/acme/unenforced/settings/rules))`);
    const issues = issuesLabelled(repo, "gitops-gate:not-enforced");
    expect(issues).toEqual([expect.objectContaining({ state: "open", title: "gitops-gate is not enforced on main" })]);
    // A second pull request: the same note, the same one issue (and no new request for the rules).
    const rulesRead = app.github.requests.filter((r) => r.operationId === "repos/get-branch-rules" && r.path.includes("/unenforced/")).length;
    const again = await pullOn(repo, 2);
    expect(again?.output.summary).toContain("gitops-gate is not enforced on `main`");
    expect(issuesLabelled(repo, "gitops-gate:not-enforced")).toHaveLength(1);
    expect(app.github.requests.filter((r) => r.operationId === "repos/get-branch-rules" && r.path.includes("/unenforced/")).length).toBe(rulesRead);
  }, 60_000);

  test("a repository whose ruleset requires gitops-gate pinned to the App: no note, no issue", async () => {
    const repo = app.github.addRepo("acme/enforced");
    repo.rulesets.set("main", [{ context: "gitops-gate", integration_id: 123 }]);
    const run = await pullOn(repo, 1);
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run?.output.summary).not.toContain("enforced");
    // The verdict's audit line.
    const verdicts = app.logs.split("\n").filter((l) => l.includes('"audit":"verdict"') && l.includes(run?.head_sha ?? "?")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(verdicts).toEqual([expect.objectContaining({ event: "pull_request.opened", repository: "acme/enforced", commit: run?.head_sha, actor: "octocat", conclusion: "success", policyDigest: expect.stringMatching(/^[0-9a-f]{64}$/), delivery: expect.any(String) })]);
    expect(run?.output.summary).not.toContain("could not be verified");
    expect(issuesLabelled(repo, "gitops-gate:not-enforced")).toEqual([]);
  }, 60_000);

  test("required but not pinned to the App, through branch protection: not enforced", async () => {
    const repo = app.github.addRepo("acme/unpinned");
    repo.rulesets.clear();
    repo.protection.set("main", { checks: [{ context: "gitops-gate", app_id: null }], strict: true });
    const run = await pullOn(repo, 1);
    expect(run?.output.summary).toContain("gitops-gate is not enforced on `main`");
    expect(issuesLabelled(repo, "gitops-gate:not-enforced")[0]?.body).toContain("not pinned to this App");
  }, 60_000);

  test("a repository whose branch protection the App may not read: enforcement could not be verified", async () => {
    const repo = app.github.addRepo("acme/noadmin");
    repo.rulesets.clear();
    repo.protectionForbidden = true;
    const run = await pullOn(repo, 1);
    expect(run?.output.summary).toContain("gitops-gate enforcement could not be verified on `main`");
    expect(run?.output.summary).toContain("administration: read");
    expect(issuesLabelled(repo, "gitops-gate:not-enforced")).toEqual([]);
  }, 60_000);
});

describe("the baseline of the default branch", () => {
  const rule = (mode: string) => `package main

# METADATA
# title: No ${mode} mode
# custom:
#   id: acme-no-${mode}
deny contains msg if {
\tinput.kind == "ConfigMap"
\tinput.data.mode == "${mode}"
\tmsg := sprintf("config map %s is in ${mode} mode", [input.metadata.name])
}
`;
  const cm = (name: string, mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  mode: ${mode}\n`;
  const CONFIG_WITH_POLICY = "policies:\n  sources:\n    - path: policy\n";

  test("a policy change on main publishes a baseline with new and resolved findings", async () => {
    const repo = app.github.addRepo("acme/drift");
    const files = { ".github/gitops-gate.yml": CONFIG_WITH_POLICY, "deploy/prod.yaml": cm("prod", "production"), "deploy/staging.yaml": cm("staging", "staging"), "deploy/other.yaml": cm("other", "production") };
    const root = repo.commit({ "README.md": "hi\n" });
    const one = repo.commit({ ...files, "policy/mode.rego": rule("production") }, { parents: [root], message: "policy: no production mode" });
    repo.branches.set("main", one);
    await app.deliver("push", pushPayload(repo, { branch: "main", before: root, after: one, commits: [{ sha: one, added: [".github/gitops-gate.yml", "policy/mode.rego", "deploy/prod.yaml", "deploy/staging.yaml", "deploy/other.yaml"] }] }));
    const [first] = runsNamed(repo, "gitops-gate/baseline", one);
    expect(first).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(first?.output.summary).toContain("No previous baseline on this branch");
    expect(first?.output.summary).toContain("| `acme-no-production` | 2 |");
    expect(first?.output.annotations.map((a) => a["path"]).sort()).toEqual(["deploy/other.yaml", "deploy/prod.yaml"]);

    // A push that changes no policy and no config: no new baseline.
    const readme = repo.commit({ ...files, "policy/mode.rego": rule("production"), "README.md": "hello\n" }, { parents: [one], message: "docs" });
    repo.branches.set("main", readme);
    await app.deliver("push", pushPayload(repo, { branch: "main", before: one, after: readme, commits: [{ sha: readme, modified: ["README.md"] }] }));
    expect(runsNamed(repo, "gitops-gate/baseline", readme)).toEqual([]);

    // The policy now forbids staging mode instead: staging's finding is new, prod's and other's resolved.
    const two = repo.commit({ ...files, "policy/mode.rego": rule("staging"), "README.md": "hello\n" }, { parents: [readme], message: "policy: no staging mode" });
    repo.branches.set("main", two);
    await app.deliver("push", pushPayload(repo, { branch: "main", before: readme, after: two, commits: [{ sha: two, modified: ["policy/mode.rego"] }] }));
    const [second] = runsNamed(repo, "gitops-gate/baseline", two);
    expect(second).toMatchObject({ status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: "Baseline: 1 finding(s), 1 new, 2 resolved" }) });
    const summary = second?.output.summary ?? "";
    expect(summary).toContain(`Compared with the baseline at \`${one.slice(0, 12)}\``);
    expect(summary).toMatch(/New:\n- `acme-no-staging` in `deploy\/staging\.yaml`/);
    expect(summary).toMatch(/Resolved:\n(- `acme-no-production` in `deploy\/(other|prod)\.yaml`\n){2}/);
    expect(second?.output.annotations).toEqual([expect.objectContaining({ path: "deploy/staging.yaml", annotation_level: "failure" })]);
    expect(app.logs).toContain('"audit":"baseline"');
  }, 90_000);
});

describe("the scheduled baseline", () => {
  const rule = (mode: string) => `package main

# METADATA
# title: No ${mode} mode
# custom:
#   id: acme-no-${mode}
deny contains msg if {
\tinput.kind == "ConfigMap"
\tinput.data.mode == "${mode}"
\tmsg := sprintf("config map %s is in ${mode} mode", [input.metadata.name])
}
`;
  const cm = (name: string, mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  mode: ${mode}\n`;


  test("the reconciler publishes a daily baseline, a new one when a policy source moves, and none when nothing is due", async () => {
    const gh = app.github;
    const lib = gh.addRepo("acme/policy-lib");
    lib.branches.set("main", lib.commit({ "kubernetes/mode.rego": rule("production") }));
    const repo = gh.addRepo("acme/scheduled");
    const head = repo.commit({
      ".github/gitops-gate.yml": "policies:\n  sources:\n    - repo: acme/policy-lib\n      path: kubernetes\n",
      "deploy/prod.yaml": cm("prod", "production"), "deploy/staging.yaml": cm("staging", "staging"),
    });
    repo.branches.set("main", head);
    const scheduler = app.replica();
    try {
      // The reconciler's first pass, shortly after start, looks at baselines (in production: an hour after start, then hourly).
      await scheduler.start({ env: { BASELINE_SCHEDULE_SECONDS: "0.5" } });
      const daily = await until(() => runsNamed(repo, "gitops-gate/baseline", head).find((r) => r.status === "completed"));
      await scheduler.idle();
      expect(daily.output.summary).toContain("Why now: the daily baseline");
      expect(daily.output.title).toBe("Baseline: 1 finding(s)");

      // The policy repository moves: the next pass (a restarted process) publishes again, with the difference.
      lib.branches.set("main", lib.commit({ "kubernetes/mode.rego": rule("staging") }));
      await scheduler.kill("SIGTERM");
      await scheduler.restart();
      await until(() => (runsNamed(repo, "gitops-gate/baseline", head).length === 2 ? true : undefined));
      await scheduler.idle();
      const moved = runsNamed(repo, "gitops-gate/baseline", head)[1];
      expect(moved?.output.summary).toContain("Why now: a policy source moved to a new commit");
      expect(moved?.output.title).toBe("Baseline: 1 finding(s), 1 new, 1 resolved");

      // Nothing moved and the last baseline is fresh: the next pass publishes nothing.
      await scheduler.kill("SIGTERM");
      await scheduler.restart();
      await new Promise((r) => setTimeout(r, 2500));
      await scheduler.idle();
      expect(runsNamed(repo, "gitops-gate/baseline", head)).toHaveLength(2);
    } finally {
      await scheduler.kill("SIGTERM");
    }
  }, 150_000);
});

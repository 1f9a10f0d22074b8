// Issue 10 end to end: an organisation's own Rego judges pull requests, from this
// repository's base branch and from a policy repository, compiled once per content; a
// policy repository's own pull requests run its tests.
import { AppUnderTest } from "./harness.js";
import type { RepoState } from "./emulator.js";

const TEAM_RULE = `package main

# METADATA
# title: Pods carry a team label
# custom:
#   id: acme-team-label
#   severity: medium
deny contains msg if {
\tinput.kind == "Pod"
\tnot input.metadata.labels.team
\tmsg := sprintf("pod %s has no team label", [input.metadata.name])
}
`;

const REGISTRY_RULE = `package acme.registry

# METADATA
# title: Images come from the organisation's registry
# custom:
#   id: acme-registry
deny contains result if {
\tsome i, c in input.spec.containers
\tnot startswith(c.image, data.params.registry)
\tresult := {
\t\t"msg": sprintf("image %s is not from %s", [c.image, data.params.registry]),
\t\t"field": ["spec", "containers", i, "image"],
\t}
}
`;

const REGISTRY_TEST = `package acme.registry_test

import data.acme.registry

test_outside_registry_denied if {
\tcount(registry.deny) == 1 with input as {"spec": {"containers": [{"image": "nginx:1"}]}}
\t\twith data.params.registry as "r.example/"
}
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
spec:
  containers:
    - name: api
      image: docker.io/library/nginx:1.27
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
      securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
      livenessProbe: {httpGet: {path: /, port: 80}}
      readinessProbe: {httpGet: {path: /, port: 80}}
`;

const CONFIG = `policies:
  sources:
    - path: policy
    - repo: acme/policies
      ref: v3
      path: kubernetes
      data: [data/params.yaml]
`;

let app: AppUnderTest;
let policies: RepoState;
let orgConfig: RepoState;

beforeAll(async () => {
  app = new AppUnderTest();
  const gh = app.github;
  policies = gh.addRepo("acme/policies");
  const v3 = policies.commit({ "kubernetes/registry.rego": REGISTRY_RULE, "kubernetes/registry_test.rego": REGISTRY_TEST, "data/params.yaml": "params:\n  registry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/\n" });
  policies.branches.set("main", v3);
  policies.tags.set("v3", v3);
  // The organisation's config names the policy repository as a source.
  orgConfig = gh.addRepo("acme/.github");
  orgConfig.branches.set("main", orgConfig.commit({ ".github/gitops-gate.yml": "policies:\n  sources:\n    - repo: acme/policies\n      path: kubernetes\n      data: [data/params.yaml]\n" }));
  await app.start();
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
});

async function completedRun(repo: RepoState, sha: string) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const run = repo.checkRuns.find((r) => r.head_sha === sha && r.name === "gitops-gate" && r.status === "completed");
    if (run || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function pull(repo: RepoState, number: number, base: Record<string, string>, head: Record<string, string>) {
  const b = repo.commit(base);
  const h = repo.commit({ ...base, ...head }, { parents: [b] });
  return app.github.openPull({ number, base: b, head: h, baseRef: "main", draft: false }, repo);
}

const BASE = { ".github/gitops-gate.yml": CONFIG, "policy/team.rego": TEAM_RULE };

test("a pull request that breaks the organisation's rules is blocked, at the lines, with their messages and provenance", async () => {
  const pr = pull(app.github.main, 1, BASE, { "deploy/pod.yaml": POD });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(app.github.main, pr.head);
  expect(run).toMatchObject({ conclusion: "failure" });
  const mine = run?.output.annotations.filter((a) => /acme-/.test(String(a["title"]))).map((a) => [a["title"], a["start_line"], String(a["message"]).split("\n")[0]]);
  expect(mine).toEqual([
    ["Pods carry a team label [acme-team-label]", 1, "pod api has no team label"],
    ["Images come from the organisation's registry [acme-registry]", 9, "image docker.io/library/nginx:1.27 is not from 123456789012.dkr.ecr.eu-west-1.amazonaws.com/"],
  ]);
  const summary = run?.output.summary ?? "";
  expect(summary).toContain("built-in packs: gitops-gate");
  expect(summary).toContain(`\`acme/policies@v3:kubernetes/\`: \`acme/policies\` \`v3\` at \`${(policies.tags.get("v3") ?? "").slice(0, 12)}\``);
  expect(summary).toMatch(/`policy\/`: `acme\/deploy` `main` at `[0-9a-f]{12}`/);
});

test("a pull request that weakens policy/ is judged by the base branch's policies", async () => {
  const lax = TEAM_RULE.replace('input.kind == "Pod"', 'input.kind == "Nothing"');
  const pr = pull(app.github.main, 2, BASE, { "policy/team.rego": lax, "deploy/pod.yaml": POD });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(app.github.main, pr.head);
  expect(run?.output.annotations.some((a) => String(a["title"]).includes("[acme-team-label]"))).toBe(true);
  expect(run?.output.summary).toContain("new policies take effect after merge");
});

test("a second pull request is judged from the compile cache: no second compile", async () => {
  const pr = pull(app.github.main, 3, BASE, { "deploy/other.yaml": POD.replace("name: api", "name: other") });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  await completedRun(app.github.main, pr.head);
  const lines = app.logs.split("\n").filter((l) => l.includes("policy bundle ready")).map((l) => JSON.parse(l) as { from: string; pr?: number });
  expect(lines.filter((l) => l.from === "compiled")).toHaveLength(1);
  expect(lines.filter((l) => l.pr === 3).map((l) => l.from)).toEqual(["memory"]);
});

test("a source the installation cannot read fails the check closed, naming the source", async () => {
  app.github.addRepo("other-org/policies", { installationId: null });
  const config = "policies:\n  sources:\n    - repo: acme/missing\n";
  const pr = pull(app.github.main, 4, { ".github/gitops-gate.yml": config }, { "deploy/pod.yaml": POD });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(app.github.main, pr.head);
  expect(run).toMatchObject({ conclusion: "failure", output: { title: "A policy source cannot be read" } });
  expect(run?.output.summary).toContain("policy source acme/missing: cannot read acme/missing");

  const external = pull(app.github.main, 5, { ".github/gitops-gate.yml": "policies:\n  sources:\n    - repo: other-org/policies\n" }, { "deploy/pod.yaml": POD });
  await app.deliver("pull_request", app.pullRequestPayload("opened", external));
  const refused = await completedRun(app.github.main, external.head);
  expect(refused).toMatchObject({ conclusion: "failure", output: { title: "A policy source is not allowed" } });
});

test("a policy repository's pull request with a failing opa test is annotated at the test", async () => {
  const broken = REGISTRY_RULE.replace("not startswith(c.image, data.params.registry)", "startswith(c.image, data.params.registry)");
  const pr = pull(policies, 10, Object.fromEntries(policies.commits.get(policies.tags.get("v3") ?? "")?.files ?? []), { "kubernetes/registry.rego": broken });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr, policies));
  const run = await completedRun(policies, pr.head);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run?.output.annotations.map((a) => [a["path"], a["start_line"], a["title"]])).toEqual([["kubernetes/registry_test.rego", 5, "Policy test fails [gitops-gate/policy-check]"]]);
  expect(run?.output.summary).toContain("0 test(s) passed, 1 failed");
});

test("a policy repository's pull request with a Rego syntax error is annotated at the line", async () => {
  const broken = REGISTRY_RULE.replace("\tresult := {", "\tresult := {{");
  const pr = pull(policies, 11, Object.fromEntries(policies.commits.get(policies.tags.get("v3") ?? "")?.files ?? []), { "kubernetes/registry.rego": broken });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr, policies));
  const run = await completedRun(policies, pr.head);
  expect(run).toMatchObject({ conclusion: "failure" });
  const found = run?.output.annotations.find((a) => a["path"] === "kubernetes/registry.rego");
  expect(found?.["title"]).toBe("Policy fails opa check --strict [gitops-gate/policy-check]");
  expect(Number(found?.["start_line"])).toBeGreaterThanOrEqual(11);

  // And a sound change passes, with its tests counted.
  const fine = pull(policies, 12, Object.fromEntries(policies.commits.get(policies.tags.get("v3") ?? "")?.files ?? []), { "kubernetes/registry.rego": REGISTRY_RULE.replace("Images come", "Container images come") });
  await app.deliver("pull_request", app.pullRequestPayload("opened", fine, policies));
  const ok = await completedRun(policies, fine.head);
  expect(ok).toMatchObject({ conclusion: "success" });
  expect(ok?.output.summary).toContain("1 test(s) passed, 0 failed");
});

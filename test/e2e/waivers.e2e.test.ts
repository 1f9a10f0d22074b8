// Issue 12 end to end: the App blocks what a pull request introduces, lists what was there
// before, and governs exceptions: waivers with a reason, an owner, an expiry and an approval
// by a waiver approver (re-evaluated on review events), rules that cannot be waived, and a
// conftest exception that cannot waive them either.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import type { ReleaseRecord } from "../../src/release/record.js";
import { ROOT } from "../helpers/corpus.js";
import { AppUnderTest } from "./harness.js";
import type { CheckRun, PullRequest } from "./emulator.js";

const WAIVERS = ".github/gitops-gate-waivers.yml";
const CODEOWNERS = `* @acme/platform\n${WAIVERS} @acme/observability\n`;

const container = (name: string, privileged: boolean) => `        - name: ${name}
          image: registry.example.com/${name}:1.0
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true${privileged ? ", privileged: true" : ""}}
          livenessProbe: {httpGet: {path: /, port: 8080}}
          readinessProbe: {httpGet: {path: /, port: 8080}}
`;
const daemonSet = (name: string, containers: string, extra = "") => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: monitoring
spec:
  template:
    spec:
${extra}      containers:
${containers}`;
/** Three privileged containers already on the base branch. */
const OLD = daemonSet("agent", container("a", true) + container("b", true) + container("c", true) + container("d", false));
const EXPORTER = daemonSet("node-exporter", container("exporter", false), "      hostNetwork: true\n");

/** Days from today, as a waiver's `expires`. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const waiver = (rule: string, resource: string, expires = day(30)) =>
  `- rule: ${rule}\n  resources: ["${resource}"]\n  reason: node-exporter reads host metrics\n  owner: "@acme/observability"\n  expires: ${expires}\n`;

let app: AppUnderTest;

beforeAll(async () => {
  app = new AppUnderTest();
  app.github.teams.set("acme/observability", new Set(["olivia", "octocat"]));
  await app.start();
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
});

async function completedRun(sha: string, count = 1): Promise<CheckRun | undefined> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const runs = app.github.checkRuns.filter((r) => r.head_sha === sha && r.name === "gitops-gate");
    if (runs.length >= count && runs.every((r) => r.status === "completed")) return runs[runs.length - 1];
    if (Date.now() > deadline) return runs[runs.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
}

function newPull(number: number, base: Record<string, string>, head: Record<string, string>): PullRequest {
  const gh = app.github;
  const baseSha = gh.commit({ "README.md": "hi\n", ".github/CODEOWNERS": CODEOWNERS, ...base });
  const headSha = gh.commit({ "README.md": "hi\n", ".github/CODEOWNERS": CODEOWNERS, ...base, ...head }, { parents: [baseSha] });
  return gh.openPull({ number, head: headSha, base: baseSha, baseRef: "main", draft: false });
}

async function evaluate(pr: PullRequest): Promise<CheckRun | undefined> {
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  return completedRun(pr.head);
}

/** `level path:line [rule]` of the annotations for `rule` (or every rule). */
const marks = (run: CheckRun | undefined, rule?: string) =>
  (run?.output.annotations ?? [])
    .filter((a) => !rule || String(a["title"]).includes(`[${rule}]`))
    .map((a) => `${a["annotation_level"]} ${a["path"]}:${a["start_line"]} ${/\[([^\]]+)\]/.exec(String(a["title"]))?.[1]}`)
    .sort();

describe("new vs pre-existing", () => {
  test("a pull request adding one violation to a file with three old ones blocks on the one and lists the three", async () => {
    const pr = newPull(1, { "deploy/agent.yaml": OLD }, { "deploy/agent.yaml": OLD.replace(container("d", false), container("d", true)) });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(marks(run, "k8s-privileged")).toEqual([
      "failure deploy/agent.yaml:31 k8s-privileged",
      "notice deploy/agent.yaml:13 k8s-privileged",
      "notice deploy/agent.yaml:19 k8s-privileged",
      "notice deploy/agent.yaml:25 k8s-privileged",
    ]);
    expect(run?.output.annotations.filter((a) => a["annotation_level"] === "failure")).toHaveLength(1);
    expect(run?.output.summary).toContain("**1** new, **3** pre-existing");
    expect(run?.output.summary).toContain("| `deploy/agent.yaml` | 13 | [Container must not run privileged]");
    expect(run?.output.title).toBe("1 blocking finding in 1 file(s)");
    const comment = app.github.comments.find((c) => c.issue === 1)?.body ?? "";
    expect(comment).toContain("**New in this change:**\n\n- `deploy/agent.yaml:31` **Container must not run privileged**");
    expect(comment).toContain("3 pre-existing finding(s), not blocking");
  });

  test("a pull request that adds no violation to a repository full of old ones passes, with the old ones listed", async () => {
    const pr = newPull(2, { "deploy/agent.yaml": OLD }, { "deploy/agent.yaml": `# owned by the platform team\n${OLD}` });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ conclusion: "success", output: { title: expect.stringContaining("3 pre-existing finding(s)") } });
    expect(marks(run, "k8s-privileged")).toEqual(["notice deploy/agent.yaml:14 k8s-privileged", "notice deploy/agent.yaml:20 k8s-privileged", "notice deploy/agent.yaml:26 k8s-privileged"]);
  });

  test("a renamed and edited file is compared with its previous path (list-files' previous_filename)", async () => {
    const pr = newPull(9, { "deploy/old/agent.yaml": OLD }, {});
    const gh = app.github;
    const files = gh.filesAt(pr.head);
    files.delete("deploy/old/agent.yaml");
    files.set("deploy/new/agent.yaml", OLD.replace(container("d", false), container("d", true)));
    pr.head = gh.commit(files, { parents: [pr.base] });
    expect(gh.changedFiles(pr)).toEqual([expect.objectContaining({ filename: "deploy/new/agent.yaml", status: "renamed", previous_filename: "deploy/old/agent.yaml" })]);
    const run = await evaluate(pr);
    expect(marks(run, "k8s-privileged")).toEqual([
      "failure deploy/new/agent.yaml:31 k8s-privileged",
      "notice deploy/new/agent.yaml:13 k8s-privileged",
      "notice deploy/new/agent.yaml:19 k8s-privileged",
      "notice deploy/new/agent.yaml:25 k8s-privileged",
    ]);
  });

  test("verdict: all blocks on every finding, new and old", async () => {
    const config = { ".github/gitops-gate.yml": "verdict: all\n" };
    const pr = newPull(3, { ...config, "deploy/agent.yaml": OLD }, { "deploy/agent.yaml": OLD.replace(container("d", false), container("d", true)) });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: "4 blocking findings in 1 file(s)" } });
    expect(marks(run, "k8s-privileged").every((m) => m.startsWith("failure"))).toBe(true);
    expect(run?.output.summary).toContain("**1** new, **3** pre-existing");
  });
});

describe("waivers", () => {
  test("a waiver on the base branch waives its finding: listed with reason, owner and expiry", async () => {
    const w = waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter");
    const pr = newPull(4, { [WAIVERS]: w }, { "deploy/exporter.yaml": EXPORTER });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ conclusion: "success" });
    expect(marks(run, "k8s-host-network")).toEqual(["notice deploy/exporter.yaml:9 k8s-host-network"]);
    expect(run?.output.summary).toContain(`| \`k8s-host-network\` | \`DaemonSet/monitoring/node-exporter\` | @\u2060acme/observability | ${day(30)} | node-exporter reads host metrics | 1 |`);
    expect(app.github.comments.find((c) => c.issue === 4)?.body).toContain("1 waived finding(s)");
  });

  test("the release record of the merge lists the waivers in force", async () => {
    const gh = app.github;
    const pr = gh.pulls.get(4);
    if (!pr) throw new Error("scenario order: PR 4 first");
    const mergeSha = gh.commit(gh.filesAt(pr.head), { parents: [pr.base, pr.head], message: "Merge pull request #4" });
    gh.branches.set("main", mergeSha);
    Object.assign(pr, { merged: true, mergeSha });
    await app.deliver("pull_request", app.pullRequestPayload("closed", pr));
    const deadline = Date.now() + 45_000;
    let run = gh.checkRuns.find((r) => r.name === "gitops-gate/release" && r.head_sha === mergeSha);
    while (!run && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = gh.checkRuns.find((r) => r.name === "gitops-gate/release" && r.head_sha === mergeSha);
    }
    const record = JSON.parse(run?.output.text ?? "{}") as ReleaseRecord;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, "docs", "release-record.schema.json"), "utf8")) as object);
    expect(validate(record) ? [] : validate.errors).toEqual([]);
    expect(record.policy.waivers).toEqual([
      { rule: "k8s-host-network", resources: ["DaemonSet/monitoring/node-exporter"], paths: [], reason: "node-exporter reads host metrics", owner: "@acme/observability", expires: day(30), waived: 1 },
    ]);
    expect(run?.output.summary).toContain(`Waivers in force: \`k8s-host-network\` on \`DaemonSet/monitoring/node-exporter\` until ${day(30)} (owner @\u2060acme/observability: node-exporter reads host metrics).`);
  });

  let pending: PullRequest;

  test("a waiver the pull request adds blocks as pending until a waiver approver approves", async () => {
    pending = newPull(5, {}, { "deploy/exporter.yaml": EXPORTER, [WAIVERS]: waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter") });
    const run = await evaluate(pending);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(marks(run).filter((m) => m.startsWith("failure"))).toEqual([`failure ${WAIVERS}:1 gitops-gate/waiver-pending`, "failure deploy/exporter.yaml:9 k8s-host-network"]);
    expect(run?.output.summary).toContain("#### Waivers awaiting approval");
    expect(run?.output.summary).toContain("@\u2060acme/observability, from CODEOWNERS of .github/gitops-gate-waivers.yml");
  });

  test("the author approving their own waiver (or an approval of an older commit): still pending", async () => {
    // The author's approval, and an approver's approval of an older commit: neither counts.
    app.github.reviews.set(5, [{ user: "octocat", state: "APPROVED", commit: pending.head }, { user: "olivia", state: "APPROVED", commit: pending.base }]);
    const res = await app.deliver("pull_request_review", app.reviewPayload("submitted", pending, { user: "octocat", state: "approved", commit: pending.head }));
    expect(res.status).toBe(202);
    const run = await completedRun(pending.head, 2);
    expect(app.github.checkRuns.filter((r) => r.head_sha === pending.head)).toHaveLength(2);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(marks(run)).toContain(`failure ${WAIVERS}:1 gitops-gate/waiver-pending`);
  });

  test("an approving review by a waiver approver (a member of the CODEOWNERS team) makes it apply", async () => {
    app.github.reviews.set(5, [{ user: "octocat", state: "APPROVED", commit: pending.head }, { user: "olivia", state: "APPROVED", commit: pending.head }]);
    await app.deliver("pull_request_review", app.reviewPayload("submitted", pending, { user: "olivia", state: "approved", commit: pending.head }));
    const run = await completedRun(pending.head, 3);
    expect(run).toMatchObject({ conclusion: "success" });
    expect(run?.output.summary).toContain("#### Waivers in force");
    expect(app.github.requests.some((r) => r.operationId === "teams/get-membership-for-user-in-org" && r.status === 200)).toBe(true);
    // The review dismissed: pending again.
    app.github.reviews.set(5, [{ user: "octocat", state: "APPROVED", commit: pending.head }, { user: "olivia", state: "DISMISSED", commit: pending.head }]);
    await app.deliver("pull_request_review", app.reviewPayload("dismissed", pending, { user: "olivia", state: "dismissed", commit: pending.head }));
    expect(await completedRun(pending.head, 4)).toMatchObject({ conclusion: "failure" });
    // A comment-only review changes nothing and starts no evaluation.
    await app.deliver("pull_request_review", app.reviewPayload("submitted", pending, { user: "olivia", state: "commented", commit: pending.head }));
    await new Promise((r) => setTimeout(r, 300));
    expect(app.github.checkRuns.filter((r) => r.head_sha === pending.head)).toHaveLength(4);
  });

  test("an expired waiver no longer waives: the finding blocks, the waiver is a warning at its line", async () => {
    const w = waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter", day(-1));
    const pr = newPull(6, { [WAIVERS]: w }, { "deploy/exporter.yaml": EXPORTER });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(marks(run).filter((m) => !m.startsWith("notice deploy"))).toEqual(["failure deploy/exporter.yaml:9 k8s-host-network", `warning ${WAIVERS}:1 gitops-gate/waiver-expired`]);
    expect(run?.output.text).toContain(`expired on ${day(-1)}; it no longer waives anything`);
  });

  test("a privileged container is blocked even with a waiver for it (approved, on the base branch)", async () => {
    const w = waiver("k8s-privileged", "DaemonSet/monitoring/agent");
    const pr = newPull(7, { [WAIVERS]: w }, { "deploy/agent.yaml": daemonSet("agent", container("a", true)) });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(marks(run).filter((m) => m.startsWith("failure"))).toEqual([`failure ${WAIVERS}:1 gitops-gate/waiver-not-allowed`, "failure deploy/agent.yaml:13 k8s-privileged"]);
  });
});

describe("conftest exceptions", () => {
  const POLICY = `package main

# METADATA
# title: ConfigMaps must not turn debug on
# custom:
#   id: acme-no-debug
#   severity: high
#   waivable: false
deny_debug contains msg if {
\tinput.kind == "ConfigMap"
\tinput.data.debug == "true"
\tmsg := sprintf("ConfigMap %s turns debug on", [input.metadata.name])
}

# METADATA
# title: ConfigMaps must name an owner
# custom:
#   id: acme-owner
deny_owner contains msg if {
\tinput.kind == "ConfigMap"
\tnot input.metadata.labels.owner
\tmsg := sprintf("ConfigMap %s names no owner", [input.metadata.name])
}

exception contains rules if {
\tinput.metadata.name == "legacy"
\trules := ["debug", "owner"]
}
`;
  const CONFIG = "policies:\n  builtin: none\n  sources:\n    - path: policy\n";
  const LEGACY = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: legacy\n  namespace: shop\ndata:\n  debug: \"true\"\n";

  test("an exception for a rule that cannot be waived does not waive it, and is itself a blocking finding", async () => {
    const pr = newPull(8, { ".github/gitops-gate.yml": CONFIG, "policy/main.rego": POLICY }, { "deploy/legacy.yaml": LEGACY });
    const run = await evaluate(pr);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(marks(run)).toEqual(["failure deploy/legacy.yaml:1 acme-no-debug", "failure deploy/legacy.yaml:1 gitops-gate/exception-not-allowed"]);
    // The other rule's exception is honoured, as conftest does.
    expect(run?.output.summary).toContain("conftest exceptions honoured: 1 (`main/deny_owner`)");
  }, 60_000);
});

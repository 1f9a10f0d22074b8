// The pull-request pipeline with a base to compare with and a waivers file, against fakes
// of the GitHub seam: what blocks, what is listed, who may approve a waiver.
import { evaluatePullRequest, type PipelineDeps, type PullRequestTarget } from "../../src/pipeline/evaluate-pull-request.js";
import { FakeCheckPublisher } from "../fakes/check-publisher.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeSourceReader } from "../fakes/source-reader.js";
import { policyDeps } from "../helpers/policies.js";

const REPO = { owner: "acme", repo: "deploy" };
const shared = policyDeps();
afterAll(() => shared.close());
const NOW = new Date("2026-11-26T10:00:00Z");
const CONFIG = ".github/gitops-gate.yml";
const WAIVERS = ".github/gitops-gate-waivers.yml";
// Only the security pack: the findings under test are k8s-privileged and k8s-host-network.
const SECURITY = "namespaces: [kubernetes.security, kubernetes.host]\n";

const container = (name: string, privileged: boolean) =>
  `        - name: ${name}\n          image: r.example.com/${name}:1\n          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true${privileged ? ", privileged: true" : ""}}\n`;
const daemonSet = (name: string, containers: string, hostNetwork = false) =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ${name}, namespace: monitoring}\nspec:\n  template:\n    spec:\n${hostNetwork ? "      hostNetwork: true\n" : ""}      containers:\n${containers}`;
const OLD = daemonSet("agent", container("a", true) + container("b", true) + container("c", true) + container("d", false));
const WITH_NEW = OLD.replace(container("d", false), container("d", true));
const EXPORTER = daemonSet("node-exporter", container("e", false), true);
const waiver = (rule: string, resource: string, expires = "2027-01-31") =>
  `- rule: ${rule}\n  resources: ["${resource}"]\n  reason: reads host metrics\n  owner: "@acme/observability"\n  expires: ${expires}\n`;

function world(baseFiles: Record<string, string>, headFiles: Record<string, string>, options: { pull?: boolean } = {}) {
  const reader = new FakeRepoReader(REPO);
  const base = reader.repo.commit({ [CONFIG]: SECURITY, ...baseFiles }, { branch: "main" });
  const head = reader.repo.commit({ [CONFIG]: SECURITY, ...headFiles }, { parents: [base] });
  reader.pulls.set(1, { base, head });
  const checks = new FakeCheckPublisher();
  const comments = new FakeCommentStore();
  const deps: PipelineDeps = { ...shared, reader, sources: new FakeSourceReader(reader), checks, comments, log: new FakeLog(), now: () => NOW };
  const target: PullRequestTarget = {
    repo: REPO, pull: options.pull === false ? undefined : 1, headSha: head, baseRef: "main", baseSha: base, changedFiles: 1, draft: false, runKey: "d1", author: "octocat",
  };
  const run = async () => {
    const outcome = await evaluatePullRequest({ ...target, runKey: `d${checks.runs.length + 1}` }, deps);
    const last = checks.runs[checks.runs.length - 1];
    return { outcome, run: last, summary: last?.output?.summary ?? "", annotations: last?.annotations ?? [] };
  };
  return { reader, checks, comments, run };
}

const levels = (annotations: ReadonlyArray<{ title: string; annotation_level: string }>, rule: string) => annotations.filter((a) => a.title.includes(`[${rule}]`)).map((a) => a.annotation_level);

test("verdict new: one new violation in a file with three old ones blocks on one and lists three", async () => {
  const w = world({ "deploy/agent.yaml": OLD }, { "deploy/agent.yaml": WITH_NEW });
  const { outcome, summary, annotations } = await w.run();
  expect(outcome).toBe("failure");
  expect(levels(annotations, "k8s-privileged").sort()).toEqual(["failure", "notice", "notice", "notice"]);
  expect(summary).toContain("**1** new, **3** pre-existing");
  expect(summary).toContain("the 3 pre-existing finding(s) were on the base branch already");
  const comment = w.comments.comments[0]?.body ?? "";
  expect(comment.indexOf("New in this change")).toBeLessThan(comment.indexOf("3 pre-existing finding(s)"));
});

test("a change that adds no violation passes with the old ones listed; verdict all blocks on them", async () => {
  const touched = `# touched\n${OLD}`;
  const w = world({ "deploy/agent.yaml": OLD }, { "deploy/agent.yaml": touched });
  const passed = await w.run();
  expect(passed.outcome).toBe("success");
  expect(passed.run?.output?.title).toMatch(/3 pre-existing finding\(s\)/);
  const all = world({ "deploy/agent.yaml": OLD, [CONFIG]: `${SECURITY}verdict: all\n` }, { "deploy/agent.yaml": WITH_NEW, [CONFIG]: `${SECURITY}verdict: all\n` });
  const blocked = await all.run();
  expect(levels(blocked.annotations, "k8s-privileged")).toEqual(["failure", "failure", "failure", "failure"]);
  expect(blocked.summary).toContain("**1** new, **3** pre-existing");
});

test("a renamed and edited file is compared with its previous path", async () => {
  const w = world({ "deploy/old/agent.yaml": OLD }, { "deploy/new/agent.yaml": WITH_NEW });
  const { outcome, annotations } = await w.run();
  expect(outcome).toBe("failure");
  expect(levels(annotations, "k8s-privileged").sort()).toEqual(["failure", "notice", "notice", "notice"]);
});

describe("waivers", () => {
  const files = { "deploy/exporter.yaml": EXPORTER };
  const touched = { "deploy/exporter.yaml": EXPORTER.replace("containers:", "containers: # touched") };
  const codeowners = { ".github/CODEOWNERS": `* @acme/platform\n${WAIVERS} @acme/observability\n` };

  test("a waiver on the base applies: the finding is listed as waived, with its reason, owner and expiry", async () => {
    const w = world({ ...files, [WAIVERS]: waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter") }, { ...touched, [WAIVERS]: waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter") });
    const { outcome, summary, annotations } = await w.run();
    expect(outcome).toBe("success");
    expect(summary).toContain("#### Waivers in force");
    expect(summary).toContain("| `k8s-host-network` | `DaemonSet/monitoring/node-exporter` | @\u2060acme/observability | 2027-01-31 | reads host metrics | 1 |");
    expect(annotations.find((a) => a.title.includes("[k8s-host-network]"))).toMatchObject({ annotation_level: "notice", title: expect.stringContaining("(waived)") });
  });

  test("a new waiver needs an approver's review at the head; the author's own does not count", async () => {
    const w = world({ ...codeowners, "deploy/other.yaml": "kind: ConfigMap\n" }, { ...codeowners, ...files, [WAIVERS]: waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter") });
    w.reader.teams.set("acme/observability", new Set(["olivia", "octocat"]));
    const pending = await w.run();
    expect(pending.outcome).toBe("failure");
    expect(pending.annotations.find((a) => a.path === WAIVERS)).toMatchObject({ start_line: 1, annotation_level: "failure", title: expect.stringContaining("[gitops-gate/waiver-pending]") });
    expect(pending.summary).toContain("#### Waivers awaiting approval");
    expect(pending.summary).toContain("@\u2060acme/observability, from CODEOWNERS of .github/gitops-gate-waivers.yml");
    // The author is in the team, but their own approval does not count.
    w.reader.approved = ["octocat"];
    expect((await w.run()).outcome).toBe("failure");
    // Someone outside the approvers does not count either.
    w.reader.approved = ["octocat", "mallory"];
    expect((await w.run()).outcome).toBe("failure");
    w.reader.approved = ["olivia"];
    const approved = await w.run();
    expect(approved.outcome).toBe("success");
    expect(approved.summary).toContain("#### Waivers in force");
  });

  test("config waivers.approvers names users (and teams) instead of CODEOWNERS", async () => {
    const config = `${SECURITY}waivers:\n  approvers: ["@sre-lead"]\n`;
    const w = world({ [CONFIG]: config, ...codeowners }, { [CONFIG]: config, ...codeowners, ...files, [WAIVERS]: waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter") });
    w.reader.teams.set("acme/observability", new Set(["olivia"]));
    w.reader.approved = ["olivia"];
    expect((await w.run()).outcome).toBe("failure");
    w.reader.approved = ["SRE-lead"];
    expect((await w.run()).outcome).toBe("success");
  });

  test("an expired waiver no longer waives and is a warning at its line", async () => {
    const old = waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter", "2026-11-01");
    const w = world({ ...files, [WAIVERS]: old }, { ...touched, [WAIVERS]: old, "deploy/extra.yaml": EXPORTER.replace("node-exporter", "node-exporter-2") });
    const { outcome, annotations } = await w.run();
    expect(outcome).toBe("failure");
    expect(annotations.find((a) => a.path === WAIVERS)).toMatchObject({ annotation_level: "notice", title: expect.stringContaining("[gitops-gate/waiver-expired]") });
  });

  test("a waiver for k8s-privileged is itself a blocking finding, approved or not", async () => {
    const ds = daemonSet("agent", container("a", true));
    const w = world({ ...codeowners }, { ...codeowners, "deploy/agent.yaml": ds, [WAIVERS]: waiver("k8s-privileged", "DaemonSet/monitoring/agent") });
    w.reader.teams.set("acme/observability", new Set(["olivia"]));
    w.reader.approved = ["olivia"];
    const { outcome, annotations } = await w.run();
    expect(outcome).toBe("failure");
    expect(annotations.filter((a) => a.annotation_level === "failure").map((a) => a.title.replace(/^.*\[/, "[")).sort()).toEqual(["[gitops-gate/waiver-not-allowed]", "[k8s-privileged]"]);
  });

  test("in a merge group, waivers the queued pull requests added apply (each was approved before it was queued)", async () => {
    const w = world({ ...codeowners }, { ...codeowners, ...files, [WAIVERS]: waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter") }, { pull: false });
    expect((await w.run()).outcome).toBe("success");
  });
});

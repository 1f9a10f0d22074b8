// `gitops-gate check` inside a repository follows the App's config: its policy sources
// (local from the working tree, remote from GitHub with GITHUB_TOKEN), parameters and
// block_on, so a developer gets the App's verdict locally.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { GitHubEmulator } from "../e2e/emulator.js";

const TEAM_RULE = "package main\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tnot input.metadata.labels.team\n\tmsg := sprintf(\"pod %s has no team label\", [input.metadata.name])\n}\n";
const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  containers:\n    - name: api\n      image: nginx:1.27\n";

/** A repository folder: `.git` with an origin remote, and the given files. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gitops-gate-cli-repo-"));
  mkdirSync(join(root, ".git"));
  writeFileSync(join(root, ".git", "config"), '[remote "origin"]\n\turl = git@github.com:acme/deploy.git\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), stderrIsTty: false });
  return { code, out, err };
}

const env = { token: process.env["GITHUB_TOKEN"], api: process.env["GITHUB_API_URL"] };
afterEach(() => {
  for (const [k, v] of [["GITHUB_TOKEN", env.token], ["GITHUB_API_URL", env.api]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test("the config's local policy folder judges the files, with the App's block_on and provenance", async () => {
  const root = repo({
    ".github/gitops-gate.yml": "policies:\n  builtin: none\n  sources:\n    - path: policy\nblock_on: [deny]\n",
    "policy/team.rego": TEAM_RULE,
    "deploy/pod.yaml": POD,
  });
  const { code, out } = await cli("check", "--config", join(root, ".github/gitops-gate.yml"), "-o", "json", join(root, "deploy"));
  expect(code).toBe(1);
  const report = JSON.parse(out) as { files: Array<{ findings: Array<{ message: string }> }>; policies: Array<{ name: string; repo?: string }> };
  expect(report.files.flatMap((f) => f.findings.map((x) => x.message))).toEqual(["pod api has no team label"]);
  expect(report.policies.map((p) => [p.name, p.repo])).toEqual([["built-in packs", undefined], ["policy/", "acme/deploy"]]);

  // --no-config is conftest's behaviour: the built-in packs, no custom rule.
  const plain = await cli("check", "--no-config", "-o", "json", join(root, "deploy"));
  expect(plain.out).not.toContain("team label");
  expect(plain.out).toContain("k8s-");
});

test("a repo: source without GITHUB_TOKEN is an error that names the source", async () => {
  delete process.env["GITHUB_TOKEN"];
  delete process.env["GH_TOKEN"];
  const root = repo({ ".github/gitops-gate.yml": "policies:\n  sources:\n    - repo: acme/policies\n      ref: v3\n", "deploy/pod.yaml": POD });
  const { code, err } = await cli("check", "--config", join(root, ".github/gitops-gate.yml"), join(root, "deploy"));
  expect(code).toBe(2);
  expect(err).toContain("set GITHUB_TOKEN");
});

test("with GITHUB_TOKEN, a repo: source is read from GitHub at its ref", async () => {
  const gh = new GitHubEmulator();
  const policies = gh.addRepo("acme/policies");
  const v3 = policies.commit({ "rules/team.rego": TEAM_RULE });
  policies.tags.set("v3", v3);
  policies.branches.set("main", v3);
  const host = await gh.start();
  try {
    process.env["GITHUB_TOKEN"] = `ghs_emulated_${gh.installationId}`;
    process.env["GITHUB_API_URL"] = `http://${host}/api/v3`;
    const root = repo({ ".github/gitops-gate.yml": "policies:\n  builtin: none\n  sources:\n    - repo: acme/policies\n      ref: v3\n      path: rules\n", "deploy/pod.yaml": POD });
    const { code, out, err } = await cli("check", "--config", join(root, ".github/gitops-gate.yml"), "-o", "json", join(root, "deploy"));
    expect(err).toBe("");
    expect(code).toBe(1);
    const report = JSON.parse(out) as { policies: Array<{ name: string; commit?: string }> };
    expect(report.policies[1]).toMatchObject({ name: "acme/policies@v3:rules/", commit: v3 });
    expect(out).toContain("pod api has no team label");
    expect(gh.violations).toEqual([]);
  } finally {
    await gh.stop();
  }
});

describe("rendering in the CLI", () => {
  const overlay = {
    "base/kustomization.yaml": "resources: [deployment.yaml]\n",
    "base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: nginx:1.27\n",
    "prod/kustomization.yaml": "namespace: shop\nresources: [../base]\npatches:\n  - path: patch.yaml\n",
    "prod/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          securityContext:\n            privileged: true\n",
  };

  test("an overlay folder is rendered: findings on the patch line, the patch never judged alone", async () => {
    const root = repo(overlay);
    const { code, out } = await cli("check", "--no-config", "-o", "json", join(root, "prod"));
    expect(code).toBe(1);
    const report = JSON.parse(out) as { files: Array<{ path: string; findings: Array<{ ruleId: string; file: string; line: number; message: string }> }>; renders: Array<{ label: string; objects: number }> };
    expect(report.renders).toEqual([expect.objectContaining({ label: "prod", objects: 1 })]);
    const privileged = report.files.flatMap((f) => f.findings).filter((f) => f.ruleId === "k8s-privileged");
    expect(privileged.map((f) => [f.file.endsWith("prod/patch.yaml"), f.line])).toEqual([[true, 10]]);
    expect(privileged[0]?.message).toContain("(rendered by prod)");
    expect(report.files.map((f) => f.path.split("/").pop())).toEqual(["prod"]);
  });

  test("an Argo CD Application of another repository is not rendered from a chart folder of the same path here", async () => {
    const app = (name: string, url: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: argocd}\nspec:\n  destination: {namespace: shop, server: https://kubernetes.default.svc}\n  source:\n    repoURL: ${url}\n    path: charts/api\n    helm:\n      values: |\n        replicas: 3\n`;
    const root = repo({
      "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
      "charts/api/values.yaml": "replicas: 1\n",
      "charts/api/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\ndata:\n  replicas: \"{{ .Values.replicas }}\"\n",
      // The origin remote is git@github.com:acme/deploy.git: the same repository in its https form.
      "argocd/ours.yaml": app("ours", "https://github.com/acme/deploy.git"),
      "argocd/theirs.yaml": app("theirs", "https://github.com/other/deploy.git"),
    });
    const { out } = await cli("check", "--no-config", "-o", "json", join(root, "charts", "api"));
    const report = JSON.parse(out) as { renders: Array<{ label: string }> };
    const labels = report.renders.map((r) => r.label);
    expect(labels.some((l) => l.includes("ours"))).toBe(true);
    expect(labels.filter((l) => l.includes("theirs"))).toEqual([]);
  });

  test("--render none judges the files as they are, as before", async () => {
    const root = repo(overlay);
    const { out } = await cli("check", "--no-config", "--render", "none", "-o", "json", join(root, "prod"));
    const report = JSON.parse(out) as { files: Array<{ path: string }>; renders?: unknown };
    expect(report.renders).toBeUndefined();
    expect(report.files.map((f) => f.path.split("/").slice(-2).join("/")).sort()).toEqual(["prod/kustomization.yaml", "prod/patch.yaml"]);
  });
});

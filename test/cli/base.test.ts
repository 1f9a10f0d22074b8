// `gitops-gate check --base REF [--new-only]`: the checked files compared with a git
// revision of their repository; and the waivers file when the CLI follows a config.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { main } from "../../src/cli/main.js";

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), stderrIsTty: false });
  return { code, out, err };
}

const container = (name: string, privileged: boolean) =>
  `        - name: ${name}\n          image: r.example.com/${name}:1\n          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true${privileged ? ", privileged: true" : ""}}\n`;
const daemonSet = (name: string, containers: string, extra = "") =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\n  namespace: monitoring\nspec:\n  template:\n    spec:\n${extra}      containers:\n${containers}`;
const OLD = daemonSet("agent", container("a", true) + container("b", true) + container("c", true) + container("d", false));
const WITH_NEW = OLD.replace(container("d", false), container("d", true));
const CONFIG = "namespaces: [kubernetes.security, kubernetes.host]\n";

/** A git repository with `files` committed on main; returns its folder. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "gitops-gate-base-"));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  write(dir, files);
  git("add", "-A");
  git("commit", "-qm", "base");
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

interface Report {
  summary: { new?: number; preExisting?: number; blocking: number; waived: number };
  files: Array<{ findings: Array<{ ruleId: string; baseline?: string; blocks: boolean; waiver?: { reason: string } }> }>;
  other?: Array<{ ruleId: string; blocks: boolean }>;
}
const json = (out: string) => JSON.parse(out) as Report;
const privileged = (r: Report) => r.files.flatMap((f) => f.findings).filter((f) => f.ruleId === "k8s-privileged").map((f) => `${f.baseline} ${f.blocks ? "blocks" : "listed"}`);

describe("--base REF", () => {
  test("one new violation in a file with three old ones: --new-only fails on the one and lists three", async () => {
    const dir = repo({ "deploy/agent.yaml": OLD });
    write(dir, { "deploy/agent.yaml": WITH_NEW });
    const file = join(dir, "deploy/agent.yaml");
    const newOnly = await cli("check", "--no-config", "-n", "kubernetes.security", "--base", "HEAD", "--new-only", "-o", "json", file);
    expect(newOnly.code).toBe(1);
    expect(json(newOnly.out).summary).toMatchObject({ new: 1, preExisting: 3, blocking: 1 });
    expect(privileged(json(newOnly.out)).sort()).toEqual(["new blocks", "pre-existing listed", "pre-existing listed", "pre-existing listed"]);
    // Without --new-only (and no config): every finding fails, and still says which are new.
    const all = await cli("check", "--no-config", "-n", "kubernetes.security", "--base", "HEAD", "-o", "json", file);
    expect(json(all.out).summary).toMatchObject({ new: 1, preExisting: 3, blocking: 4 });
    // Text output says it too.
    const text = await cli("check", "--no-config", "-n", "kubernetes.security", "--base", "HEAD", "--new-only", file);
    expect(text.out).toContain("FAIL  Container must not run privileged [k8s-privileged] (pre-existing)");
    expect(text.out.trim().split("\n").pop()).toMatch(/1 new, 3 pre-existing/);
  });

  test("nothing added: --new-only passes with the old findings listed", async () => {
    const dir = repo({ "deploy/agent.yaml": OLD });
    write(dir, { "deploy/agent.yaml": `# touched\n${OLD}` });
    const { code, out } = await cli("check", "--no-config", "-n", "kubernetes.security", "--base", "HEAD", "--new-only", "-o", "json", join(dir, "deploy/agent.yaml"));
    expect(code).toBe(0);
    expect(json(out).summary).toMatchObject({ new: 0, preExisting: 3, blocking: 0 });
  });

  test("a renamed file (git mv) is compared with its previous path; an added one has no base", async () => {
    const dir = repo({ "deploy/old/agent.yaml": OLD });
    mkdirSync(join(dir, "deploy/new"));
    renameSync(join(dir, "deploy/old/agent.yaml"), join(dir, "deploy/new/agent.yaml"));
    execFileSync("git", ["add", "-A"], { cwd: dir });
    write(dir, { "deploy/new/agent.yaml": WITH_NEW, "deploy/added.yaml": daemonSet("added", container("x", true)) });
    const { code, out } = await cli("check", "--no-config", "-n", "kubernetes.security", "--base", "HEAD", "--new-only", "-o", "json", join(dir, "deploy"));
    expect(code).toBe(1);
    expect(json(out).summary).toMatchObject({ new: 2, preExisting: 3, blocking: 2 });
  });

  test("SARIF marks new and unchanged results and stays valid 2.1.0", async () => {
    const dir = repo({ "deploy/agent.yaml": OLD });
    write(dir, { "deploy/agent.yaml": WITH_NEW });
    const { out } = await cli("check", "--no-config", "-n", "kubernetes.security", "--base", "HEAD", "--new-only", "-o", "sarif", join(dir, "deploy/agent.yaml"));
    const log = JSON.parse(out);
    expect(validSarif(log)).toEqual([]);
    const states = log.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === "k8s-privileged").map((r: { baselineState: string }) => r.baselineState);
    expect(states.sort()).toEqual(["new", "unchanged", "unchanged", "unchanged"]);
  });

  test("following a config, its verdict (new by default) decides; verdict: all fails on every finding", async () => {
    const dir = repo({ ".github/gitops-gate.yml": CONFIG, "deploy/agent.yaml": OLD });
    write(dir, { "deploy/agent.yaml": WITH_NEW });
    const args = ["check", "--config", join(dir, ".github/gitops-gate.yml"), "--base", "HEAD", "-o", "json", join(dir, "deploy/agent.yaml")];
    expect(json((await cli(...args)).out).summary).toMatchObject({ new: 1, preExisting: 3, blocking: 1 });
    write(dir, { ".github/gitops-gate.yml": `${CONFIG}verdict: all\n` });
    expect(json((await cli(...args)).out).summary).toMatchObject({ new: 1, preExisting: 3, blocking: 4 });
    expect(json((await cli(...args.slice(0, 5), "--new-only", ...args.slice(5))).out).summary).toMatchObject({ blocking: 1 });
  });

  test("usage: --new-only needs --base; an unknown revision is an error", async () => {
    expect((await cli("check", "--new-only", "x.yaml")).code).toBe(2);
    const dir = repo({ "a.yaml": "kind: ConfigMap\n" });
    const bad = await cli("check", "--no-config", "--base", "no-such-ref", join(dir, "a.yaml"));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--base no-such-ref: no such revision");
  });
});

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
function validSarif(log: unknown): unknown[] {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv as never);
  return ajv.validate(schema, log) ? [] : (ajv.errors ?? []);
}

test("SARIF: results a conftest exception waived are there, suppressed (external)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gitops-gate-exc-"));
  const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: system-agent\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {privileged: true}\n";
  write(dir, { "pod.yaml": pod });
  const { code, out } = await cli("check", "-p", join(process.cwd(), "test", "fixtures", "policies", "conftest"), "-o", "sarif", join(dir, "pod.yaml"));
  const log = JSON.parse(out);
  expect(validSarif(log)).toEqual([]);
  const waived = log.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
  expect(waived).toEqual([expect.objectContaining({ ruleId: "main.deny_exempted", suppressions: [{ kind: "external", status: "accepted", justification: "conftest exception in package main for deny_exempted" }] })]);
  expect(code).toBe(1);
});

describe("waivers in the CLI (following the repository's config)", () => {
  const exporter = daemonSet("node-exporter", container("e", false), "      hostNetwork: true\n");
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const waiver = (rule: string, resource: string) => `- rule: ${rule}\n  resources: ["${resource}"]\n  reason: reads host metrics\n  owner: "@acme/observability"\n  expires: ${day(30)}\n`;

  test("a waiver waives its finding; SARIF carries it as an external suppression with the reason", async () => {
    const dir = repo({ ".github/gitops-gate.yml": CONFIG, ".github/gitops-gate-waivers.yml": waiver("k8s-host-network", "DaemonSet/monitoring/node-exporter"), "deploy/exporter.yaml": exporter });
    const config = join(dir, ".github/gitops-gate.yml");
    const file = join(dir, "deploy/exporter.yaml");
    const { code, out } = await cli("check", "--config", config, "-o", "json", file);
    expect(code).toBe(0);
    const hostNetwork = json(out).files.flatMap((f) => f.findings).find((f) => f.ruleId === "k8s-host-network");
    expect(hostNetwork).toMatchObject({ blocks: false, waiver: { reason: "reads host metrics" } });
    const sarif = JSON.parse((await cli("check", "--config", config, "-o", "sarif", file)).out);
    expect(validSarif(sarif)).toEqual([]);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "k8s-host-network");
    expect(result.suppressions).toEqual([
      expect.objectContaining({ kind: "external", status: "accepted", justification: "reads host metrics", properties: { owner: "@acme/observability", expires: day(30) } }),
    ]);
  });

  test("a waiver for k8s-privileged is a failing finding, and the privileged container still fails", async () => {
    const dir = repo({ ".github/gitops-gate.yml": CONFIG, ".github/gitops-gate-waivers.yml": waiver("k8s-privileged", "DaemonSet/monitoring/agent"), "deploy/agent.yaml": daemonSet("agent", container("a", true)) });
    const { code, out } = await cli("check", "--config", join(dir, ".github/gitops-gate.yml"), "-o", "json", join(dir, "deploy/agent.yaml"));
    expect(code).toBe(1);
    const report = json(out);
    expect(report.other).toEqual([expect.objectContaining({ ruleId: "gitops-gate/waiver-not-allowed", blocks: true })]);
    expect(privileged(report)).toEqual(["undefined blocks"]);
  });
});

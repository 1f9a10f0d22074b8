import { PolicyEngine } from "../../src/policy/engine.js";
import { evaluateCombined, evaluateFile, type FileToEvaluate } from "../../src/evaluation/evaluate-file.js";
import { compilePolicies } from "../../src/policy/build/compile.js";
import { findOpa } from "../../src/policy/build/opa.js";
import { fixtureBundle } from "../helpers/bundles.js";
import { ROOT } from "../helpers/corpus.js";
import type { PolicyBundle } from "../../src/policy/bundle.js";

const file = (path: string, text: string, format = "yaml"): FileToEvaluate => ({ path, format, bytes: Buffer.from(text) });

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  replicas: 1
  hostNetwork: true
  containers:
    - name: app
      image: nginx:latest
    - name: agent
      image: agent:1.0
      securityContext:
        privileged: true
`;

describe("conftest conventions", () => {
  let bundle: PolicyBundle;
  beforeAll(async () => {
    bundle = (await fixtureBundle("conftest")).bundle;
  });

  test("metadata of every rule travels with the bundle", () => {
    expect(Object.keys(bundle.metadata.namespaces).sort()).toEqual(["main", "other"]);
    expect(bundle.metadata.namespaces["main"]?.rules).toEqual(["deny", "deny_exempted", "deny_latest", "violation", "warn"]);
    expect(bundle.metadata.rules["main/deny_latest"]).toMatchObject({
      id: "test-latest",
      title: "Containers must not use the latest tag",
      severity: "critical",
      remediation: "Pin the image to a version.",
      docs: "https://example.com/latest",
      kind: "deny",
    });
    expect(bundle.metadata.namespaces["other"]?.rules).toEqual(["deny", "deny_bool"]);
  });

  test("only .rego files are compiled: a data file in the policy folder is not data (as conftest)", () => {
    expect(bundle.data).toEqual({});
  });

  test("namespace main by default; deny, deny_*, violation and warn; objects keep details", async () => {
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"], data: { params: { min_replicas: 2 } } });
    const report = evaluateFile(file("deploy/pod.yaml", POD), [engine]);
    const got = report.findings.map((f) => [f.ruleId, f.kind, f.line, f.message]).sort();
    expect(got).toEqual([
      ["main.deny", "deny", 1, "pod has no team label"],
      ["main.deny_exempted", "deny", 1, "privileged container"],
      ["main.violation", "deny", 7, "hostNetwork is on"],
      ["main.warn", "warn", 1, "replicas below minimum"],
      ["test-latest", "deny", 10, "app uses latest (file pod.yaml in deploy)"],
    ]);
    const latest = report.findings.find((f) => f.ruleId === "test-latest");
    expect(latest).toMatchObject({ severity: "critical", field: "spec.containers[0].image", details: { owner: "platform" } });
    expect(report.status).toBe("evaluated");
  });

  test("exception rules waive the named rule, and say so in conftest's form and with what they waived", async () => {
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const report = evaluateFile(file("a.yaml", POD.replace("name: web", "name: system-agent")), [engine]);
    expect(report.findings.map((f) => f.rule)).not.toContain("deny_exempted");
    expect(report.waived).toEqual([
      { file: "a.yaml", document: 0, line: 1, namespace: "main", rule: "deny_exempted", message: 'data.main.exception[_][_] == "exempted"', waived: ["privileged container"],
        // The finding it would have been, kept for rules that cannot be waived.
        findings: [expect.objectContaining({ ruleId: "main.deny_exempted", file: "a.yaml", document: 0, message: "privileged container" })],
      },
    ]);
    // As conftest: the exception counts for its rule whether or not the rule found anything.
    const quiet = evaluateFile(file("b.yaml", "kind: ConfigMap\nmetadata: {name: system-agent}\n"), [engine]);
    expect(quiet.waived).toEqual([
      { file: "b.yaml", document: 0, line: 1, namespace: "main", rule: "deny_exempted", message: 'data.main.exception[_][_] == "exempted"', waived: [], findings: [] },
    ]);
  });

  test("a list of namespaces, or all; boolean rules count as one finding", async () => {
    const all = await PolicyEngine.load(bundle, { namespaces: "all" });
    const secret = evaluateFile(file("s.yaml", "kind: Secret\nmetadata: {name: s}\n"), [all]);
    expect(secret.findings.map((f) => f.ruleId)).toEqual(["other.deny_bool"]);
    const other = await PolicyEngine.load(bundle, { namespaces: ["other"] });
    const pod = evaluateFile(file("p.yaml", POD), [other]);
    expect(pod.findings.map((f) => f.message)).toEqual(["other namespace fired"]);
    await expect(PolicyEngine.load(bundle, { namespaces: ["nope"] })).rejects.toThrow(/namespace nope not in bundle/);
  });

  test("user data overrides bundle data (parameters)", async () => {
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"], data: { params: { min_replicas: 1 } } });
    const report = evaluateFile(file("p.yaml", POD), [engine]);
    expect(report.findings.map((f) => f.rule)).not.toContain("warn");
  });

  test("each document of a stream is evaluated on its own, at its own lines", async () => {
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const report = evaluateFile(file("two.yaml", `kind: ConfigMap\n---\n${POD}`), [engine]);
    expect(report.documents).toBe(2);
    expect(report.findings.find((f) => f.ruleId === "test-latest")).toMatchObject({ document: 1, line: 12 });
    expect(report.findings.find((f) => f.ruleId === "main.deny")).toMatchObject({ document: 1, line: 3 });
  });

  test("a file that cannot be parsed is an error finding, never a pass", async () => {
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const report = evaluateFile(file("bad.yaml", "a: [1, 2\nb: 3\n"), [engine]);
    expect(report.status).toBe("error");
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: "error", ruleId: "gitops-gate/parse-error" });
    expect(report.findings[0]?.message).toMatch(/^parse bad\.yaml: /);
  });

  test("empty files are nothing to evaluate", async () => {
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const report = evaluateFile(file("empty.yaml", "# only a comment\n---\n"), [engine]);
    expect(report).toMatchObject({ status: "empty", documents: 0, findings: [] });
  });
});

describe("Gatekeeper-library packages", () => {
  test("violation over input.review.object with input.parameters from data.parameters", async () => {
    const { bundle } = await fixtureBundle("gatekeeper");
    expect(bundle.metadata.namespaces["k8srequiredlabels"]).toMatchObject({ style: "gatekeeper", rules: ["violation"] });
    const engine = await PolicyEngine.load(bundle, {
      namespaces: "all",
      data: { parameters: { k8srequiredlabels: { labels: ["owner", "app"] } } },
    });
    const report = evaluateFile(file("d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\n"), [engine]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "gk-required-labels",
      kind: "deny",
      // opa-wasm's sprintf prints a set's members without braces (OPA prints {"owner"}).
      message: expect.stringMatching(/^Deployment web is missing labels: .*owner/),
      details: { details: { missing_labels: ["owner"] } },
    });
  });
});

describe("combined mode", () => {
  test("one evaluation over [{path, contents}]; results land on the file they name", async () => {
    const { bundle } = await fixtureBundle("combined");
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const reports = evaluateCombined(
      [
        file("app/deploy.yaml", "kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n"),
        file("app/svc.yaml", "kind: Service\nmetadata:\n  name: orphan\nspec:\n  selector:\n    app: gone\n"),
        file("app/good.yaml", "kind: Service\nmetadata:\n  name: good\nspec:\n  selector: {app: web}\n"),
      ],
      [engine],
    );
    const svc = reports.find((r) => r.path === "app/svc.yaml");
    expect(svc?.findings.map((f) => [f.message, f.line])).toEqual([["service orphan selects no deployment", 5]]);
    expect(reports.find((r) => r.path === "app/deploy.yaml")?.findings).toEqual([]);
    expect(reports.find((r) => r.path === "app/good.yaml")?.findings).toEqual([]);
  });
});

describe("errors are findings, never passes", () => {
  test("a conflict at evaluation time becomes an evaluation error", async () => {
    const { bundle } = await fixtureBundle("conflict");
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const report = evaluateFile(file("c.yaml", "kind: Pod\n"), [engine]);
    expect(report.status).toBe("error");
    expect(report.findings[0]).toMatchObject({ kind: "error", ruleId: "gitops-gate/evaluation-error" });
    expect(report.findings[0]?.message).toMatch(/^evaluate c\.yaml: /);
  });

  test("memory exhaustion is an error with its cause, and the engine recovers", async () => {
    const { bundle } = await fixtureBundle("conftest");
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"], maxMemoryBytes: 8 * 1024 * 1024 });
    const big = { kind: "Pod", metadata: { name: "x".repeat(16 * 1024 * 1024) } };
    expect(() => engine.evaluateDocument(big, { name: "big.yaml", dir: "." })).toThrow(/^evaluate big\.yaml: .*(memory|Memory)/);
    await engine.reset();
    const ok = engine.evaluateDocument({ kind: "Pod", metadata: { name: "small", labels: { team: "a" } } }, { name: "s.yaml", dir: "." });
    expect(ok.rules).toBeDefined();
  });

  test("a policy calling a refused builtin fails at build time, naming it and why", async () => {
    await expect(
      compilePolicies({ sources: [`${ROOT}/test/fixtures/policies/unsupported`], opa: await findOpa(), out: "/tmp/never.tar.gz" }),
    ).rejects.toThrow(/net\.rego:4: .*undefined function http\.send[\s\S]*http\.send is not supported by gitops-gate: it sends HTTP requests/);
  });

  test("pre-1.0 Rego builds with regoVersion v0", async () => {
    const { bundle } = await fixtureBundle("v0", "v0");
    const engine = await PolicyEngine.load(bundle, { namespaces: ["main"] });
    const report = evaluateFile(file("p.yaml", "kind: Pod\n"), [engine]);
    expect(report.findings.map((f) => f.message)).toEqual(["old-style rule fired"]);
  });
});

// New or pre-existing: the base and the head of a change judged by the built-in packs, and
// the head's findings matched to the base's by rule, resource and field path.
import { baselineKey, preExisting } from "../../src/evaluation/baseline.js";
import { evaluateFile } from "../../src/evaluation/evaluate-file.js";
import { decideVerdict } from "../../src/evaluation/verdict.js";
import { PolicyEngine } from "../../src/policy/engine.js";
import type { Finding } from "../../src/policy/types.js";
import { builtinBundle } from "../helpers/bundles.js";

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await PolicyEngine.load(builtinBundle().bundle, { namespaces: ["kubernetes.security", "kubernetes.images"] });
});

const deployment = (name: string, containers: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
${containers}`;
const container = (name: string, extra = "") =>
  `        - name: ${name}\n          image: registry.example.com/${name}:1.0\n          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true${extra}}\n`;
const privileged = ", privileged: true";

function judge(path: string, text: string) {
  return evaluateFile({ path, format: "yaml", bytes: Buffer.from(text) }, [engine]);
}

/** `rule@resource field` of the head's findings, split into new and pre-existing. */
function classify(base: Record<string, string>, head: Record<string, string>, renames: Record<string, string> = {}) {
  const baseFindings = Object.entries(base).flatMap(([p, t]) => judge(p, t).findings);
  const headFindings = Object.entries(head).flatMap(([p, t]) => judge(p, t).findings);
  const old = preExisting(headFindings, baseFindings, new Map(Object.entries(renames)));
  const label = (f: Finding) => `${f.ruleId}@${f.resource ?? `${f.file}#${f.document}`} ${f.field ?? ""}`.trim();
  return { new: headFindings.filter((f) => !old.has(f)).map(label).sort(), preExisting: headFindings.filter((f) => old.has(f)).map(label).sort() };
}

describe("matching head findings to base findings", () => {
  test("one violation added to a file with three old ones: one new, three pre-existing (lines moved)", () => {
    const base = deployment("web", container("a", privileged) + container("b", privileged) + container("c", privileged) + container("d"));
    const head = `# a comment moves every line\n${base.replace(container("d"), container("d", privileged))}`;
    expect(classify({ "deploy/web.yaml": base }, { "deploy/web.yaml": head })).toEqual({
      new: ["k8s-privileged@Deployment/shop/web spec.template.spec.containers[3].securityContext.privileged"],
      preExisting: [0, 1, 2].map((i) => `k8s-privileged@Deployment/shop/web spec.template.spec.containers[${i}].securityContext.privileged`),
    });
  });

  test("a renamed file is matched to its previous path", () => {
    const text = deployment("web", container("a", privileged));
    expect(classify({ "old/web.yaml": text }, { "new/web.yaml": text }, { "new/web.yaml": "old/web.yaml" })).toEqual({
      new: [], preExisting: ["k8s-privileged@Deployment/shop/web spec.template.spec.containers[0].securityContext.privileged"],
    });
    // Without the rename, the file is another resource's home: its findings are new.
    expect(classify({ "old/web.yaml": text }, { "new/web.yaml": text }).new).toHaveLength(1);
  });

  test("moved documents: an object keeps its findings wherever it sits in the file", () => {
    const web = deployment("web", container("a", privileged));
    const api = deployment("api", container("a"));
    const result = classify({ "d.yaml": `${web}---\n${api}` }, { "d.yaml": `${api.replace(container("a"), container("a", privileged))}---\n${web}` });
    expect(result).toEqual({
      new: ["k8s-privileged@Deployment/shop/api spec.template.spec.containers[0].securityContext.privileged"],
      preExisting: ["k8s-privileged@Deployment/shop/web spec.template.spec.containers[0].securityContext.privileged"],
    });
  });

  test("a changed field path is a new finding: a container inserted before a privileged one", () => {
    const base = deployment("web", container("a", privileged));
    const head = deployment("web", container("z") + container("a", privileged));
    expect(classify({ "w.yaml": base }, { "w.yaml": head })).toEqual({
      new: ["k8s-privileged@Deployment/shop/web spec.template.spec.containers[1].securityContext.privileged"], preExisting: [],
    });
  });

  test("the same name in another file, or a renamed object, is another resource", () => {
    const text = deployment("web", container("a", privileged));
    expect(classify({ "prod/web.yaml": text }, { "prod/web.yaml": text, "staging/web.yaml": text }).new).toEqual([
      "k8s-privileged@Deployment/shop/web spec.template.spec.containers[0].securityContext.privileged",
    ]);
    expect(classify({ "w.yaml": text }, { "w.yaml": text.replace("name: web", "name: web2") }).new).toHaveLength(1);
  });

  test("each base finding accounts for one head finding", () => {
    const f: Finding = { ruleId: "r", kind: "deny", severity: "high", title: "t", message: "m", file: "a.yaml", line: 1, document: 0 };
    const twice = [f, { ...f, line: 2 }];
    expect(preExisting(twice, [f]).size).toBe(1);
  });

  test("non-Kubernetes findings match by file and document; rendered ones by root and object; errors never", () => {
    const tf: Finding = { ruleId: "aws-s3-encryption", kind: "deny", severity: "high", title: "t", message: "m", file: "main.tf", line: 3, document: 0, field: "resource.aws_s3_bucket.b" };
    expect(baselineKey(tf)).toBe(baselineKey({ ...tf, line: 30 }));
    expect(baselineKey(tf)).not.toBe(baselineKey({ ...tf, document: 1 }));
    const rendered: Finding = { ...tf, file: "charts/api/values.yaml", details: { renderedBy: "helm:charts/api#", object: "Deployment/shop/api" }, field: "spec.replicas" };
    expect(baselineKey(rendered)).toBe(baselineKey({ ...rendered, file: "charts/api/templates/deployment.yaml", line: 9 }));
    expect(baselineKey(rendered)).not.toBe(baselineKey({ ...rendered, details: { renderedBy: "kustomize:overlays/prod", object: "Deployment/shop/api" } }));
    const error: Finding = { ...tf, kind: "error", ruleId: "gitops-gate/parse-error" };
    expect(preExisting([error], [error]).size).toBe(0);
  });
});

describe("the verdict with a base", () => {
  const report = (path: string, text: string) => judge(path, text);
  const base = deployment("web", container("a", privileged) + container("b", privileged) + container("c", privileged) + container("d"));
  const head = base.replace(container("d"), container("d", privileged));

  test("verdict new blocks on the one new finding and lists the three old ones", () => {
    const v = decideVerdict([report("w.yaml", head)], ["deny"], { base: { reports: [report("w.yaml", base)] }, mode: "new" });
    const privilegedFindings = v.findings.filter((j) => j.finding.ruleId === "k8s-privileged");
    expect(privilegedFindings.map((j) => [j.finding.field?.match(/\[(\d)\]/)?.[1], j.baseline, j.blocks])).toEqual([
      ["0", "pre-existing", false], ["1", "pre-existing", false], ["2", "pre-existing", false], ["3", "new", true],
    ]);
    expect(v).toMatchObject({ conclusion: "failure", mode: "new", counts: { new: 1, preExisting: 3 } });
    expect(v.blocking).toHaveLength(1);
  });

  test("verdict all blocks on every finding, and still says which are new", () => {
    const v = decideVerdict([report("w.yaml", head)], ["deny"], { base: { reports: [report("w.yaml", base)] }, mode: "all" });
    expect(v.blocking.filter((f) => f.ruleId === "k8s-privileged")).toHaveLength(4);
    expect(v.counts).toMatchObject({ new: 1, preExisting: 3 });
  });

  test("no base: nothing is pre-existing, and counts say nothing about it", () => {
    const v = decideVerdict([report("w.yaml", head)], ["deny"], { mode: "new" });
    expect(v.blocking.filter((f) => f.ruleId === "k8s-privileged")).toHaveLength(4);
    expect(v.counts.new).toBeUndefined();
  });
});

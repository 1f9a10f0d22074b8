// What a Gatekeeper template is given, piece by piece: the review of a document, the match
// of a Constraint, the inventory and Constraints of a repository, and its compiled form.
import { gatekeeperContext } from "../../src/policy/gatekeeper/context.js";
import { constraintMatches, selectorMatches, wildcardMatches, type ConstraintMatch } from "../../src/policy/gatekeeper/match.js";
import { reviewOf } from "../../src/policy/gatekeeper/review.js";
import { isolateLibs, readTemplate } from "../../src/policy/gatekeeper/template.js";

const pod = (ns?: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", ...(ns ? { namespace: ns } : {}), labels } });
const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "shop" } };

describe("review", () => {
  test("a manifest: the AdmissionRequest gator builds (no operation, no user, no old object)", () => {
    expect(reviewOf(deploy)?.review).toEqual({
      uid: "", kind: { group: "apps", version: "v1", kind: "Deployment" }, resource: { group: "", version: "", resource: "" },
      name: "d", namespace: "shop", operation: "", userInfo: {}, object: deploy, oldObject: null, options: null,
    });
    expect(reviewOf(pod())?.review).not.toHaveProperty("namespace");
    expect(reviewOf({ name: "not a Kubernetes object" })).toBeUndefined();
  });

  test("an AdmissionReview: its request as given; a DELETE is judged on its oldObject", () => {
    const request = { operation: "UPDATE", userInfo: { username: "u" }, object: deploy, oldObject: { ...deploy, spec: { replicas: 2 } } };
    const r = reviewOf({ apiVersion: "admission.k8s.io/v1beta1", kind: "AdmissionReview", request });
    expect(r?.review).toMatchObject({ operation: "UPDATE", userInfo: { username: "u" }, object: deploy, oldObject: request.oldObject, kind: { group: "", version: "", kind: "" } });
    expect(r?.objects).toHaveLength(2);
    const del = reviewOf({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { operation: "DELETE", oldObject: deploy } });
    expect(del?.review).toMatchObject({ object: deploy, oldObject: deploy });
    expect(() => reviewOf({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { operation: "CREATE" } })).toThrow(/does not contain an "object" or "oldObject"/);
    expect(() => reviewOf({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" })).toThrow(/did not actually pass in an AdmissionRequest/);
  });
});

describe("match", () => {
  test.each([
    ["kube-*", "kube-system", true], ["*-system", "kube-system", true], ["*system*", "a-system-b", true],
    ["kube-system", "kube-system", true], ["kube", "kube-system", false], ["*", "anything", true],
  ])("wildcard %s on %s: %s", (pattern, candidate, want) => {
    expect(wildcardMatches(pattern, candidate)).toBe(want);
  });

  test.each([
    ["matchLabels", { matchLabels: { a: "1" } }, { a: "1", b: "2" }, true],
    ["matchLabels, other value", { matchLabels: { a: "1" } }, { a: "2" }, false],
    ["In", { matchExpressions: [{ key: "a", operator: "In", values: ["1", "3"] }] }, { a: "3" }, true],
    ["NotIn with the key absent", { matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, {}, true],
    ["NotIn", { matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, { a: "1" }, false],
    ["Exists", { matchExpressions: [{ key: "a", operator: "Exists" }] }, { a: "" }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, { a: "x" }, false],
  ])("label selector, %s", (_name, selector, labels, want) => {
    expect(selectorMatches(selector, labels)).toBe(want);
  });

  const namespaces = new Map([["shop", { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { tier: "prod" } } }]]);
  const lookup = (n: string) => namespaces.get(n);
  test.each<[string, ConstraintMatch, object, boolean]>([
    ["kinds by group", { kinds: [{ apiGroups: ["apps"], kinds: ["Deployment"] }] }, deploy, true],
    ["kinds, another group", { kinds: [{ apiGroups: [""], kinds: ["Deployment"] }] }, deploy, false],
    ["kinds, wildcard", { kinds: [{ apiGroups: ["*"], kinds: ["*"] }] }, deploy, true],
    ["namespaces", { namespaces: ["sh*"] }, deploy, true],
    ["excludedNamespaces", { excludedNamespaces: ["shop"] }, deploy, false],
    ["namespaces say nothing of a cluster-scoped object", { namespaces: ["shop"] }, { apiVersion: "v1", kind: "Node", metadata: { name: "n" } }, true],
    ["a Namespace by its own name", { excludedNamespaces: ["shop"] }, namespaces.get("shop") as object, false],
    ["scope Namespaced", { scope: "Namespaced" }, deploy, true],
    ["scope Cluster", { scope: "Cluster" }, deploy, false],
    ["namespaceSelector, from the inventory's Namespace", { namespaceSelector: { matchLabels: { tier: "prod" } } }, deploy, true],
    ["namespaceSelector, no match", { namespaceSelector: { matchLabels: { tier: "dev" } } }, deploy, false],
    ["namespaceSelector, Namespace unknown: judged", { namespaceSelector: { matchLabels: { tier: "dev" } } }, pod("elsewhere"), true],
    ["labelSelector", { labelSelector: { matchLabels: { app: "x" } } }, pod("shop", { app: "x" }), true],
    ["name", { name: "p*" }, pod("shop"), true],
    ["source Generated", { source: "Generated" }, deploy, false],
  ])("%s", (_name, match, object, want) => {
    expect(constraintMatches(match, [object as Record<string, unknown>], "", lookup)).toBe(want);
  });
});

describe("repository context", () => {
  test("inventory in Gatekeeper's shape; no namespace means default unless the kind is cluster-scoped; Lists expanded", () => {
    const ctx = gatekeeperContext(
      [
        { file: "a.yaml", content: deploy },
        { file: "b.yaml", content: pod() },
        { file: "c.yaml", content: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" } } },
        { file: "d.yaml", content: { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "shop" } }] } },
        { file: "e.yaml", content: { values: "not an object of a cluster" } },
      ],
      new Set(),
    );
    expect(Object.keys(ctx.inventory.namespace["shop"] ?? {})).toEqual(["apps/v1", "v1"]);
    expect(ctx.inventory.namespace["default"]?.["v1"]?.["Pod"]?.["p"]).toEqual(pod());
    expect(ctx.inventory.cluster["storage.k8s.io/v1"]?.["StorageClass"]?.["fast"]).toBeDefined();
    expect(ctx.objects).toBe(4);
  });

  test("Constraints of the templates' kinds, once per kind and name", () => {
    const constraint = (params: unknown) => ({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sX", metadata: { name: "c" }, spec: { parameters: params } });
    const ctx = gatekeeperContext(
      [
        { file: "base/c.yaml", content: constraint({ v: 1 }) },
        { file: "overlay/c.yaml", content: constraint({ v: 2 }) },
        { file: "other.yaml", content: { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sUnknown", metadata: { name: "u" } } },
      ],
      new Set(["K8sX"]),
    );
    expect(ctx.constraints).toEqual([{ kind: "K8sX", name: "c", parameters: { v: 2 }, enforcementAction: "deny", file: "overlay/c.yaml" }]);
  });
});

describe("ConstraintTemplate", () => {
  test("each template's libs are its own; its package is its name", () => {
    expect(isolateLibs("package lib.helpers\n\nimport data.lib.other\nx := data.lib.helpers.y\n", "k8sa")).toBe(
      "package gitops_gate_templates.k8sa.lib.helpers\n\nimport data.gitops_gate_templates.k8sa.lib.other\nx := data.gitops_gate_templates.k8sa.lib.helpers.y\n",
    );
    const t = readTemplate(
      {
        apiVersion: "templates.gatekeeper.sh/v1", kind: "ConstraintTemplate", metadata: { name: "k8sb" },
        spec: { crd: { spec: { names: { kind: "K8sB" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", code: [{ engine: "K8sNativeValidation", source: {} }, { engine: "Rego", source: { rego: "package k8sa\nviolation[{\"msg\": \"m\"}] { true }\n", version: "v1" } }] }] },
      },
      "t.yaml",
    );
    expect(t).toMatchObject({ name: "k8sb", kind: "K8sB", package: "k8sb", declaredPackage: "k8sa", regoVersion: "v1" });
    expect("modules" in t && t.modules[0]?.text).toMatch(/^package k8sb\n/);
    expect(readTemplate({ apiVersion: "templates.gatekeeper.sh/v1", kind: "ConstraintTemplate", metadata: { name: "k8sc" }, spec: { crd: { spec: { names: { kind: "K8sC" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", code: [{ engine: "K8sNativeValidation", source: {} }] }] } }, "c.yaml")).toEqual({
      error: "ConstraintTemplate k8sc in c.yaml: no Rego (a template with only CEL code cannot be evaluated by gitops-gate)",
    });
  });
});

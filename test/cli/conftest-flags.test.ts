// conftest's flags and files in `gitops-gate check`, and Gatekeeper templates judged
// against the repository around the checked files. (conftest's own examples, run by both
// tools, are in test/conftest/examples.test.ts.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { main } from "../../src/cli/main.js";

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), stderrIsTty: false });
  return { code, out, err };
}

interface Json {
  files: Array<{ path: string; findings: Array<{ kind: string; message: string; namespace?: string; title: string; details?: Record<string, unknown> }>; waived: Array<{ message: string; rule: string; waived: string[] }> }>;
}
const findings = (out: string) => (JSON.parse(out) as Json).files.flatMap((f) => f.findings);

const root = mkdtempSync(join(tmpdir(), "gitops-gate-conftest-flags-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>, base = root): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, p)), { recursive: true });
    writeFileSync(join(base, p), text);
  }
  return base;
}

write({
  "policy/main.rego": 'package main\n\ndeny contains sprintf("%s is a %s", [input.metadata.name, input.kind]) if input.kind == "Pod"\n\nexception contains ["none"] if input.metadata.name == "waived"\n',
  "policy/commands.rego": 'package commands\n\nwarn contains "commands" if input.kind == "Pod"\n',
  "policy/checks.rego": 'package checks\n\ndeny contains "checks" if input.kind == "Pod"\n',
  // Not data: conftest loads only .rego from a policy folder.
  "policy/data.json": '{"main": {"deny": "shadowed"}}',
  "pods/a.yaml": "kind: Pod\nmetadata: {name: a}\n",
  "pods/skip/b.yaml": "kind: Pod\nmetadata: {name: b}\n",
  "two.yaml": "kind: Pod\nmetadata: {name: one}\n---\nkind: Pod\nmetadata: {name: two}\n",
  "strict/lenient.rego": "package main\n\ndeny contains \"x\" if {\n\ta := 1\n\tinput.kind == \"Pod\"\n}\n",
  "net/net.rego": 'package main\n\ndeny contains "resolved" if net.lookup_ip_addr("example.com")\n',
  "caps.json": JSON.stringify({ builtins: [{ name: "eq" }, { name: "equal" }, { name: "sprintf" }] }),
});
writeFileSync(join(root, "conftest.toml"), `policy = ${JSON.stringify(join(root, "policy"))}\nnamespace = ["checks", "commands"]\n`);
const policy = join(root, "policy");

describe("namespaces", () => {
  test("globs pick packages as conftest's path.Match does", async () => {
    const all = await cli("check", "-p", policy, "-n", "*", "-o", "json", join(root, "pods", "a.yaml"));
    expect(findings(all.out).map((f) => f.namespace).sort()).toEqual(["checks", "commands", "main"]);
    const c = await cli("check", "-p", policy, "-n", "c*", "-o", "json", join(root, "pods", "a.yaml"));
    expect(findings(c.out).map((f) => f.namespace).sort()).toEqual(["checks", "commands"]);
    const cls = await cli("check", "-p", policy, "-n", "c[a-h]ecks", "-o", "json", join(root, "pods", "a.yaml"));
    expect(findings(cls.out).map((f) => f.namespace)).toEqual(["checks"]);
    expect((await cli("check", "-p", policy, "-n", "[", join(root, "pods", "a.yaml"))).err).toMatch(/syntax error in pattern/);
  });

  test("an unknown namespace evaluates nothing, with a warning, as conftest passes", async () => {
    const r = await cli("check", "-p", policy, "-n", "notpresent", join(root, "pods", "a.yaml"));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: no policies in namespace "notpresent"/);
  });
});

test("a data file inside the policy folder is not data", async () => {
  const r = await cli("check", "-p", policy, "-o", "json", join(root, "pods", "a.yaml"));
  expect(findings(r.out).map((f) => f.message)).toEqual(["a is a Pod"]);
});

test("--ignore skips paths matching a Go regular expression, walked or named", async () => {
  const r = await cli("check", "-p", policy, "--ignore", "skip/", "-o", "json", join(root, "pods"));
  expect((JSON.parse(r.out) as Json).files.map((f) => f.path.split("/").pop())).toEqual(["a.yaml"]);
  expect((await cli("check", "-p", policy, "--ignore", "(", join(root, "pods"))).err).toMatch(/given regexp couldn't be parsed/);
});

test("conftest.toml (-c): its keys are defaults for the flags; a flag on the command line wins", async () => {
  const r = await cli("check", "-c", join(root, "conftest.toml"), "-o", "json", join(root, "pods", "a.yaml"));
  expect(findings(r.out).map((f) => f.namespace).sort()).toEqual(["checks", "commands"]);
  const flag = await cli("check", "-c", join(root, "conftest.toml"), "-n", "main", "-o", "json", join(root, "pods", "a.yaml"));
  expect(findings(flag.out).map((f) => f.namespace)).toEqual(["main"]);
});

test("--combine: one {path, contents} entry per document, results named Combined", async () => {
  write({ "combine/count.rego": 'package main\n\ndeny contains sprintf("%d documents from %v", [count(input), {p | p := input[_].path}]) if true\n' });
  const r = await cli("check", "-p", join(root, "combine"), "--combine", "-o", "json", join(root, "two.yaml"), join(root, "pods", "a.yaml"));
  const f = findings(r.out);
  expect(f).toHaveLength(1);
  expect(f[0]?.message).toMatch(/^3 documents from /);
  expect((JSON.parse(r.out) as Json).files.find((x) => x.findings.length)?.path).toBe("Combined");
});

describe("exceptions, as conftest reports them", () => {
  test("one per match of the exception query, with what it waived; --suppress-exceptions hides them in text", async () => {
    write({ "exc/p.rego": 'package main\n\ndeny_root contains "runs as root" if input.kind == "Pod"\n\nexception contains ["root"] if input.metadata.name == "a"\n' });
    const r = await cli("check", "-p", join(root, "exc"), "-o", "json", join(root, "pods", "a.yaml"));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Json).files[0]?.waived).toEqual([expect.objectContaining({ message: 'data.main.exception[_][_] == "root"', rule: "deny_root", waived: ["runs as root"] })]);
    const text = await cli("check", "-p", join(root, "exc"), join(root, "pods", "a.yaml"));
    expect(text.out).toMatch(/a\.yaml:1 {2}EXCP {2}data\.main\.exception\[_\]\[_\] == "root"\n {6}waives main\.deny_root: runs as root/);
    expect(text.out).toMatch(/1 exception;/);
    const hidden = await cli("check", "-p", join(root, "exc"), "--suppress-exceptions", join(root, "pods", "a.yaml"));
    expect(hidden.out).not.toMatch(/EXCP/);
  });
});

describe("compile flags", () => {
  test("--strict: OPA's strict errors, at the user's file", async () => {
    const r = await cli("check", "-p", join(root, "strict"), "--strict", join(root, "pods", "a.yaml"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(root, "strict", "lenient.rego")}:4: rego_compile_error: assigned var a unused`);
  });

  test("--capabilities: only what the file declares", async () => {
    write({ "caps/p.rego": 'package main\n\ndeny contains "upper" if upper(input.kind) == "POD"\n' });
    const r = await cli("check", "-p", join(root, "caps"), "--capabilities", join(root, "caps.json"), join(root, "pods", "a.yaml"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/undefined function upper\n {2}upper is not declared by --capabilities/);
    const fine = await cli("check", "-p", policy, "--capabilities", join(root, "caps.json"), "-n", "commands", join(root, "pods", "a.yaml"));
    expect(fine.code).toBe(0);
  });

  test("network builtins: refused at compile time, unless builtin errors are asked for; then each call fails its file", async () => {
    const refused = await cli("check", "-p", join(root, "net"), join(root, "pods", "a.yaml"));
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/net\.lookup_ip_addr is not supported by gitops-gate: .*--show-builtin-errors/);
    const shown = await cli("check", "-p", join(root, "net"), "--show-builtin-errors", "-o", "json", join(root, "pods", "a.yaml"));
    expect(shown.code).toBe(2);
    expect(findings(shown.out)[0]?.message).toMatch(/built-in error: net\.lookup_ip_addr: gitops-gate evaluates policies without network access/);
  });
});

test("--quiet prints nothing when nothing fails; --no-fail exits 0 on a deny", async () => {
  expect((await cli("check", "-p", policy, "-n", "commands", "--quiet", join(root, "pods", "a.yaml"))).out).toBe("");
  expect((await cli("check", "-p", policy, "--no-fail", join(root, "pods", "a.yaml"))).code).toBe(0);
  expect((await cli("check", "-p", policy, "--trace", join(root, "pods", "a.yaml"))).err).toMatch(/--trace is not available/);
});

describe("Gatekeeper templates against the repository around the checked files", () => {
  const repo = join(root, "repo");
  write(
    {
      ".git/HEAD": "ref: refs/heads/main\n",
      "templates/replicas.yaml": `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sreplicas}
spec:
  crd: {spec: {names: {kind: K8sReplicas}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sreplicas

        import data.lib.helpers.too_few

        violation[{"msg": msg}] {
          too_few(input.review.object.spec.replicas, input.parameters.min)
          msg := sprintf("%v has %v replicas, fewer than %v", [input.review.object.metadata.name, input.review.object.spec.replicas, input.parameters.min])
        }

        violation[{"msg": msg}] {
          input.review.operation == "UPDATE"
          input.review.oldObject.spec.replicas > input.review.object.spec.replicas
          msg := sprintf("%v scales down (by %v)", [input.review.object.metadata.name, input.review.userInfo.username])
        }

        violation[{"msg": msg}] {
          not data.inventory.cluster.v1.Namespace[input.review.object.metadata.namespace]
          msg := sprintf("namespace %v is not in the repository", [input.review.object.metadata.namespace])
        }
      libs:
        - |
          package lib.helpers

          too_few(n, min) {
            n < min
          }
`,
      "cluster/constraint.yaml":
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sReplicas\nmetadata: {name: at-least-two}\nspec:\n  match:\n    kinds: [{apiGroups: [apps], kinds: [Deployment]}]\n    namespaceSelector: {matchLabels: {tier: prod}}\n  parameters: {min: 2}\n",
      "cluster/namespaces.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {tier: prod}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: lab, labels: {tier: dev}}\n",
      "apps/shop.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 1}\n",
      "apps/lab.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: toy, namespace: lab}\nspec: {replicas: 1}\n",
      "reviews/scale-down.yaml": `apiVersion: admission.k8s.io/v1
kind: AdmissionReview
request:
  operation: UPDATE
  namespace: shop
  userInfo: {username: alice}
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: {replicas: 2}}
  oldObject: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: {replicas: 5}}
`,
    },
    repo,
  );

  test("the Constraint's parameters and match; the inventory's Namespaces for namespaceSelector", async () => {
    const r = await cli("check", "-p", join(repo, "templates"), "--all-namespaces", "-o", "json", join(repo, "apps"));
    const got = findings(r.out).map((f) => [f.message, f.title]);
    expect(got).toEqual([["web has 1 replicas, fewer than 2", "K8sReplicas (K8sReplicas at-least-two)"]]);
    expect(r.code).toBe(1);
  });

  test("an AdmissionReview is judged as its request: operation, oldObject, userInfo", async () => {
    const r = await cli("check", "-p", join(repo, "templates"), "--all-namespaces", "-o", "json", join(repo, "reviews", "scale-down.yaml"));
    expect(findings(r.out).map((f) => f.message)).toEqual(["web scales down (by alice)"]);
  });

  test("a warn Constraint warns; a dryrun one is not enforced", async () => {
    write({ "cluster/constraint.yaml": "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sReplicas\nmetadata: {name: soft}\nspec:\n  enforcementAction: warn\n  parameters: {min: 2}\n" }, repo);
    const warn = await cli("check", "-p", join(repo, "templates"), "--all-namespaces", "-o", "json", join(repo, "apps", "lab.yaml"));
    expect(warn.code).toBe(0);
    expect(findings(warn.out).map((f) => [f.kind, f.message])).toEqual([["warn", "toy has 1 replicas, fewer than 2"]]);
    write({ "cluster/constraint.yaml": "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sReplicas\nmetadata: {name: soft}\nspec:\n  enforcementAction: dryrun\n  parameters: {min: 2}\n" }, repo);
    expect(findings((await cli("check", "-p", join(repo, "templates"), "--all-namespaces", "-o", "json", join(repo, "apps", "lab.yaml"))).out)).toEqual([]);
  });
});

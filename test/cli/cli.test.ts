import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { main } from "../../src/cli/main.js";
import { CORPUS, ROOT } from "../helpers/corpus.js";


async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), stderrIsTty: false });
  return { code, out, err };
}

const ex = (p: string): string => join(ROOT, "examples", p);
const params = ["--data", ex("parameters.yaml")];

interface JsonReport {
  summary: { files: number; documents: number; denied: number; warnings: number; errors: number };
  files: Array<{ path: string; status: string; findings: Array<{ ruleId: string; line: number; kind: string; file: string }> }>;
}

describe("gitops-gate check on the bundled examples", () => {
  test("good examples: nothing found, exit 0", async () => {
    const { code, out } = await cli("check", ...params, ex("good"));
    expect(out).toMatch(/2 files, 3 documents: 0 failures, 0 warnings, 0 errors; 2 files passed/);
    expect(code).toBe(0);
  });

  test("bad examples: each rule at its line, exit 1", async () => {
    const { code, out } = await cli("check", ...params, "-o", "json", ex("bad/worker.yaml"), ex("bad/services.yaml"));
    expect(code).toBe(1);
    const report = JSON.parse(out) as JsonReport;
    const got = report.files.flatMap((f) => f.findings.filter((x) => x.kind === "deny").map((x) => `${x.file.split("/").pop()}:${x.line} ${x.ruleId}`));
    expect(got.sort()).toEqual(
      [
        "worker.yaml:17 k8s-default-namespace",
        "worker.yaml:18 k8s-required-labels",
        "worker.yaml:29 k8s-host-network",
        "worker.yaml:30 k8s-host-pid",
        "worker.yaml:32 k8s-memory-limit",
        "worker.yaml:32 k8s-resource-requests",
        "worker.yaml:32 k8s-resource-requests",
        "worker.yaml:33 k8s-image-registry",
        "worker.yaml:33 k8s-image-tag",
        "worker.yaml:34 k8s-privilege-escalation",
        "worker.yaml:34 k8s-run-as-non-root",
        "worker.yaml:35 k8s-privileged",
        "worker.yaml:37 k8s-capabilities",
        "worker.yaml:43 k8s-host-path",
        "services.yaml:10 k8s-service-nodeport",
        "services.yaml:17 k8s-removed-api-version",
      ].sort(),
    );
  });

  test("text output: grouped by file, file:line, title, message, fix, one summary line", async () => {
    const { out } = await cli("check", ...params, ex("bad/services.yaml"));
    expect(out).toContain("services.yaml:10  FAIL  Service must not be of type NodePort [k8s-service-nodeport]");
    expect(out).toMatch(/\n {6}fix: /);
    expect(out.trim().split("\n").pop()).toBe("1 file, 2 documents: 2 failures, 0 warnings, 0 errors; 0 files passed");
  });

  test("a file that cannot be parsed: exit 2, error at the failing line", async () => {
    const { code, out } = await cli("check", ex("bad/broken.yaml"));
    expect(code).toBe(2);
    expect(out).toMatch(/broken\.yaml:10 {2}ERROR {2}File could not be parsed/);
  });

  test("--fail-on-warn turns warnings into exit 1", async () => {
    const doc = join(ROOT, "test", "fixtures", "manifests", "warn-only.yaml");
    expect((await cli("check", doc)).code).toBe(0);
    expect((await cli("check", "--fail-on-warn", doc)).code).toBe(1);
  });
});

describe("outputs", () => {
  test("SARIF is valid 2.1.0 with rules, levels and locations", async () => {
    const { out } = await cli("check", ...params, "-o", "sarif", ex("bad"));
    const log = JSON.parse(out);
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    // URIs in the log (helpUri, $schema) are checked too.
    addFormats.default(ajv as never);
    const valid = ajv.validate(schema, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const run0 = log.runs[0];
    const ruleIds = run0.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toContain("k8s-privileged");
    expect(ruleIds).toContain("gitops-gate/parse-error");
    const privileged = run0.results.find((r: { ruleId: string }) => r.ruleId === "k8s-privileged");
    expect(privileged).toMatchObject({ level: "error", locations: [{ physicalLocation: { region: { startLine: 35 } } }] });
    expect(run0.tool.driver.rules[privileged.ruleIndex].id).toBe("k8s-privileged");
    expect(privileged.locations[0].physicalLocation.artifactLocation.uri).toMatch(/examples\/bad\/worker\.yaml$/);
  });

  test("github prints workflow annotations with file and line", async () => {
    const { out } = await cli("check", ...params, "-o", "github", ex("bad/services.yaml"));
    expect(out).toMatch(/^::error file=.*examples\/bad\/services\.yaml,line=10,title=Service must not be of type NodePort \[k8s-service-nodeport\]::Service "admin"/m);
  });
});

describe("policies and options", () => {
  const fixtures = join(ROOT, "test", "fixtures", "policies");
  const pod = join(ROOT, "test", "fixtures", "manifests", "pod.yaml");

  test("--policy folder: compiled on the fly, namespace main by default (conftest)", async () => {
    const { code, out } = await cli("check", "-p", join(fixtures, "conftest"), "-o", "json", pod);
    expect(code).toBe(1);
    const ids = (JSON.parse(out) as JsonReport).files[0]?.findings.map((f) => f.ruleId).sort();
    expect(ids).toEqual(["main.deny", "main.violation", "test-latest"]);
    // data.conftest.file as conftest sets it: base name and absolute folder.
    const latest = (JSON.parse(out) as { files: Array<{ findings: Array<{ ruleId: string; message: string }> }> }).files[0]?.findings.find((f) => f.ruleId === "test-latest");
    expect(latest?.message).toBe(`app uses latest (file pod.yaml in ${join(ROOT, "test", "fixtures", "manifests")})`);
  });

  test("--namespace, --all-namespaces", async () => {
    const one = await cli("check", "-p", join(fixtures, "conftest"), "-n", "other", "-o", "json", pod);
    expect((JSON.parse(one.out) as JsonReport).files[0]?.findings.map((f) => f.ruleId)).toEqual(["other.deny"]);
    const all = await cli("check", "-p", join(fixtures, "conftest"), "--all-namespaces", "-o", "json", pod);
    expect((JSON.parse(all.out) as JsonReport).files[0]?.findings).toHaveLength(4);
  });

  test("--combine evaluates all files as one input", async () => {
    const dir = join(ROOT, "test", "fixtures", "manifests", "combined");
    const { code, out } = await cli("check", "-p", join(fixtures, "combined"), "--combine", "-o", "json", dir);
    expect(code).toBe(1);
    const report = JSON.parse(out) as JsonReport;
    const found = report.files.flatMap((f) => f.findings.map((x) => `${x.file.split("/").pop()}:${x.line}`));
    expect(found).toEqual(["orphan-service.yaml:8"]);
  });

  test("usage errors exit 2 with a message", async () => {
    expect((await cli("check")).code).toBe(2);
    expect((await cli("check", "-o", "xml", pod)).code).toBe(2);
    expect((await cli("frobnicate")).code).toBe(2);
    const missing = await cli("check", join(ROOT, "no-such-dir"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/read .*no-such-dir: no such file or directory/);
  });

  test("the binary reads stdin with -", async () => {
    const child = spawn("node", [join(ROOT, "bin", "gitops-gate.js"), "check", "-"], { cwd: ROOT });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stdin.end("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  namespace: default\nspec:\n  containers:\n    - name: a\n      image: nginx\n");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}-:9 {2}FAIL {2}Container image must have a pinned tag/m);
  });
});

describe("the hostile corpus through the CLI", () => {
  test("every broken file is an error finding, valid ones are judged, nothing crashes", async () => {
    const { code, out } = await cli("check", "-o", "json", join(CORPUS, "bad"));
    expect(code).toBe(2);
    const report = JSON.parse(out) as JsonReport;
    const status = Object.fromEntries(report.files.map((f) => [f.path.split("/").pop(), f.status]));
    for (const name of ["alias-bomb.yaml", "binary-garbage.yaml", "duplicate-keys.yaml", "deep-nesting.json", "large-5mib.yaml", "invalid-utf8.yaml", "unsafe-tags.yaml", "multidoc-one-invalid.yaml"]) {
      expect([name, status[name]]).toEqual([name, "error"]);
    }
    for (const name of ["empty.yaml", "only-comments-and-separators.yaml"]) expect([name, status[name]]).toEqual([name, "empty"]);
    expect(status["crlf-line-endings.yaml"]).toBe("evaluated");
    expect(status["broken.tf"]).toBe("error");
  });
});

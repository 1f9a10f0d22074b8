// Format detection by path, and the YAML-flavoured kinds over their corpus folders.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { detectFormat, parseFile } from "../../src/manifests/index.js";
import { discover } from "../../src/cli/discover.js";
import { CONFTEST_FORMATS } from "../../src/manifests/conftest-wasm/formats.js";
import { CORPUS, listFiles } from "../helpers/corpus.js";

const CONFTEST_FORMAT_NAMES = new Set(CONFTEST_FORMATS.map((p) => p.format));

test.each([
  [".github/workflows/ci.yml", "github-workflow"],
  ["repo/.github/workflows/release.yaml", "github-workflow"],
  ["charts/web/Chart.yaml", "helm-chart"],
  ["charts/web/values.yaml", "helm-values"],
  ["charts/web/values-prod.yaml", "helm-values"],
  ["overlays/prod/kustomization.yaml", "kustomize"],
  ["svc/serverless.yml", "serverless"],
  ["stack.template", "cloudformation"],
  ["deploy/app.yaml", "yaml"],
  ["deploy/app.json", "json"],
  ["main.tf", "terraform"],
  ["main.tf.json", "json"],
])("%s is %s", (path, format) => {
  expect(detectFormat(path)).toBe(format);
});

test("a committed `terraform show -json` plan is recognised by content", () => {
  const plan = '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}}, "resource_changes": []}';
  const r = parseFile({ path: "plan.json", bytes: Buffer.from(plan) }, "json");
  expect(r.ok && r.format).toBe("terraform-plan");
});

test("workflows keep `on` a string key and its value", () => {
  const r = parseFile({ path: ".github/workflows/ci.yml", bytes: Buffer.from("on:\n  push:\n    branches: [main]\njobs: {}\n") }, "github-workflow");
  expect(r.ok && r.documents[0]?.content).toEqual({ on: { push: { branches: ["main"] } }, jobs: {} });
});

test.each([
  ["github-workflows", "github-workflow"],
  ["helm", undefined],
  ["kustomize", undefined],
])("every YAML file of corpus/%s is detected and parses", (dir, only) => {
  const root = join(CORPUS, dir);
  const problems: string[] = [];
  let seen = 0;
  for (const path of listFiles(root)) {
    const format = detectFormat(path);
    // Files of the formats read by conftest's parsers (a kustomize .env) are compared with
    // conftest itself in formats-parity.test.ts.
    if (!format || CONFTEST_FORMAT_NAMES.has(format)) continue;
    seen++;
    if (only && format !== only) problems.push(`${relative(root, path)}: detected as ${format}`);
    const r = parseFile({ path, bytes: readFileSync(path) }, format);
    if (!r.ok) problems.push(`${relative(root, path)}: ${r.error.reason}@${r.error.line} ${r.error.message}`);
  }
  expect(seen).toBeGreaterThan(15);
  expect(problems).toEqual([]);
});

test("the CLI walks into .github for workflows and into other dot-folders that hold code", async () => {
  const found = await discover([join(CORPUS, "github-workflows")]);
  expect(found.length).toBe(listFiles(join(CORPUS, "github-workflows")).length);
  expect(found.every((f) => f.format === "github-workflow")).toBe(true);
  const tf = await discover([join(CORPUS, "terraform")]);
  expect(tf.length).toBe(listFiles(join(CORPUS, "terraform")).filter((p) => p.endsWith(".tf")).length);
  expect(tf.some((f) => f.path.includes("/.workshop/"))).toBe(true);
});

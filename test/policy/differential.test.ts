// The built-in pack over the whole Kubernetes corpus, evaluated twice: by our wasm
// engine and by `opa eval` on the same Rego source with the same inputs and data.
// Any difference (a builtin that behaves differently in wasm, a wrapper bug) fails here.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { detectFormat, parseFile } from "../../src/manifests/index.js";
import { findOpa } from "../../src/policy/build/opa.js";
import { PolicyEngine } from "../../src/policy/engine.js";
import { builtinBundle } from "../helpers/bundles.js";
import { CORPUS, ROOT, listFiles } from "../helpers/corpus.js";

const run = promisify(execFile);

/** Stable JSON: object keys sorted, array order kept. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Per rule, its results as a sorted list of stable JSON: a rule's set has no order. */
function canonical(rules: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(rules as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) {
    out[k] = (Array.isArray(v) ? v : [v]).map(stable).sort();
  }
  return out;
}

test("wasm engine and opa eval agree on every corpus document", async () => {
  const { bundle } = builtinBundle();
  const params = parseFile({ path: "p", bytes: readFileSync(join(ROOT, "examples", "parameters.yaml")) }, "yaml");
  if (!params.ok) throw new Error(params.error.message);
  const data = params.documents[0]?.content as Record<string, unknown>;

  const root = join(CORPUS, "kubernetes");
  const docs: Array<{ document: unknown; file: { name: string; dir: string } }> = [];
  for (const path of listFiles(root)) {
    const format = detectFormat(path);
    if (!format) continue;
    const parsed = parseFile({ path, bytes: readFileSync(path) }, format);
    if (!parsed.ok) continue;
    const name = relative(root, path);
    for (const d of parsed.documents) docs.push({ document: d.content, file: { name, dir: dirname(name) } });
  }
  expect(docs.length).toBeGreaterThan(1000);

  const engine = await PolicyEngine.load(bundle, { namespaces: "all", data });
  const ours = docs.map((d) => canonical(engine.evaluateDocument(d.document, d.file).rules));

  const keys = Object.keys(bundle.metadata.rules).sort();
  const ref = (key: string): string => {
    const [ns, rule] = key.split("/") as [string, string];
    return `data${[...ns.split("."), rule].map((s) => `[${JSON.stringify(s)}]`).join("")}`;
  };
  const work = mkdtempSync(join(tmpdir(), "gitops-gate-diff-"));
  writeFileSync(
    join(work, "difftest.rego"),
    [
      "package difftest",
      "",
      `per_doc := {${keys.map((k) => `${JSON.stringify(k)}: ${ref(k)}`).join(", ")}}`,
      "",
      "results := [r | some d in input.docs; r := per_doc with input as d.document with data.conftest.file as d.file]",
      "",
    ].join("\n"),
  );
  writeFileSync(join(work, "input.json"), JSON.stringify({ docs }));
  writeFileSync(join(work, "data.json"), JSON.stringify(data));
  const { stdout } = await run(
    await findOpa(),
    ["eval", "--format", "json", "-d", join(ROOT, "policies"), "-d", join(work, "difftest.rego"), "-d", join(work, "data.json"), "-i", join(work, "input.json"), "data.difftest.results"],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  const theirs = (JSON.parse(stdout) as { result: Array<{ expressions: Array<{ value: unknown[] }> }> }).result[0]?.expressions[0]?.value.map(canonical);
  expect(theirs).toHaveLength(docs.length);

  const differences: string[] = [];
  ours.forEach((o, i) => {
    const t = theirs?.[i] ?? {};
    for (const key of new Set([...Object.keys(o), ...Object.keys(t)])) {
      const a = JSON.stringify(o[key] ?? []);
      const b = JSON.stringify(t[key] ?? []);
      if (a !== b) differences.push(`${docs[i]?.file.name} ${key}: wasm ${a.slice(0, 400)} vs opa ${b.slice(0, 400)}`);
    }
  });
  expect(differences).toEqual([]);
  // The comparison must have had something to compare: findings on many documents.
  const withFindings = ours.filter((o) => Object.values(o).some((v) => v.length > 0)).length;
  expect(withFindings).toBeGreaterThan(300);
});

// Parity: for every root of the render corpus (every chart with each of its values sets,
// every kustomization that is not a Component), the engine's objects are the objects the
// real `helm template` and `kustomize build` print, built from the same pinned Go modules
// (scripts/ensure-render-tools.sh). The engine gets only the files discovery says the
// render reads, so this also checks discovery. Objects are compared parsed, in order.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findKustomizeRoots, helmInputs, helmValueSets, kustomizeInputs } from "../../src/hydrate/discover/index.js";
import { RenderError } from "../../src/hydrate/engine.js";
import type { RenderRequest } from "../../src/hydrate/types.js";
import { DEFAULT_KUBE_VERSION } from "../../src/hydrate/types.js";
import { DEFAULT_LIMITS } from "../../src/manifests/types.js";
import { yamlParser } from "../../src/manifests/yaml.js";
import { ROOT } from "../helpers/corpus.js";
import { RENDER_CORPUS, engine, readTree } from "./helpers.js";

const REPOS = ["stefanprodan__podinfo", "fluxcd__flux2-kustomize-helm-example", "GoogleCloudPlatform__microservices-demo"];
// The flux-system roots hold Flux's whole CRD set: past the 2 MiB a checked file may have.
const LIMITS = { ...DEFAULT_LIMITS, maxBytes: 64 * 1024 * 1024 };

let helm = "";
let kustomize = "";
let home = "";

beforeAll(() => {
  [helm, kustomize] = execFileSync("bash", [join(ROOT, "scripts", "ensure-render-tools.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n") as [string, string];
  home = mkdtempSync(join(tmpdir(), "gitops-gate-parity-"));
}, 30 * 60 * 1000);

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

/** The CLIs run with an empty environment but for a scratch HOME: no kubeconfig, no repositories, no plugins. */
function cli(bin: string, args: string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { HOME: home, PATH: "/usr/bin:/bin", KUBECONFIG: join(home, "none"), HELM_CACHE_HOME: join(home, "c"), HELM_CONFIG_HOME: join(home, "g"), HELM_DATA_HOME: join(home, "d") },
  });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

function parseStream(text: string): unknown[] {
  const r = yamlParser.parse(text, LIMITS);
  if (!r.ok) throw new Error(`parse CLI output: ${r.error.message} at line ${r.error.line}`);
  return r.documents.map((d) => d.content);
}

/** helm template's "# Source:" line of each document that holds something. */
function helmSources(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(/^---$/m)) {
    const m = /^# Source: (.+)$/m.exec(chunk);
    const body = chunk.replace(/^#.*$/gm, "").trim();
    if (m && body !== "" && parseStream(chunk).length > 0) out.push(m[1] as string);
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths of the leaves where two renders of the same input differ (randAlphaNum, uuidv4, now). */
function differing(a: unknown, b: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differing((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k], out);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
  return out;
}

/** The objects with the values at those paths replaced by a marker. */
function mask(objects: unknown[], paths: string[][]): unknown[] {
  const copy = JSON.parse(JSON.stringify(objects)) as Json[];
  for (const p of paths) {
    let cur: Json | undefined = copy as Json;
    for (const k of p.slice(0, -1)) cur = cur && typeof cur === "object" ? (cur as Record<string, Json>)[k] : undefined;
    const last = p[p.length - 1] as string;
    if (cur && typeof cur === "object" && last in cur) (cur as Record<string, Json>)[last] = "<differs between renders>";
  }
  return copy;
}

function subset(files: Map<string, string | Uint8Array>, paths: readonly string[]): Map<string, string | Uint8Array> {
  return new Map(paths.map((p) => [p, files.get(p) as string | Uint8Array]));
}

interface Case {
  readonly name: string;
  readonly request: RenderRequest;
  readonly expected: () => { ok: boolean; stdout: string; stderr: string };
  readonly helm?: boolean;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const repo of REPOS) {
    const dir = join(RENDER_CORPUS, repo);
    const files = readTree(dir);
    for (const set of helmValueSets(files)) {
      const args = ["template", set.chart, "--kube-version", DEFAULT_KUBE_VERSION, "--namespace", "default", ...set.valueFiles.flatMap((f) => ["-f", f])];
      out.push({
        name: `${repo}: helm template ${set.chart} (${set.name})`,
        helm: true,
        request: { kind: "helm", root: set.chart, files: subset(files, helmInputs(files, set)), helm: { valueFiles: set.valueFiles } },
        expected: () => cli(helm, args, dir),
      });
    }
    for (const root of findKustomizeRoots(files)) {
      const inputs = kustomizeInputs(files, root.dir);
      out.push({
        name: `${repo}: kustomize build ${root.dir}`,
        request: { kind: "kustomize", root: root.dir, files: subset(files, inputs.files) },
        expected: () => cli(kustomize, ["build", root.dir === "" ? "." : root.dir], dir),
      });
    }
  }
  return out;
}

const ALL = cases();

test("the corpus has the roots this test is about", () => {
  // clusters/*/flux-system hold placeholders for flux bootstrap (comments only): they build to nothing.
  expect(ALL.map((c) => c.name)).toEqual(expect.arrayContaining([
    "stefanprodan__podinfo: helm template charts/podinfo (default)",
    "stefanprodan__podinfo: helm template charts/podinfo (values-prod.yaml)",
    "GoogleCloudPlatform__microservices-demo: helm template helm-chart (default)",
    "stefanprodan__podinfo: kustomize build deploy/overlays/production",
    "fluxcd__flux2-kustomize-helm-example: kustomize build apps/production",
    "fluxcd__flux2-kustomize-helm-example: kustomize build clusters/staging/flux-system",
    "GoogleCloudPlatform__microservices-demo: kustomize build kustomize/tests/spanner-with-all-components",
  ]));
  expect(ALL).toHaveLength(23);
});

test.each(ALL.map((c) => [c.name, c] as const))("%s: identical objects", async (_name, c) => {
  const e = await engine();
  const expected = c.expected();
  let objects: unknown[];
  let again: unknown[];
  let sources: string[];
  try {
    const result = e.render(c.request);
    objects = result.objects.map((o) => parseStream(o.yaml)[0]);
    sources = result.objects.map((o) => o.source.template ?? "");
    again = e.render(c.request).objects.map((o) => parseStream(o.yaml)[0]);
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    // A root the tool refuses must fail in the engine too (and the other way round).
    expect({ engine: err.message, cli: expected.ok ? "ok" : expected.stderr }).toEqual({ engine: err.message, cli: expected.stderr });
    return;
  }
  expect({ cli: expected.ok ? "ok" : expected.stderr }).toEqual({ cli: "ok" });
  // Random values (podinfo's test pods are named with randAlphaNum) differ between any
  // two renders: found by rendering twice, and masked on both sides.
  const random = differing(objects, again);
  if (c.name.includes("podinfo: helm template")) expect(random.length).toBeGreaterThan(0);
  expect(mask(objects, random)).toEqual(mask(parseStream(expected.stdout), random));
  if (c.helm) expect(sources).toEqual(helmSources(expected.stdout));
  // The object the engine parsed (as Kubernetes clients do) is the document's YAML.
  const result = e.render(c.request);
  for (const o of result.objects) expect(JSON.parse(JSON.stringify(parseStream(o.yaml)[0]))).toEqual(o.object);
});

test("helmCharts in a kustomization: as kustomize build --enable-helm with the pinned helm", async () => {
  const work = mkdtempSync(join(tmpdir(), "gitops-gate-helmcharts-"));
  try {
    cpSync(join(RENDER_CORPUS, "stefanprodan__podinfo", "charts", "podinfo"), join(work, "env", "charts", "podinfo"), { recursive: true });
    writeFileSync(join(work, "env", "extra-values.yaml"), "replicaCount: 3\n");
    writeFileSync(
      join(work, "env", "kustomization.yaml"),
      [
        "namespace: shop",
        "labels:",
        "  - pairs:",
        "      team: web",
        "helmCharts:",
        "  - name: podinfo",
        "    releaseName: web",
        "    namespace: shop",
        `    kubeVersion: "${DEFAULT_KUBE_VERSION}"`,
        "    additionalValuesFiles: [extra-values.yaml]",
        "    valuesInline:",
        "      redis:",
        "        enabled: true",
        "    skipTests: true",
        "",
      ].join("\n"),
    );
    const files = readTree(work);
    const expected = cli(kustomize, ["build", "--enable-helm", "--helm-command", helm, "env"], work);
    expect(expected).toMatchObject({ ok: true, stderr: "" });
    const result = (await engine()).render({ kind: "kustomize", root: "env", files });
    expect(result.objects.map((o) => parseStream(o.yaml)[0])).toEqual(parseStream(expected.stdout));
    expect(result.objects.every((o) => o.source.template?.startsWith("podinfo/templates/"))).toBe(true);
    expect(readFileSync(join(work, "env", "kustomization.yaml"), "utf8")).toContain("helmCharts");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

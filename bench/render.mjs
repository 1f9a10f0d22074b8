// `npm run bench:render` (also the second half of `npm run bench`): the rendering engine
// (dist/hydrate/hydrate.wasm under node:wasi) on every root of ../shared/corpus/render:
// cold start (compile, instantiate, first render), then the warm render time of each
// root, the engine's memory, and, when the pinned `helm` and `kustomize` command lines
// are in .tools/bin (scripts/ensure-render-tools.sh; BENCH_CLI=1 builds them), the same
// renders run as subprocesses. Goals (issue 9): podinfo's chart under 300 ms warm, an
// overlay under 100 ms warm. It reports; it exits 1 only when something could not run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

function fail(msg) {
  console.error(`bench:render: ${msg}`);
  process.exit(1);
}

const corpus = process.env.RENDER_CORPUS
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.RENDER_CORPUS)
  : resolve(root, "..", "shared", "corpus", "render");
const runs = Number(process.env.BENCH_RENDER_RUNS ?? 20);
if (!Number.isInteger(runs) || runs < 3) fail(`BENCH_RENDER_RUNS must be a whole number ≥ 3, not ${JSON.stringify(process.env.BENCH_RENDER_RUNS)}`);
if (!existsSync(corpus) || !statSync(corpus).isDirectory()) fail(`read corpus ${corpus}: no such directory; set RENDER_CORPUS`);
const wasmPath = join(root, "dist", "hydrate", "hydrate.wasm");
if (!existsSync(wasmPath) || !existsSync(join(root, "dist", "hydrate", "engine.js"))) fail("read dist: not built; run npm run build first");

const { HydrateEngine, DEFAULT_MAX_MEMORY } = await import(join(root, "dist", "hydrate", "engine.js"));
const { findKustomizeRoots, helmInputs, helmValueSets, kustomizeInputs } = await import(join(root, "dist", "hydrate", "discover", "index.js"));
const { DEFAULT_KUBE_VERSION } = await import(join(root, "dist", "hydrate", "types.js"));

function readTree(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".git") walk(p);
        continue;
      }
      const bytes = readFileSync(p);
      out.set(relative(dir, p), bytes.includes(0) ? new Uint8Array(bytes) : bytes.toString("utf8"));
    }
  };
  walk(dir);
  return out;
}

const subset = (files, paths) => new Map(paths.map((p) => [p, files.get(p)]));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (x) => `${(x / 1024 / 1024).toFixed(1)} MiB`;

// 1. The roots: every chart × values set and every kustomization that is not a Component.
const cases = [];
for (const repo of readdirSync(corpus).sort()) {
  const dir = join(corpus, repo);
  if (!statSync(dir).isDirectory()) continue;
  const files = readTree(dir);
  for (const set of helmValueSets(files)) {
    cases.push({
      repo, dir, label: `${repo} helm ${set.chart} (${set.name})`, kind: "helm",
      request: { kind: "helm", root: set.chart, files: subset(files, helmInputs(files, set)), helm: { valueFiles: set.valueFiles } },
      cli: ["helm", ["template", set.chart, "--kube-version", DEFAULT_KUBE_VERSION, "--namespace", "default", ...set.valueFiles.flatMap((f) => ["-f", f])]],
    });
  }
  for (const r of findKustomizeRoots(files)) {
    cases.push({
      repo, dir, label: `${repo} kustomize ${r.dir}`, kind: "kustomize",
      request: { kind: "kustomize", root: r.dir, files: subset(files, kustomizeInputs(files, r.dir).files) },
      cli: ["kustomize", ["build", r.dir]],
    });
  }
}
if (cases.length === 0) fail(`read corpus ${corpus}: no chart and no kustomization`);

// 2. Cold start: read, compile (with the memory maximum), instantiate and initialise the
// Go runtime, then the first render of a chart and of an overlay.
const wasmBytes = readFileSync(wasmPath);
let t = performance.now();
const module = await HydrateEngine.compile(new Uint8Array(wasmBytes));
const compileMs = performance.now() - t;
t = performance.now();
const engine = await HydrateEngine.load(module, { warmUp: false });
const initMs = performance.now() - t;
t = performance.now();
engine.warmUp();
const warmUpMs = performance.now() - t;
const info = engine.info();
const podinfoChart = cases.find((c) => c.kind === "helm" && c.label.includes("podinfo helm charts/podinfo (default)")) ?? cases.find((c) => c.kind === "helm");
const overlay = cases.find((c) => c.label.endsWith("kustomize deploy/overlays/production")) ?? cases.find((c) => c.kind === "kustomize");
const first = {};
for (const c of [podinfoChart, overlay].filter(Boolean)) {
  t = performance.now();
  engine.render(c.request);
  first[c.label] = performance.now() - t;
}

// 3. Warm: every root `runs` times, round-robin (as a worker would see them).
const times = new Map(cases.map((c) => [c.label, []]));
const objects = new Map();
const errors = new Map();
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    t = performance.now();
    try {
      const r = engine.render(c.request);
      objects.set(c.label, r.objects.length);
    } catch (e) {
      errors.set(c.label, e.message.split("\n")[0]);
    }
    times.get(c.label).push(performance.now() - t);
  }
}

// 4. The same renders as subprocesses of the pinned command lines, when present.
const tools = join(root, ".tools", "bin");
if (process.env.BENCH_CLI === "1") {
  try {
    execFileSync("bash", [join(root, "scripts", "ensure-render-tools.sh")], { stdio: ["ignore", "ignore", "inherit"] });
  } catch {
    fail("get helm and kustomize: scripts/ensure-render-tools.sh failed (see above)");
  }
}
const haveCli = existsSync(join(tools, "helm")) && existsSync(join(tools, "kustomize"));
const cliTimes = new Map();
if (haveCli) {
  const env = { HOME: "/nonexistent", PATH: "/usr/bin:/bin", KUBECONFIG: "/dev/null" };
  for (const c of cases) {
    const xs = [];
    for (let i = 0; i < 5; i++) {
      const [bin, args] = c.cli;
      t = performance.now();
      spawnSync(join(tools, bin), args, { cwd: c.dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      xs.push(performance.now() - t);
    }
    cliTimes.set(c.label, median(xs));
  }
}

// 5. Report.
console.log(`gitops-gate rendering engine: hydrate.wasm (${mib(wasmBytes.length)}), Go ${info.go}, helm ${info.helm}, kustomize api ${info.kustomizeApi}; Node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? "?"})`);
console.log(`corpus: ${corpus} (${cases.length} roots), ${runs} warm renders per root\n`);
console.log("cold start");
console.log(`  compile (memory maximum ${mib(DEFAULT_MAX_MEMORY)})  ${ms(compileMs)}`);
console.log(`  instantiate + Go runtime init       ${ms(initMs)}`);
console.log(`  warm-up (tiny chart + kustomization) ${ms(warmUpMs)}  (HydrateEngine.load with warmUp: true)`);
for (const [label, x] of Object.entries(first)) console.log(`  first render: ${label}  ${ms(x)}`);
console.log(`  total to a warm engine              ${ms(compileMs + initMs + warmUpMs)}\n`);
const width = Math.max(...cases.map((c) => c.label.length));
console.log(`${"root".padEnd(width)}  objects  median     p90        max${haveCli ? "        subprocess (median of 5)" : ""}`);
for (const c of cases) {
  const xs = times.get(c.label);
  const n = errors.has(c.label) ? "error" : String(objects.get(c.label) ?? 0);
  const cli = haveCli ? `  ${ms(cliTimes.get(c.label)).padStart(10)}` : "";
  console.log(`${c.label.padEnd(width)}  ${n.padStart(7)}  ${ms(median(xs)).padStart(9)}  ${ms(p90(xs)).padStart(9)}  ${ms(Math.max(...xs)).padStart(9)}${cli}`);
}
for (const [label, e] of errors) console.log(`  ${label}: ${e}`);
console.log(`\nmemory: wasm linear memory ${mib(engine.memoryBytes)} after ${runs * cases.length + 2} renders; process RSS ${mib(process.memoryUsage().rss)}`);
const chartMs = median(times.get(podinfoChart.label));
const overlayMs = median(times.get(overlay.label));
console.log("goals (warm, median)");
console.log(`  ${podinfoChart.label}: ${ms(chartMs)} (goal < 300 ms) ${chartMs < 300 ? "met" : "MISSED"}`);
console.log(`  ${overlay.label}: ${ms(overlayMs)} (goal < 100 ms) ${overlayMs < 100 ? "met" : "MISSED"}`);
if (!haveCli) console.log("(subprocess times: run with BENCH_CLI=1 to build the pinned helm and kustomize into .tools/bin)");
void pkg;

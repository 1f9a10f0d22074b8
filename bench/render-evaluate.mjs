// npm run bench (part): what rendering adds to a check (issue 9). For every root of
// ../shared/corpus/render (each chart with each values set, each kustomization), on one
// warm worker with the built-in packs: render + evaluate, against evaluating the same
// objects pre-rendered (as YAML files). Goal: rendering adds at most 2× to the check of
// the same objects. Then the parity result of test/hydrate/parity.test.ts (the engine
// against the pinned helm template and kustomize build). Reads dist/: npm run build first.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.RENDER_CORPUS ? resolve(process.env.RENDER_CORPUS) : resolve(root, "..", "shared", "corpus", "render");
const runs = Number(process.env.BENCH_RENDER_RUNS ?? 10);
const { WorkerPool } = await import(join(root, "dist", "evaluation", "worker-pool.js"));
const { HydrateEngine } = await import(join(root, "dist", "hydrate", "engine.js"));
const { planRenders } = await import(join(root, "dist", "hydrate", "plan.js"));
const { readBundle } = await import(join(root, "dist", "policy", "bundle.js"));

const builtin = readFileSync(join(root, "dist", "policies", "builtin.tar.gz"));
readBundle(builtin);
const pool = await WorkerPool.start({ workers: 1, hydrate: await HydrateEngine.compile(), timeoutMs: 60_000 });
const set = pool.policySet([{ bytes: builtin, engine: { namespaces: "all", data: {} } }]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function readTree(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (statSync(p).size < 4 * 1024 * 1024) {
        const bytes = readFileSync(p);
        out.set(relative(dir, p), bytes.includes(0) ? new Uint8Array(bytes) : bytes.toString("utf8"));
      }
    }
  };
  walk(dir);
  return out;
}

const rows = [];
const prerendered = mkdtempSync(join(tmpdir(), "gitops-gate-prerendered-"));
for (const repo of readdirSync(corpus).sort()) {
  mkdirSync(join(prerendered, repo));
  const files = readTree(join(corpus, repo));
  // Every root: plan with every file "changed".
  const plan = planRenders(files, [...files.keys()]);
  for (const target of plan.targets) {
    const inputs = Object.fromEntries(target.inputs.filter((p) => files.has(p)).map((p) => [p, files.get(p)]));
    const first = await pool.render(target, inputs, set, { objects: true });
    if (first.render?.error) {
      rows.push({ root: `${repo}: ${target.label}`, error: first.render.error.detail.slice(0, 80) });
      continue;
    }
    const objects = first.render?.manifests ?? [];
    const yaml = objects.map((o) => JSON.stringify(o.object)).join("\n---\n");
    writeFileSync(join(prerendered, repo, `${rows.length}.yaml`), yaml || "# nothing rendered\n");
    const renderTimes = [];
    const plainTimes = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await pool.render(target, inputs, set);
      renderTimes.push(performance.now() - t);
      t = performance.now();
      await pool.evaluateFile({ path: "rendered.yaml", format: "yaml", bytes: Buffer.from(yaml) }, set);
      plainTimes.push(performance.now() - t);
    }
    rows.push({ root: `${repo}: ${target.label}`, objects: objects.length, render: median(renderTimes), plain: median(plainTimes) });
  }
}
await pool.close();

console.log(`\nRender + evaluate vs the same objects pre-rendered (built-in packs, 1 warm worker, median of ${runs})`);
let totalRender = 0;
let totalPlain = 0;
for (const r of rows) {
  if (r.error) {
    console.log(`  ${r.root.padEnd(90)} render failed: ${r.error}`);
    continue;
  }
  totalRender += r.render;
  totalPlain += r.plain;
  console.log(`  ${r.root.padEnd(90)} ${String(r.objects).padStart(3)} objects  render+eval ${r.render.toFixed(1).padStart(7)} ms  pre-rendered ${r.plain.toFixed(1).padStart(6)} ms`);
}
const ratio = totalRender / totalPlain;
console.log(`  total: render+eval ${totalRender.toFixed(0)} ms vs pre-rendered ${totalPlain.toFixed(0)} ms: ×${ratio.toFixed(2)} (goal ×2 or less: ${ratio <= 2 ? "MET" : "NOT MET"})`);

// As a user runs it: `gitops-gate check <repo>` (a fresh process: engine start included)
// against `gitops-gate check --render none` of the same objects written out as YAML.
const cli = (args, cwd) => {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [join(root, "bin", "gitops-gate.js"), "check", "--no-config", ...args], { cwd, encoding: "utf8" });
    times.push(performance.now() - t);
  }
  return median(times);
};
console.log("\nA whole check, fresh process, median of 3:");
for (const repo of readdirSync(corpus).sort()) {
  const rendered = cli(["."], join(corpus, repo));
  const plain = cli(["--render", "none", join(prerendered, repo)], root);
  console.log(`  ${repo.padEnd(42)} rendering ${(rendered / 1000).toFixed(2)} s, the same objects pre-rendered ${(plain / 1000).toFixed(2)} s: ×${(rendered / plain).toFixed(2)}`);
}

// Parity with the real tools, as the test suite checks it.
const parity = spawnSync("npx", ["jest", "test/hydrate/parity.test.ts", "--json", "--silent"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "--experimental-vm-modules" }, maxBuffer: 64 * 1024 * 1024 });
try {
  const report = JSON.parse(parity.stdout);
  console.log(`\nParity with helm template / kustomize build (test/hydrate/parity.test.ts): ${report.numPassedTests}/${report.numTotalTests} cases identical`);
} catch {
  console.log(`\nParity: could not run test/hydrate/parity.test.ts (${(parity.stderr || "").split("\n")[0]})`);
}

// `npm run bench`: gitops-gate check vs conftest test, same Rego (policies/), same files,
// same machine, same run. Prints documents per second for each, their ratio, and the
// in-process evaluation rate on its own. Reports; never fails on a number.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.CORPUS ?? [join(root, "..", "shared", "corpus", "kubernetes"), "/work/shared/corpus/kubernetes"].find(existsSync);
const runs = Number(process.env.BENCH_RUNS ?? 5);
if (!corpus || !existsSync(corpus)) fail(`corpus not found; set CORPUS`);
if (!existsSync(join(root, "dist", "policies", "builtin.tar.gz"))) fail("dist is missing; run npm run build first");

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(1);
}

const { parseFile, detectFormat } = await import(join(root, "dist", "manifests", "index.js"));
const { readBundle } = await import(join(root, "dist", "policy", "bundle.js"));
const { PolicyEngine } = await import(join(root, "dist", "policy", "engine.js"));

const walk = (d) => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));

// The same file list for both tools: every YAML/JSON manifest that parses. conftest stops
// the whole run at the first file it cannot parse, so the files that neither tool can
// judge (9, named in test/manifests/kubernetes-corpus.test.ts) are left out for both.
const parsed = [];
for (const path of walk(corpus)) {
  const format = detectFormat(path);
  if (!format) continue;
  const r = parseFile({ path, bytes: readFileSync(path) }, format);
  if (r.ok) parsed.push({ path, documents: r.documents });
}
const files = parsed.map((p) => p.path);
const documents = parsed.reduce((n, p) => n + p.documents.length, 0);

const conftest = execFileSync("bash", [join(root, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();
// A conftest built with `go install` calls itself "dev"; the pinned version is the truth.
const conftestVersion = `v${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).config.conftestVersion} (${execFileSync(conftest, ["--version"], { encoding: "utf8" }).split("\n").filter(Boolean).join(", ")})`;

const tools = {
  "gitops-gate": { cmd: process.execPath, args: [join(root, "bin", "gitops-gate.js"), "check", "-o", "json", ...files] },
  conftest: { cmd: conftest, args: ["test", "--all-namespaces", "--no-color", "--policy", join(root, "policies"), "-o", "json", ...files] },
};

const hasTime = existsSync("/usr/bin/time");
function once(name) {
  const { cmd, args } = tools[name];
  const started = process.hrtime.bigint();
  const res = hasTime
    ? spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 30, cwd: root })
    : spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 30, cwd: root });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0 && res.status !== 1) fail(`${name} exited ${res.status}: ${(res.stderr ?? "").slice(0, 2000)}`);
  const rssKb = hasTime ? Number(res.stderr.trim().split("\n").pop()) : NaN;
  return { seconds, rssKb, stdout: res.stdout };
}

// Documents each tool evaluated. gitops-gate's summary counts them. conftest's JSON has one
// entry per (file, namespace), not per document, so its count is the documents of the files
// it was given (the same list); that it judged them all is checked by its findings, which
// must equal gitops-gate's rule for rule in total.
function countDocs(name, stdout) {
  const out = JSON.parse(stdout);
  if (name === "gitops-gate") return { documents: out.summary.documents, failures: out.summary.denied, warnings: out.summary.warnings };
  let failures = 0, warnings = 0;
  for (const e of out) {
    failures += (e.failures ?? []).length;
    warnings += (e.warnings ?? []).length;
  }
  return { documents, failures, warnings };
}

console.log(`corpus: ${relative(process.cwd(), corpus) || corpus}: ${files.length} files, ${documents} documents`);
console.log(`conftest: ${conftestVersion}; runs: ${runs} each, interleaved, after one warm-up`);
const counts = {};
for (const name of Object.keys(tools)) counts[name] = countDocs(name, once(name).stdout);
const same = counts["gitops-gate"].failures === counts.conftest.failures && counts["gitops-gate"].warnings === counts.conftest.warnings;
console.log(same ? "findings: identical totals from both tools" : `findings DIFFER: ${JSON.stringify(counts)}`);
const times = { "gitops-gate": [], conftest: [] };
const rss = { "gitops-gate": [], conftest: [] };
for (let i = 0; i < runs; i++) {
  for (const name of Object.keys(tools)) {
    const r = once(name);
    times[name].push(r.seconds);
    rss[name].push(r.rssKb);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log("");
console.log("tool          median s   documents   docs/s     findings (deny/warn)   peak RSS");
const rate = {};
for (const name of Object.keys(tools)) {
  const s = median(times[name]);
  rate[name] = counts[name].documents / s;
  const mem = Number.isFinite(median(rss[name])) ? `${(median(rss[name]) / 1024).toFixed(0)} MiB` : "n/a";
  console.log(
    `${name.padEnd(13)} ${s.toFixed(3).padStart(8)}   ${String(counts[name].documents).padStart(9)}   ${rate[name].toFixed(0).padStart(6)}     ${`${counts[name].failures}/${counts[name].warnings}`.padStart(20)}   ${mem.padStart(8)}`,
  );
}
console.log("");
console.log(`ratio: gitops-gate is ${(rate["gitops-gate"] / rate.conftest).toFixed(2)}× conftest in documents per second, whole process (goal ≥ 3×)`);

// In-process: the wasm engine alone over already-parsed documents, and parsing alone.
const bundle = readBundle(readFileSync(join(root, "dist", "policies", "builtin.tar.gz")));
const engine = await PolicyEngine.load(bundle, { namespaces: "all" });
const docs = parsed.flatMap((p) => p.documents.map((d) => ({ content: d.content, file: { name: p.path, dir: dirname(p.path) } })));
for (const d of docs) engine.evaluateDocument(d.content, d.file);
const rounds = 5;
let t = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const d of docs) engine.evaluateDocument(d.content, d.file);
const evalRate = (docs.length * rounds) / (Number(process.hrtime.bigint() - t) / 1e9);
const sources = parsed.map((p) => ({ path: p.path, bytes: readFileSync(p.path), format: detectFormat(p.path) }));
t = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const s of sources) parseFile(s, s.format);
const parseRate = (documents * rounds) / (Number(process.hrtime.bigint() - t) / 1e9);
console.log(`in-process: evaluation ${evalRate.toFixed(0)} documents/s (wasm, one thread, ${Object.keys(bundle.metadata.rules).length} rules); parsing ${parseRate.toFixed(0)} documents/s`);

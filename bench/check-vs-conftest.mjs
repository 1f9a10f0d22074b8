// `npm run bench`: `gitops-gate check` against `conftest test`, the same Rego (policies/),
// the same files, on the same machine in the same run. Prints documents per second for
// each, their ratio, and the in-process evaluation and parse rates on their own.
// Benchmarks report: this exits 0 whatever the numbers, and 1 only when something could
// not run. See bench/README.md for what is measured and how to read it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(1);
}

// 1. Settings. CORPUS is resolved from where `npm run` was typed (INIT_CWD); the default
// sits beside the repository, as in CI, where shared/ is checked out next to the clone.
const corpus = process.env.CORPUS
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.CORPUS)
  : resolve(root, "..", "shared", "corpus", "kubernetes");
const runs = Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(runs) || runs < 1) fail(`BENCH_RUNS must be a whole number ≥ 1, not ${JSON.stringify(process.env.BENCH_RUNS)}`);
const evalRounds = 5;
if (!existsSync(corpus) || !statSync(corpus).isDirectory()) fail(`read corpus ${corpus}: no such directory; set CORPUS`);
const bundlePath = join(root, "dist", "policies", "builtin.tar.gz");
if (!existsSync(bundlePath) || !existsSync(join(root, "dist", "cli", "discover.js"))) fail("read dist: not built; run npm run build first");
const policyDir = join(root, "policies");

const { discover } = await import(join(root, "dist", "cli", "discover.js"));
const { parseFile } = await import(join(root, "dist", "manifests", "index.js"));
const { readBundle } = await import(join(root, "dist", "policy", "bundle.js"));
const { PolicyEngine } = await import(join(root, "dist", "policy", "engine.js"));

// 2. The file list: what `gitops-gate check <corpus>` would look at (its own discovery),
// less the files that cannot be judged. conftest aborts its whole run at the first file it
// cannot parse, and gitops-gate reports such a file as an error instead of evaluating it, so
// a file either tool refuses is left out for both: both tools get the same explicit list.
// Paths are relative to the corpus (both tools run there), which keeps the command short
// and makes file names in the two outputs identical.
const found = await discover([corpus]);
const accepted = [];
const refused = [];
for (const f of found) {
  const parsed = parseFile({ path: f.path, bytes: readFileSync(f.path) }, f.format);
  const rel = relative(corpus, f.path);
  if (parsed.ok) accepted.push({ rel, path: f.path, format: f.format, documents: parsed.documents });
  else refused.push({ rel, by: "gitops-gate", why: parsed.error.reason });
}
if (accepted.length === 0) fail(`read corpus ${corpus}: no YAML or JSON file that parses`);

// 3. conftest, pinned and built from its Go module.
let conftest;
try {
  conftest = execFileSync("bash", [join(root, "scripts", "ensure-conftest.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
} catch {
  fail("get conftest: scripts/ensure-conftest.sh failed (see above)");
}
const conftestSays = execFileSync(conftest, ["--version"], { encoding: "utf8" }).trim().split("\n").join(", ");

// Peak RSS comes from GNU time when it is installed; `-f %M` appends kilobytes as the last
// line of stderr. It adds the same few milliseconds to both tools.
const gnuTime = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0;

// A probe namespace, used only in the untimed first conftest run: one warn per document
// conftest evaluates, to count those documents (see countConftest).
const probeNs = "gitops_gate_bench_probe";
const probeDir = mkdtempSync(join(tmpdir(), "gitops-gate-bench-"));
process.on("exit", () => rmSync(probeDir, { recursive: true, force: true }));
writeFileSync(join(probeDir, "probe.rego"), `package ${probeNs}\n\nwarn_document contains "evaluated" if true\n`);

// The built-in pack has no data files and gitops-gate's default check loads none, so
// neither tool gets --data; a pack with data would pass the same files to both.
const commands = (files, conftestExtra = []) => ({
  "gitops-gate": [process.execPath, [join(root, "bin", "gitops-gate.js"), "check", "-o", "json", ...files]],
  conftest: [conftest, ["test", "--all-namespaces", "--no-color", "--policy", policyDir, ...conftestExtra, "-o", "json", ...files]],
});

function run(cmd, args) {
  const argv = gnuTime ? ["/usr/bin/time", ["-f", "%M", cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv[1], { cwd: corpus, encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.error) fail(`run ${cmd}: ${res.error.message}`);
  let stderr = res.stderr ?? "";
  let rssKb = NaN;
  if (gnuTime) {
    const lines = stderr.trimEnd().split("\n");
    rssKb = Number(lines.pop());
    stderr = lines.filter((l) => !l.startsWith("Command exited with non-zero status")).join("\n");
  }
  let json;
  try {
    json = JSON.parse(res.stdout);
  } catch {
    json = undefined;
  }
  return { seconds, rssKb, status: res.status, json, stderr };
}

// Exit 1 means "a deny" for both tools, and 2 is gitops-gate's "a file could not be
// judged" (its JSON says which; see countGate). Anything else, or output that is not JSON,
// means the tool could not do the job and the timing would be meaningless.
function checked(name, r) {
  const ok = r.status === 0 || r.status === 1 || (name === "gitops-gate" && r.status === 2);
  if (ok && r.json !== undefined) return r;
  fail(`run ${name}: exit ${r.status}${r.json === undefined ? ", no JSON on stdout" : ""}\n${r.stderr.slice(0, 2000)}`);
}

// Linux allows about 2 MB of arguments; one run per tool over the whole list is the point.
if (accepted.reduce((n, f) => n + f.rel.length + 1, 0) > 1_500_000) fail(`run tools: ${accepted.length} files make a command line too long; point CORPUS at a smaller folder`);

// 4. First (untimed) run of conftest, with the probe. If conftest refuses a file that
// gitops-gate accepted, it names it ("..., path: <file>"): drop it for both and retry.
let files = accepted;
let first;
for (let attempt = 0; ; attempt++) {
  first = run(...commands(files.map((f) => f.rel), ["--policy", probeDir]).conftest);
  if ((first.status === 0 || first.status === 1) && first.json !== undefined) break;
  const named = /parse configurations:.*, path: (.+)$/m.exec(first.stderr)?.[1]?.trim();
  const i = named === undefined ? -1 : files.findIndex((f) => f.rel === named || f.path === named);
  if (i < 0 || attempt >= 50) checked("conftest", first);
  refused.push({ rel: files[i].rel, by: "conftest", why: "parse error" });
  files = files.filter((_, j) => j !== i);
}
const rels = files.map((f) => f.rel);
const tools = commands(rels);

// Documents conftest evaluated. Its JSON has one entry per (file, namespace); within one,
// `successes` plus the failures and warnings is not a count of documents: conftest pads a
// document's results up to the number of rule bodies, and a rule can fail several times
// per document. The probe rule fires exactly once per document conftest evaluates, so its
// warnings per file are the exact count. Its entries are then set aside; the rest are the
// findings of policies/.
function countConftest(entries) {
  const perFile = new Map();
  const findings = [];
  let exceptions = 0;
  for (const e of entries) {
    if (e.namespace === probeNs) {
      perFile.set(e.filename, (perFile.get(e.filename) ?? 0) + (e.warnings ?? []).length);
      continue;
    }
    for (const [kind, list] of [["deny", e.failures], ["warn", e.warnings]]) {
      for (const r of list ?? []) findings.push(`${e.filename}\t${r.metadata?.query ?? "?"}\t${kind}\t${r.msg}`);
    }
    exceptions += (e.exceptions ?? []).length;
  }
  const documents = [...perFile.values()].reduce((a, b) => a + b, 0);
  return { documents, perFile, findings, exceptions };
}

function countGate(out) {
  const perFile = new Map(out.files.map((f) => [f.path, f.documents]));
  const findings = [];
  for (const f of out.files) {
    for (const x of f.findings) {
      if (x.kind === "deny" || x.kind === "warn") findings.push(`${f.path}\tdata.${x.namespace}.${x.rule}\t${x.kind}\t${x.message}`);
    }
  }
  const errors = out.files.flatMap((f) => f.findings.filter((x) => x.kind === "error").map((x) => x.message));
  return { documents: out.summary.documents, perFile, findings, errors, waived: out.summary.waived };
}

const counts = { conftest: countConftest(first.json) };
counts["gitops-gate"] = countGate(checked("gitops-gate", run(...tools["gitops-gate"])).json);
const gate = counts["gitops-gate"];
const ct = counts.conftest;
if (gate.errors.length > 0) fail(`run gitops-gate: ${gate.errors.length} errors on files that parsed, e.g.:\n  ${gate.errors.slice(0, 3).join("\n  ")}`);

// conftest splits a YAML stream on "\n---\n" and evaluates every part, an empty one (a
// comment-only header, a trailing ---, a file of comments) as a null document;
// gitops-gate skips documents that hold nothing. emptyParts counts those parts, to tell
// this known difference from an unexpected one.
function emptyParts(path) {
  const text = readFileSync(path, "utf8");
  const parts = text.split(text.includes("\r\n") ? "\r\n---\r\n" : "\n---\n");
  return parts.filter((p) => p.split(/\r?\n/).every((l) => /^\s*(#.*)?$/.test(l))).length;
}
let explained = 0;
const unexplained = [];
for (const f of files) {
  const g = gate.perFile.get(f.rel) ?? 0;
  const c = ct.perFile.get(f.rel) ?? 0;
  if (g === c) continue;
  if (f.format === "yaml" && c === g + emptyParts(f.path)) explained += c - g;
  else unexplained.push(`${f.rel}: gitops-gate ${g}, conftest ${c}`);
}

// Findings, compared as multisets of (file, rule, deny|warn, message).
function difference(a, b) {
  const left = new Map();
  for (const k of a) left.set(k, (left.get(k) ?? 0) + 1);
  for (const k of b) if (left.get(k)) left.set(k, left.get(k) - 1);
  return [...left].flatMap(([k, n]) => Array(n).fill(k));
}
const onlyGate = difference(gate.findings, ct.findings);
const onlyConftest = difference(ct.findings, gate.findings);

const kb = (n) => (Number.isFinite(n) ? `${(n / 1024).toFixed(0)} MiB` : "n/a");
const tally = (list, kind) => list.filter((k) => k.split("\t")[2] === kind).length;
console.log(`corpus: ${corpus}`);
console.log(`  ${found.length} YAML/JSON files found, ${files.length} benchmarked, ${refused.length} left out (cannot be judged):`);
for (const r of refused) console.log(`    ${r.rel} (${r.by}: ${r.why})`);
console.log(`policies: ${policyDir} (built-in pack ${relative(root, bundlePath)} is compiled from it)`);
console.log(`conftest: v${pkg.config.conftestVersion} pinned, ${conftest} says "${conftestSays}"`);
console.log(`gitops-gate: ${pkg.version}, node ${process.version}, up to ${Math.min(availableParallelism(), Math.ceil(files.length / 20))} worker threads`);
console.log(`machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} CPUs`);
console.log("");
console.log(`documents: gitops-gate ${gate.documents}, conftest ${ct.documents}` + (gate.documents === ct.documents ? " (identical)" : ""));
if (explained > 0) console.log(`  conftest's extra ${explained}: empty YAML documents (a comment-only header, a trailing ---, a file of comments) it evaluates as null`);
if (unexplained.length > 0) {
  console.log(`  UNEXPLAINED difference in ${unexplained.length} files, e.g.:`);
  for (const u of unexplained.slice(0, 10)) console.log(`    ${u}`);
}
console.log(`findings (deny/warn): gitops-gate ${tally(gate.findings, "deny")}/${tally(gate.findings, "warn")}, conftest ${tally(ct.findings, "deny")}/${tally(ct.findings, "warn")}` + (onlyGate.length + onlyConftest.length === 0 ? " (identical, file by file, rule by rule, message by message)" : ""));
if (gate.waived > 0 || ct.exceptions > 0) console.log(`  waived/exceptions: gitops-gate ${gate.waived}, conftest ${ct.exceptions}`);
for (const [who, list] of [["gitops-gate", onlyGate], ["conftest", onlyConftest]]) {
  if (list.length === 0) continue;
  console.log(`  ${list.length} only from ${who}, e.g.:`);
  for (const k of list.slice(0, 10)) console.log(`    ${k.replaceAll("\t", "  ")}`);
}

// 5. Whole-process timing: one warm-up each, then `runs` rounds, alternating which tool
// goes first so neither always runs on the other's heels. Median wall time.
console.log("");
console.log(`whole process: 1 warm-up + ${runs} timed runs each, interleaved; wall time, median`);
for (const name of Object.keys(tools)) checked(name, run(...tools[name]));
const times = { "gitops-gate": [], conftest: [] };
const rss = { "gitops-gate": [], conftest: [] };
for (let i = 0; i < runs; i++) {
  const order = i % 2 === 0 ? ["gitops-gate", "conftest"] : ["conftest", "gitops-gate"];
  for (const name of order) {
    const r = checked(name, run(...tools[name]));
    times[name].push(r.seconds);
    rss[name].push(r.rssKb);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rate = {};
console.log("");
console.log("tool          median s   (min–max s)       documents   documents/s   peak RSS");
for (const name of Object.keys(tools)) {
  const s = median(times[name]);
  rate[name] = counts[name].documents / s;
  const spread = `(${Math.min(...times[name]).toFixed(3)}–${Math.max(...times[name]).toFixed(3)})`;
  console.log(
    `${name.padEnd(13)} ${s.toFixed(3).padStart(8)}   ${spread.padEnd(15)}   ${String(counts[name].documents).padStart(9)}   ${rate[name].toFixed(0).padStart(11)}   ${kb(Math.max(...rss[name])).padStart(8)}`,
  );
}
// Both tools read the same files, so the fair ratio counts the same documents for both:
// gitops-gate's, the ones that hold something. That is conftest's wall time over
// gitops-gate's. conftest's own count (with its null documents) is printed above.
const ratio = median(times.conftest) / median(times["gitops-gate"]);
console.log("");
console.log(`ratio: gitops-gate is ${ratio.toFixed(2)}× conftest (goal ≥ 3×)`);
if (gate.documents !== ct.documents) {
  console.log(`  over ${gate.documents} documents for both; with conftest credited its own ${ct.documents}: ${(rate["gitops-gate"] / rate.conftest).toFixed(2)}×`);
}

// 6. In-process: the wasm engine alone over documents parsed beforehand (one thread, no
// workers, no output), then the parser alone over bytes read beforehand.
const bundle = readBundle(readFileSync(bundlePath));
const engine = await PolicyEngine.load(bundle, { namespaces: "all" });
const docs = files.flatMap((f) => f.documents.map((d) => ({ content: d.content, file: { name: f.path, dir: dirname(f.path) } })));
const sources = files.map((f) => ({ source: { path: f.path, bytes: readFileSync(f.path) }, format: f.format }));
function rounds(count, body) {
  body(); // warm-up: JIT and the wasm heap
  const perSecond = [];
  for (let r = 0; r < evalRounds; r++) {
    const t = process.hrtime.bigint();
    body();
    perSecond.push(count / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  return median(perSecond);
}
const evalRate = rounds(docs.length, () => {
  for (const d of docs) engine.evaluateDocument(d.content, d.file);
});
const parseRate = rounds(docs.length, () => {
  for (const s of sources) parseFile(s.source, s.format);
});
const rules = Object.keys(bundle.metadata.rules).length;
const namespaces = Object.keys(bundle.metadata.namespaces).length;
console.log("");
console.log(`in-process, one thread, median of ${evalRounds} rounds over ${docs.length} documents:`);
console.log(`  evaluation ${evalRate.toFixed(0).padStart(7)} documents/s   (${((1e6 / evalRate) | 0)} µs each; wasm, ${rules} rules in ${namespaces} namespaces)`);
console.log(`  parsing    ${parseRate.toFixed(0).padStart(7)} documents/s   (${((1e6 / parseRate) | 0)} µs each; decode, YAML/JSON, source maps)`);

// npm run bench (part): what compiling organisations' Rego costs the App (issue 10).
// Compile time of the built-in packs and of a generated 50-rule folder, cold and from the
// cache (memory and disk), and what a cache hit adds to an evaluation's policy step.
// Reads dist/ (run `npm run build` first); needs the pinned OPA (scripts/ensure-opa.sh).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicies } from "../dist/policy/build/compile.js";
import { findOpa, pinnedOpaVersion } from "../dist/policy/build/opa.js";
import { readBundle } from "../dist/policy/bundle.js";
import { PolicyCompiler } from "../dist/policy/compiler.js";
import { defaultConfig } from "../dist/config/load.js";
import { loadPolicies } from "../dist/pipeline/load-policies.js";

const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "gitops-gate-bench-compile-"));
const ms = (t) => `${t.toFixed(2)} ms`;
const time = async (fn) => {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A folder of 50 rules in 10 packages, each with METADATA, as a policy repository has them.
const folder = join(work, "custom");
mkdirSync(folder);
for (let p = 0; p < 10; p++) {
  const rules = Array.from({ length: 5 }, (_, r) => `
# METADATA
# title: Rule ${p}.${r}
# custom:
#   id: acme-${p}-${r}
#   severity: medium
deny contains msg if {
\tinput.kind == "Deployment"
\tsome c in input.spec.template.spec.containers
\tnot c.env[${r}]
\tmsg := sprintf("container %s lacks env ${r} (${p})", [c.name])
}
`).join("");
  writeFileSync(join(folder, `p${p}.rego`), `package acme.p${p}\n${rules}`);
}
const files = readdirSync(folder).map((f) => ({ path: f, bytes: readFileSync(join(folder, f)) }));

const opa = await findOpa();
const [builtinMs] = await time(() => compilePolicies({ sources: [join(root, "policies")], opa, out: join(work, "builtin.tar.gz") }));
const builtin = readBundle(readFileSync(join(work, "builtin.tar.gz")));

const cache = join(work, "cache");
const compiler = new PolicyCompiler(findOpa, cache);
const input = async () => ({ regoVersion: "v1", sources: [{ label: "custom/", files }] });
const [coldMs] = await time(() => compiler.get("bench-key", input));
const memory = [];
for (let i = 0; i < 50; i++) memory.push((await time(() => compiler.get("bench-key", input)))[0]);
const disk = [];
for (let i = 0; i < 10; i++) disk.push((await time(() => new PolicyCompiler(findOpa, cache).get("bench-key", input)))[0]);

// The whole policy step of an evaluation on a cache hit, without GitHub: an in-memory
// reader answers for the repository, as a sha-pinned source's cached tree would.
const blobs = new Map(files.map((f, i) => [`sha${i}`, f.bytes]));
const reader = {
  async resolveCommit() { return "c0ffee"; },
  async entry() { return { type: "tree", sha: "tree1", files: files.map((f, i) => ({ path: f.path, sha: `sha${i}`, size: f.bytes.length })) }; },
  async readBlob(_repo, sha) { return { bytes: blobs.get(sha) }; },
};
const library = { compiler: new PolicyCompiler(findOpa, join(work, "cache2")), opa: findOpa, opaVersion: pinnedOpaVersion(), data: new Map() };
const config = { ...defaultConfig(), policies: { builtin: "all", sources: [{ path: "policy" }], allow_external: false } };
const params = {
  config, judged: { owner: "acme", repo: "deploy" }, baseRef: "main", allowExternal: false, toolVersion: "bench",
  builtin: { bytes: readFileSync(join(work, "builtin.tar.gz")), digest: builtin.digest, rules: Object.values(builtin.metadata.rules), namespaces: Object.keys(builtin.metadata.namespaces) },
};
const [stepCold] = await time(() => loadPolicies(params, { reader, library }));
const step = [];
for (let i = 0; i < 50; i++) step.push((await time(() => loadPolicies(params, { reader, library })))[0]);

const hit = median(step);
console.log("\nCompiling organisations' Rego (OPA " + pinnedOpaVersion() + ", one run on this machine)");
console.log(`  built-in packs (${Object.keys(builtin.metadata.rules).length} rules), compiled:      ${ms(builtinMs)}`);
console.log(`  50-rule custom folder, cold compile:        ${ms(coldMs)}`);
console.log(`  50-rule custom folder, memory cache (median of 50): ${ms(median(memory))}`);
console.log(`  50-rule custom folder, disk cache (median of 10):   ${ms(median(disk))}`);
console.log(`  policy step of an evaluation, cold:         ${ms(stepCold)}`);
console.log(`  policy step of an evaluation, cache hit (median of 50): ${ms(hit)}  (goal: under 5 ms) ${hit < 5 ? "MET" : "NOT MET"}`);

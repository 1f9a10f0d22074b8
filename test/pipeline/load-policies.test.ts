// Policy sources against fakes: resolution, trust, caching by content, and failures that
// name the source. Compiles with the real pinned OPA.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { loadPolicies } from "../../src/pipeline/load-policies.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeRepo } from "../fakes/repo.js";
import { FakeSourceReader } from "../fakes/source-reader.js";
import { policyDeps } from "../helpers/policies.js";

const JUDGED = { owner: "acme", repo: "deploy" };
const TEAM_LABEL = `package main

# METADATA
# title: Pods carry a team label
# custom:
#   id: acme-team-label
#   severity: medium
deny contains msg if {
\tinput.kind == "Pod"
\tnot input.metadata.labels.team
\tmsg := sprintf("pod %s has no team label", [input.metadata.name])
}
`;
const REGISTRY = `package acme.registry

deny contains msg if {
\tsome c in input.spec.containers
\tnot startswith(c.image, data.params.registry)
\tmsg := sprintf("image %s is not from %s", [c.image, data.params.registry])
}
`;

function world() {
  const reader = new FakeRepoReader(JUDGED);
  reader.repo.commit({ "policy/team.rego": TEAM_LABEL, "policy/team_test.rego": "package main\n\ntest_x if { true }\n" }, { branch: "main" });
  const org = new FakeRepo();
  const v3 = org.commit({ "kubernetes/registry.rego": REGISTRY, "data/registry.yaml": "params:\n  registry: 123.dkr.ecr.eu-west-1.amazonaws.com/\n" }, { branch: "main" });
  org.branches.set("v3", v3);
  reader.repos.set("acme/policies", org);
  const sources = new FakeSourceReader(reader);
  return { reader, sources, org };
}

function config(policies: Partial<Config["policies"]>, rest: Partial<Config> = {}): Config {
  const base = defaultConfig();
  return { ...base, ...rest, policies: { ...base.policies, ...policies } };
}

const load = (w: ReturnType<typeof world>, cfg: Config, deps = policyDeps(), allowExternal = false) =>
  loadPolicies({ config: cfg, judged: JUDGED, baseRef: "main", allowExternal, builtin: deps.builtin, toolVersion: "t" }, { reader: w.sources, library: deps.library });

test("a local folder and another repository's folder at a tag, with data, compile into one bundle beside the built-in packs", async () => {
  const w = world();
  const result = await load(w, config({ sources: [{ path: "policy/" }, { repo: "acme/policies", ref: "v3", path: "kubernetes", data: ["data/registry.yaml"] }] }));
  if (!result.ok) throw new Error(result.summary);
  expect(result.bundles).toHaveLength(2);
  expect(result.bundles[1]?.engine.namespaces).toEqual(["acme.registry", "main"]);
  expect(result.bundles[1]?.engine.data).toMatchObject({ params: { registry: "123.dkr.ecr.eu-west-1.amazonaws.com/" } });
  expect(result.rules.find((r) => r.id === "acme-team-label")).toMatchObject({ severity: "medium", location: { file: "policy/team.rego" } });
  expect(result.provenance.map((p) => p.name)).toEqual(["built-in packs", "policy/", "acme/policies@v3:kubernetes/"]);
  expect(result.provenance[2]).toMatchObject({ repo: "acme/policies", ref: "v3", commit: w.org.branches.get("v3"), path: "kubernetes" });
  expect(result.localFolders).toEqual(["policy"]);
});

test("the same content is compiled once: later loads read no Rego and hit the cache, in memory and on disk", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gitops-gate-cache-"));
  const w = world();
  const deps = policyDeps({ cacheDir: dir });
  const cfg = config({ sources: [{ path: "policy" }] });
  await load(w, cfg, deps);
  const reads = w.sources.calls.filter((c) => c === "readBlob").length;
  expect(deps.compiler.counts).toMatchObject({ compiled: 1, memoryHits: 0 });
  const again = await load(w, cfg, deps);
  expect(again.ok).toBe(true);
  expect(deps.compiler.counts).toMatchObject({ compiled: 1, memoryHits: 1 });
  expect(w.sources.calls.filter((c) => c === "readBlob").length).toBe(reads);

  const restarted = policyDeps({ cacheDir: dir });
  await load(w, cfg, restarted);
  expect(restarted.compiler.counts).toMatchObject({ compiled: 0, diskHits: 1 });

  // New content, new bundle.
  w.reader.repo.commit({ "policy/team.rego": TEAM_LABEL.replace("medium", "high") }, { branch: "main" });
  await load(w, cfg, deps);
  expect(deps.compiler.counts.compiled).toBe(2);
});

test("two evaluations asking at once share one compile", async () => {
  const w = world();
  const deps = policyDeps();
  const cfg = config({ sources: [{ path: "policy" }] });
  const [a, b] = await Promise.all([load(w, cfg, deps), load(w, cfg, deps)]);
  expect([a.ok, b.ok]).toEqual([true, true]);
  expect(deps.compiler.counts.compiled).toBe(1);
});

test.each([
  ["a missing repository", { repo: "acme/nope" }, /policy source acme\/nope: cannot read acme\/nope/],
  ["a bad ref", { repo: "acme/policies", ref: "v9" }, /policy source acme\/policies@v9: cannot read acme\/policies at v9/],
  ["a missing folder", { repo: "acme/policies", path: "terraform" }, /no folder terraform at/],
  ["a missing local folder", { path: "rules" }, /policy source rules\/: no folder rules/],
  ["missing data", { repo: "acme/policies", path: "kubernetes", data: ["params.yaml"] }, /no data file or folder params\.yaml/],
] as const)("%s fails closed, naming the source", async (_what, source, message) => {
  const result = await load(world(), config({ sources: [source as Config["policies"]["sources"][number]] }));
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.summary).toMatch(message);
});

test("another owner's repository is refused unless the organisation allows it", async () => {
  const w = world();
  w.reader.repos.set("mallory/rules", w.org);
  const cfg = config({ sources: [{ repo: "mallory/rules", path: "kubernetes" }] });
  const refused = await load(w, cfg);
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.summary).toContain("policies.allow_external: true");
  expect((await load(w, cfg, policyDeps(), true)).ok).toBe(true);
});

test("a Rego error in this repository is annotated at its file and line; elsewhere it is named in the summary", async () => {
  const w = world();
  w.reader.repo.commit({ "policy/team.rego": TEAM_LABEL, "policy/broken.rego": "package main\n\ndeny contains msg if {\n\tmsg := \n}\n" }, { branch: "main" });
  const local = await load(w, config({ sources: [{ path: "policy" }] }));
  expect(local.ok).toBe(false);
  if (local.ok) return;
  expect(local.annotations).toEqual([expect.objectContaining({ path: "policy/broken.rego", start_line: 5 })]);

  w.org.commit({ "kubernetes/registry.rego": "package acme.registry\n\ndeny contains msg if {\n\tmsg := concat(\n}\n" }, { branch: "main" });
  const remote = await load(w, config({ sources: [{ repo: "acme/policies", path: "kubernetes" }] }));
  expect(remote.ok).toBe(false);
  if (remote.ok) return;
  expect(remote.annotations).toEqual([]);
  expect(remote.summary).toMatch(/acme\/policies@[0-9a-f]{12}:kubernetes\/registry\.rego:\d+/);
});

test("builtin packs can be narrowed or turned off; namespaces narrow every bundle and must exist", async () => {
  const w = world();
  const none = await load(w, config({ builtin: "none", sources: [{ path: "policy" }] }));
  if (!none.ok) throw new Error(none.summary);
  expect(none.bundles).toHaveLength(1);
  const k8s = await load(w, config({ builtin: ["kubernetes"] }));
  if (!k8s.ok) throw new Error(k8s.summary);
  expect(k8s.bundles[0]?.engine.namespaces).toEqual(expect.arrayContaining(["kubernetes.images"]));
  expect((k8s.bundles[0]?.engine.namespaces as string[]).some((n) => n.startsWith("dockerfile."))).toBe(false);
  const unknown = await load(w, config({ sources: [{ path: "policy" }] }, { namespaces: ["main", "nope"] }));
  expect(unknown.ok).toBe(false);
  if (!unknown.ok) expect(unknown.summary).toContain("`nope`");
});

// Config loading against the fake reader: defaults, validation with lines, _extends, and
// the published JSON Schema kept in step with the one definition.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig, loadConfig, parseConfig } from "../../src/config/load.js";
import { CONFIG_PATH, environmentsOf, publishedSchema } from "../../src/config/schema.js";
import { FORMATS } from "../../src/manifests/index.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeRepo } from "../fakes/repo.js";
import { ROOT } from "../helpers/corpus.js";

const REPO = { owner: "acme", repo: "deploy" };

function reader(config: string | undefined, org?: string): FakeRepoReader {
  const r = new FakeRepoReader(REPO);
  r.repo.commit(config === undefined ? {} : { [CONFIG_PATH]: config }, { branch: "main" });
  if (org !== undefined) {
    const dotGithub = new FakeRepo();
    dotGithub.commit({ [CONFIG_PATH]: org }, { branch: "main" });
    r.repos.set("acme/.github", dotGithub);
  }
  return r;
}

const load = (r: FakeRepoReader) => loadConfig(REPO, (repo, path) => r.readFile(repo, path, "main"));

test("no config file: every default, and the sources say so", async () => {
  const result = await load(reader(undefined));
  expect(result).toEqual({ ok: true, config: defaultConfig(), sources: ["defaults"], allowExternal: false });
  expect(defaultConfig()).toMatchObject({ namespaces: "all", block_on: ["deny"], drafts: false, comment: "always", release: { branches: [], without_manifests: "short", tags: false } });
});

test("keys given are kept, the rest defaulted", async () => {
  const result = await load(reader("block_on: [deny, warn]\nrelease:\n  tags: true\n"));
  if (!result.ok) throw new Error(result.error.message);
  expect(result.config.block_on).toEqual(["deny", "warn"]);
  expect(result.config.release).toEqual({ branches: [], without_manifests: "short", tags: true });
  expect(result.config.paths.include).toContain("**/*.tf");
});

test.each([
  ["an unknown value", "comment: sometimes\n", 1, "/comment must be equal to one of the allowed values: always, on-failure, never"],
  ["an unknown key", "paths:\n  include: ['a']\n  exlcude: ['b']\n", 3, "/paths/exlcude is not a known key"],
  ["a wrong type", "drafts: yes please\n", 1, "/drafts must be boolean"],
  ["an unknown format", "formats:\n  'x/**': hcl3\n", 2, "/formats/x~1** must be equal to one of the allowed values"],
  ["an environment without paths", "environments:\n  prod:\n    owners: ['@a']\n", 2, "/environments/prod"],
  ["a list at the top", "- a\n", 1, "the top level must be a mapping"],
  ["two documents", "drafts: true\n---\ndrafts: false\n", 3, "must hold one YAML document"],
])("%s is an error at its line", (_what, text, line, message) => {
  const result = parseConfig(CONFIG_PATH, Buffer.from(text));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.line).toBe(line);
  expect(result.error.message).toContain(message);
});

test("_extends merges the organisation's config underneath, and names both sources", async () => {
  const result = await load(reader("_extends: .github\ndrafts: true\n", "drafts: false\ncomment: never\nblock_on: [deny, high]\n"));
  if (!result.ok) throw new Error(result.error.message);
  expect(result.config).toMatchObject({ drafts: true, comment: "never", block_on: ["deny", "high"] });
  expect(result.sources).toHaveLength(2);
  expect(result.sources[0]).toMatch(/^acme\/\.github@/);
});

test("an invalid organisation config is an error, not silently the defaults", async () => {
  const result = await load(reader("_extends: .github\n", "comment: sometimes\n"));
  expect(result.ok).toBe(false);
});

/** A world of configs by repository, read on each one's main branch; `reads` logs every repository asked for. */
function configs(files: Record<string, string>) {
  const r = new FakeRepoReader(REPO);
  const reads: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const repo = name === "acme/deploy" ? r.repo : new FakeRepo();
    repo.commit({ [CONFIG_PATH]: text }, { branch: "main" });
    r.repos.set(name, repo);
  }
  const result = () =>
    loadConfig(REPO, (repo, path) => {
      reads.push(`${repo.owner}/${repo.repo}`);
      return r.readFile(repo, path, "main");
    });
  return { result, reads };
}

test("a chain A → B → C applies all three, nearest first, and names every source", async () => {
  const w = configs({ "acme/deploy": "_extends: base\ndrafts: true\n", "acme/base": "_extends: acme/.github\ncomment: never\n", "acme/.github": "comment: on-failure\nblock_on: [deny, high]\n" });
  const result = await w.result();
  if (!result.ok) throw new Error(result.error.message);
  expect(result.config).toMatchObject({ drafts: true, comment: "never", block_on: ["deny", "high"] });
  expect(result.sources.map((s) => s.split("@")[0])).toEqual(["acme/.github", "acme/base", "acme/deploy"]);
});

test.each([
  ["another owner's repository", { "acme/deploy": "_extends: mallory/public-cfg\n", "mallory/public-cfg": "policies:\n  builtin: none\n" }, /mallory\/public-cfg belongs to another owner than acme/, ["acme/deploy", "acme/.github"]],
  ["a path that climbs", { "acme/deploy": "_extends: ../../orgs/x\n" }, /is not a repository name/, ["acme/deploy"]],
  ["two slashes", { "acme/deploy": "_extends: acme/x/y\n" }, /at most one/, ["acme/deploy"]],
  ["a dot-dot repository", { "acme/deploy": "_extends: acme/..\n" }, /is not a repository name/, ["acme/deploy"]],
  ["a bad owner name", { "acme/deploy": "_extends: -acme/x\n" }, /is not a repository name/, ["acme/deploy"]],
  ["a cycle", { "acme/deploy": "_extends: a\n", "acme/a": "_extends: b\n", "acme/b": "_extends: Deploy\n" }, /acme\/deploy → acme\/a → acme\/b → acme\/Deploy\): a cycle/, ["acme/deploy", "acme/a", "acme/b"]],
  ["a missing base", { "acme/deploy": "_extends: nowhere\n" }, /acme\/nowhere has no \.github\/gitops-gate\.yml/, ["acme/deploy", "acme/nowhere"]],
])("_extends to %s is refused with a message", async (_what, files, message, reads) => {
  const w = configs(files as Record<string, string>);
  const result = await w.result();
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.message).toMatch(message);
  expect(w.reads).toEqual(reads);
});

test("a chain longer than five bases is refused", async () => {
  const files: Record<string, string> = { "acme/deploy": "_extends: c1\n" };
  for (let i = 1; i <= 7; i++) files[`acme/c${i}`] = `_extends: c${i + 1}\n`;
  const result = await configs(files).result();
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.message).toMatch(/longer than 5 bases/);
});

test("the organisation's .github config can allow bases of other owners", async () => {
  const w = configs({ "acme/deploy": "_extends: partner/cfg\n", "acme/.github": "policies:\n  allow_external: true\n", "partner/cfg": "drafts: true\n" });
  const result = await w.result();
  if (!result.ok) throw new Error(result.error.message);
  expect(result.config.drafts).toBe(true);
  // Allowing bases does not make this repository's chain speak for the organisation.
  expect(result.allowExternal).toBe(false);
});

test.each([
  ["an extglob", "paths:\n  include: ['**/+(a|b).yaml']\n", 2, /extglob/],
  ["an overlong glob", `environments:\n  prod: ['${"a".repeat(300)}']\n`, 2, /\/environments\/prod/],
  ["too many globs", `paths:\n  exclude: [${Array.from({ length: 101 }, (_, i) => `'x${i}'`).join(", ")}]\n`, 2, /\/paths\/exclude/],
  ["too many formats", `formats:\n${Array.from({ length: 101 }, (_, i) => `  'x${i}': yaml\n`).join("")}`, 1, /\/formats/],
])("%s in the config is an error at its line", (_what, text, line, message) => {
  const result = parseConfig(CONFIG_PATH, Buffer.from(text));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.message).toMatch(message);
  expect(result.error.line).toBe(line);
});

test("environments in both forms read the same", () => {
  const config = { ...defaultConfig(), environments: { prod: { paths: ["p/**"], owners: ["@sre"] }, dev: ["d/**"] } };
  expect(environmentsOf(config)).toEqual([
    { name: "prod", paths: ["p/**"], owners: ["@sre"] },
    { name: "dev", paths: ["d/**"], owners: [] },
  ]);
});

test("the format list comes from the parser registry", () => {
  const schema = publishedSchema() as unknown as { properties: { formats: { patternProperties: Record<string, { anyOf: Array<{ const: string }> }> } } };
  const allowed = Object.values(schema.properties.formats.patternProperties)[0]?.anyOf.map((o) => o.const);
  expect(allowed).toEqual(FORMATS);
});

test("docs/config.schema.json is the published schema (npm run schema writes it)", () => {
  const written = JSON.parse(readFileSync(join(ROOT, "docs", "config.schema.json"), "utf8")) as unknown;
  expect(written).toEqual(JSON.parse(JSON.stringify(publishedSchema())));
});

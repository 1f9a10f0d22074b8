// The formats read by conftest's own parsers (src/manifests/conftest-wasm): every file below
// parses in gitops-gate to exactly the documents `conftest parse` prints (conftest pinned in
// package.json, built from its Go module by scripts/ensure-conftest.sh), and every file
// conftest refuses, gitops-gate refuses. Material, all used by path at test time:
//   - conftest's own examples (its Go module's examples/ folder);
//   - test files of the very parser libraries conftest uses, from the Go module cache (the
//     modules wasm/conftest-parsers builds with): toml-test, go-ini, gotenv, go-akka, hcl v1,
//     go-jsonnet, CUE, cyclonedx-go, tools-golang, groovy-parser-go, gonginx...;
//   - the shared corpus where it has such files;
//   - hand-written fixtures for types and edge cases (test/fixtures/formats/<format>/).
// conftest runs once per chunk of 25 files of a format; a chunk with a file conftest refuses
// is run again without it (conftest names the file), or file by file when conftest crashes.
// gitops-gate parses on a worker thread, as the evaluation pool does (a worker's 4 MB stack
// is what deep Jsonnet recursion such as go-jsonnet's tailstrict tests needs), from the
// build output: `npm run build` first, as `npm test` does.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { CORPUS, ROOT, listFiles } from "../helpers/corpus.js";

const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { config: { conftestVersion: string } };
const GO_MODULE = join(ROOT, "wasm", "conftest-parsers");
const FIXTURES = join(ROOT, "test", "fixtures", "formats");

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
interface Case {
  readonly file: string;
  readonly format: string;
  /** Where the file comes from, for the counts. */
  readonly source: string;
}

let conftest = "";
let examples = "";
const modules = new Map<string, string>();

/** Go module folders, downloaded through the module proxy when the cache lacks them. */
function moduleDirs(cwd: string, specs: readonly string[]): Map<string, string> {
  const out = execFileSync("go", ["mod", "download", "-json", ...specs], { cwd, encoding: "utf8", maxBuffer: 16 << 20 });
  const dirs = new Map<string, string>();
  for (const m of out.matchAll(/"Path": "([^"]+)",[\s\S]*?"Dir": "([^"]+)"/g)) dirs.set(m[1] as string, m[2] as string);
  return dirs;
}

beforeAll(() => {
  conftest = execFileSync("bash", [join(ROOT, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();
  const tmp = mkdtempSync(join(tmpdir(), "gitops-gate-mod-"));
  try {
    writeFileSync(join(tmp, "go.mod"), "module probe\n");
    const dir = moduleDirs(tmp, [`github.com/open-policy-agent/conftest@v${PKG.config.conftestVersion}`]).get("github.com/open-policy-agent/conftest");
    examples = join(dir as string, "examples");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const [path, dir] of moduleDirs(GO_MODULE, MODULES)) modules.set(path, dir);
}, 600_000);

const MODULES = [
  "github.com/BurntSushi/toml", "github.com/go-ini/ini", "github.com/subosito/gotenv", "github.com/magiconair/properties",
  "github.com/go-akka/configuration", "github.com/basgys/goxml2json", "github.com/hashicorp/hcl", "github.com/google/go-jsonnet",
  "cuelang.org/go", "olympos.io/encoding/edn", "github.com/KeisukeYamashita/go-vcl", "github.com/spdx/tools-golang",
  "github.com/CycloneDX/cyclonedx-go", "github.com/shteou/go-ignore", "github.com/albertocavalcante/groovy-parser-go",
  "github.com/tufanbarisyildirim/gonginx", "github.com/hmarr/codeowners", "github.com/muhammadmuzzammil1998/jsonc",
];

const walk = (dir: string): string[] => (existsSync(dir) ? listFiles(dir).sort() : []);
const ending = (...exts: string[]) => (f: string): boolean => exts.some((e) => f.endsWith(e));

/** Every case, by format. Module test files are filtered to what each parser is meant to read. */
function cases(): Case[] {
  const mod = (path: string, sub = ""): string => join(modules.get(path) ?? `/missing/${path}`, sub);
  const ex = (...files: string[]): string[] => files.map((f) => join(examples, f));
  const fixtures = (format: string): string[] => walk(join(FIXTURES, format)).filter((f) => !f.endsWith(".proto"));
  const noImports = (f: string): boolean => !/\bimport(str|bin)?\b/.test(readFileSync(f, "utf8"));
  const sets: Record<string, Record<string, string[]>> = {
    ini: { examples: ex("ini/grafana.ini"), modules: walk(mod("github.com/go-ini/ini", "testdata")).filter(ending(".ini")), fixtures: fixtures("ini") },
    toml: {
      modules: [...walk(mod("github.com/BurntSushi/toml", "internal/toml-test/tests")), ...walk(mod("github.com/BurntSushi/toml", "_example"))].filter(ending(".toml")),
      fixtures: fixtures("toml"),
    },
    dotenv: {
      examples: ex("dotenv/sample.env"),
      modules: walk(mod("github.com/subosito/gotenv")).filter((f) => /(^|\/)\.env$|\.env$/.test(f)),
      corpus: walk(CORPUS).filter((f) => /(^|\/)(\.env(\.[^/]*)?|[^/]*\.env)$/.test(f)),
      fixtures: fixtures("dotenv"),
    },
    properties: {
      examples: ex("properties/sample.properties"),
      modules: walk(mod("github.com/magiconair/properties")).filter(ending(".properties")),
      corpus: walk(CORPUS).filter(ending(".properties")),
      fixtures: fixtures("properties"),
    },
    hocon: { examples: ex("hocon/hocon.conf"), modules: walk(mod("github.com/go-akka/configuration")).filter(ending(".conf")), fixtures: fixtures("hocon") },
    xml: {
      examples: ex("xml/pom.xml"),
      modules: [...walk(mod("github.com/basgys/goxml2json")), ...walk(mod("github.com/spdx/tools-golang", "examples")), ...walk(mod("github.com/CycloneDX/cyclonedx-go", "testdata")).slice(0, 400)].filter(ending(".xml")),
      fixtures: fixtures("xml"),
    },
    hcl1: { examples: ex("hcl1/gke.tf"), modules: walk(mod("github.com/hashicorp/hcl")).filter(ending(".hcl")), fixtures: fixtures("hcl1") },
    hcl2: { fixtures: fixtures("hcl2") },
    // CUE's own test files are mostly packages that import others; the first 60 of them.
    cue: { examples: ex("cue/deployment.cue"), modules: walk(mod("cuelang.org/go", "cue")).filter(ending(".cue")).slice(0, 60), fixtures: fixtures("cue") },
    // Imports are left out: conftest resolves them beside the file, gitops-gate reads no other file.
    jsonnet: { examples: ex("jsonnet/arith.jsonnet"), modules: walk(mod("github.com/google/go-jsonnet", "testdata")).filter(ending(".jsonnet")).filter(noImports), fixtures: fixtures("jsonnet") },
    edn: { examples: ex("edn/sample_config.edn"), modules: walk(mod("olympos.io/encoding/edn")).filter(ending(".edn")), fixtures: fixtures("edn") },
    vcl: { examples: ex("vcl/varnish.vcl"), modules: walk(mod("github.com/KeisukeYamashita/go-vcl")).filter(ending(".vcl")), fixtures: fixtures("vcl") },
    spdx: { examples: ex("spdx/sbom.spdx"), modules: walk(mod("github.com/spdx/tools-golang", "examples/sample-docs/tv")).filter(ending(".spdx")), fixtures: fixtures("spdx") },
    cyclonedx: {
      examples: ex("cyclonedx/cyclonedx.json", "cyclonedx/cyclonedx.xml"),
      modules: walk(mod("github.com/CycloneDX/cyclonedx-go", "testdata")).filter((f) => !f.includes("/snapshots/") && /\.(json|xml)$/.test(f)),
      fixtures: fixtures("cyclonedx"),
    },
    ignore: { examples: ex("ignore/gitignore/.gitignore", "ignore/dockerignore/.dockerignore", "hcl1/.gitignore"), fixtures: fixtures("ignore") },
    groovy: {
      examples: ex("jenkins/Jenkinsfile", "jenkins/Jenkinsfile.safe"),
      modules: walk(mod("github.com/albertocavalcante/groovy-parser-go", "testdata")).filter(ending(".groovy")),
      fixtures: fixtures("groovy"),
    },
    nginx: { examples: ex("nginx/nginx.conf"), modules: walk(mod("github.com/tufanbarisyildirim/gonginx")).filter(ending(".conf")), fixtures: fixtures("nginx") },
    codeowners: { examples: ex("codeowners/CODEOWNERS"), modules: walk(mod("github.com/hmarr/codeowners")).filter((f) => /CODEOWNERS$/.test(f)), fixtures: fixtures("codeowners") },
    jsonc: { modules: walk(mod("github.com/muhammadmuzzammil1998/jsonc")).filter(ending(".jsonc", ".json")), fixtures: fixtures("jsonc") },
    // textproto is compared separately below: `conftest parse` has no --proto-file-dirs.
  };
  return Object.entries(sets).flatMap(([format, bySource]) =>
    Object.entries(bySource).flatMap(([source, files]) => files.map((file) => ({ file, format, source }))),
  );
}

/** conftest's outcome for each file, in chunks; a refused file is retried alone. */
function conftestParse(format: string, files: readonly string[]): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  const one = (file: string): void => {
    const r = spawnSync(conftest, ["parse", "--parser", format, file], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
    out.set(file, r.status === 0 ? { ok: true, value: JSON.parse(r.stdout) } : { ok: false, error: (r.stderr || r.stdout || String(r.error)).slice(0, 300) });
  };
  for (let i = 0; i < files.length; i += 25) {
    let chunk = files.slice(i, i + 25);
    while (chunk.length > 1) {
      const r = spawnSync(conftest, ["parse", "--parser", format, ...chunk], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 120_000 });
      if (r.status === 0) {
        const byPath = JSON.parse(r.stdout) as Record<string, unknown>;
        for (const f of chunk) out.set(f, { ok: true, value: byPath[f] });
        chunk = [];
        break;
      }
      const failed = [...(r.stderr ?? "").matchAll(/, path: (.*)$/gm)].map((m) => m[1] as string).find((p) => chunk.includes(p));
      if (!failed) break; // a crash names no file: one by one
      out.set(failed, { ok: false, error: (r.stderr ?? "").slice(0, 300) });
      chunk = chunk.filter((f) => f !== failed);
    }
    chunk.forEach(one);
  }
  return out;
}

/** gitops-gate's parsers on one worker thread (dist/), answering lists of files. */
let parser: Worker | undefined;
function ours(files: readonly string[], format: string, protos: ReadonlyArray<{ path: string; text: string }> = []): Promise<Outcome[]> {
  if (!parser) {
    const dist = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, "dist", "manifests", f)).href);
    parser = new Worker(
      `const { parentPort } = require("node:worker_threads");
       const { readFileSync } = require("node:fs");
       Promise.all([import(${dist("index.js")}), import(${dist("conftest-wasm/index.js")})]).then(([{ parseFile }, { setProtoFiles }]) => {
         parentPort.on("message", ({ files, format, protos }) => {
           setProtoFiles(protos);
           parentPort.postMessage(files.map((file) => {
             const r = parseFile({ path: file, bytes: readFileSync(file) }, format);
             return r.ok ? { ok: true, value: r.documents.map((d) => d.content) } : { ok: false, error: r.error.message };
           }));
         });
       });`,
      { eval: true },
    );
  }
  const worker = parser;
  return new Promise((resolve, reject) => {
    const fail = (e: Error): void => reject(e);
    worker.once("error", fail);
    worker.once("message", (reply: Outcome[]) => {
      worker.off("error", fail);
      resolve(reply);
    });
    worker.postMessage({ files, format, protos });
  });
}

/** conftest's value as gitops-gate's documents: a top-level array is one document per element. */
const asDocuments = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null ? [] : [value]);

/** JSON with object keys sorted: key order is no difference (and values cross realms: Jest's and the worker's). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

interface Tally {
  files: number;
  identical: number;
  bothRefused: number;
  differ: string[];
}

function compare(format: string, file: string, mine: Outcome, theirs: Outcome | undefined, tally: Tally): void {
  tally.files++;
  const rel = relative(ROOT, file).startsWith("..") ? file.replace(/^.*\/pkg\/mod\//, "$GOMODCACHE/") : relative(ROOT, file);
  if (!theirs) tally.differ.push(`${format} ${rel}: conftest gave nothing`);
  else if (mine.ok && theirs.ok) {
    if (canonical(mine.value) === canonical(asDocuments(theirs.value))) tally.identical++;
    else tally.differ.push(`${format} ${rel}: documents differ`);
  } else if (!mine.ok && !theirs.ok) tally.bothRefused++;
  else tally.differ.push(`${format} ${rel}: ${mine.ok ? `gitops-gate accepts, conftest refuses (${theirs.ok ? "" : theirs.error.split("\n")[0]})` : `gitops-gate refuses (${mine.error}), conftest accepts`}`);
}

afterAll(async () => {
  await parser?.terminate();
});

const tallies = new Map<string, Tally>();
const tallyOf = (format: string): Tally => {
  let t = tallies.get(format);
  if (!t) tallies.set(format, (t = { files: 0, identical: 0, bothRefused: 0, differ: [] }));
  return t;
};

afterAll(() => {
  const rows = [...tallies].map(([f, t]) => `${f.padEnd(11)} ${String(t.files).padStart(5)} files: ${String(t.identical).padStart(5)} identical, ${String(t.bothRefused).padStart(4)} refused by both, ${t.differ.length} different`);
  const total = [...tallies.values()].reduce((a, t) => ({ files: a.files + t.files, identical: a.identical + t.identical, both: a.both + t.bothRefused }), { files: 0, identical: 0, both: 0 });
  // The counts, for the decision record and the README.
  console.log(`formats parity with conftest v${PKG.config.conftestVersion}:\n${rows.join("\n")}\ntotal ${total.files} files: ${total.identical} identical, ${total.both} refused by both`);
});

test("every file parses to the documents `conftest parse` prints, and what conftest refuses is refused", async () => {
  const all = cases();
  const formats = [...new Set(all.map((c) => c.format))];
  for (const format of formats) {
    const mine = all.filter((c) => c.format === format);
    // Every source named above has files: a moved module folder must not pass silently.
    for (const c of mine) expect(existsSync(c.file)).toBe(true);
    expect([format, mine.length]).not.toEqual([format, 0]);
    const theirs = conftestParse(format, mine.map((c) => c.file));
    const got = await ours(mine.map((c) => c.file), format);
    mine.forEach((c, i) => compare(format, c.file, got[i] as Outcome, theirs.get(c.file), tallyOf(format)));
  }
  const differences = [...tallies.values()].flatMap((t) => t.differ);
  expect(differences).toEqual([]);
}, 900_000);

/** conftest's document for a textproto file: `conftest parse` cannot load .proto files, so a policy prints its input. */
function conftestTextproto(file: string, protoDir: string | undefined, policy: string): Outcome {
  const args = ["test", "--no-color", "-o", "json", "-p", policy, ...(protoDir ? [`--proto-file-dirs=${protoDir}`] : []), file];
  const r = spawnSync(conftest, args, { encoding: "utf8", cwd: ROOT, timeout: 60_000 });
  try {
    const results = JSON.parse(r.stdout) as Array<{ failures?: Array<{ msg: string }> }>;
    const msg = results[0]?.failures?.[0]?.msg;
    if (msg !== undefined) return { ok: true, value: JSON.parse(msg) };
  } catch {
    // not JSON: conftest stopped with an error
  }
  return { ok: false, error: (r.stderr || r.stdout).slice(0, 300) };
}

test("textproto: messages from --proto-file-dirs folders, as conftest test loads them", async () => {
  const policy = mkdtempSync(join(tmpdir(), "gitops-gate-textproto-"));
  writeFileSync(join(policy, "echo.rego"), "package main\n\ndeny contains json.marshal(input)\n");
  const protoFilesOf = (dir: string) => walk(join(ROOT, dir)).filter(ending(".proto")).map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, "utf8") }));
  const runs: Array<{ dir: string | undefined; files: string[] }> = [
    { dir: relative(ROOT, join(examples, "textproto", "protos")), files: ex(["pass.textproto", "fail.textproto"]) },
    { dir: "test/fixtures/formats/textproto/protos", files: walk(join(FIXTURES, "textproto")).filter(ending(".textproto", ".textpb")) },
    // Without the folder, the message type is unknown: both refuse.
    { dir: undefined, files: ex(["pass.textproto"]) },
  ];
  function ex(names: string[]): string[] {
    return names.map((n) => join(examples, "textproto", n));
  }
  try {
    for (const run of runs) {
      const got = await ours(run.files, "textproto", run.dir ? protoFilesOf(run.dir) : []);
      run.files.forEach((file, i) => compare("textproto", file, got[i] as Outcome, conftestTextproto(relative(ROOT, file), run.dir, policy), tallyOf("textproto")));
    }
  } finally {
    rmSync(policy, { recursive: true, force: true });
  }
  const t = tallyOf("textproto");
  expect(t.differ).toEqual([]);
  expect(t.identical).toBeGreaterThanOrEqual(4);
}, 120_000);

test("sources hold what they should: conftest's examples folder and the module test files", () => {
  expect(readdirSync(examples)).toEqual(expect.arrayContaining(["ini", "hocon", "xml", "jsonnet", "cue", "textproto"]));
  expect(modules.size).toBe(MODULES.length);
});

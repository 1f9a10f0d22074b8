// conftest's own examples, through conftest and through gitops-gate, compared.
//
// Material: the `examples/` folder and `acceptance.bats` of conftest's pinned source
// release (package.json config.conftestVersion), from its Go module; conftest itself built
// from that module (scripts/ensure-conftest.sh). Nothing here is copied from them.
//
// The runs: every `conftest test` run of acceptance.bats, with its flags, working folder
// and stdin, read from the file itself (./bats.ts). Examples that acceptance.bats never
// runs with `conftest test` are run the way their own Makefile or conftest's
// examples/README.md says (EXTRA below). Each run is made by both tools:
//   conftest [-c F] test ARGS -o json          gitops-gate check [-c F] ARGS -o json
// (`test` is gitops-gate's `check`; `-o json` replaces any other output format, since
// what is compared is the results, not conftest's table or TAP layout.)
//
// Compared per run: the multiset of (file, namespace, kind, message) results, kind being
// failure, warning or exception (conftest's exception message is its query, gitops-gate
// reports the same), and the outcome: pass (exit 0), fail (exit 1 with results), or error.
// conftest exits 1 on an error (a policy that does not compile, a file it cannot parse)
// and prints no results; gitops-gate exits 2 and says why. For an error, what
// acceptance.bats expects the output to say (`[[ "$output" =~ "..." ]]`) must be in
// gitops-gate's output too. Each run's exit status is also checked against what
// acceptance.bats expects of conftest, so a run the harness got wrong shows up.
//
// The examples: every folder of examples/, and every example acceptance.bats runs (it runs
// examples/terraform, which the release does not ship: both tools must fail alike). An
// example is identical when every run that touches it is. Runs left out, each for the
// reason in SKIPPED_RUNS; examples left out: none.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import type * as TypeScript from "typescript";
import type * as HydrateModule from "../../src/hydrate/engine.js";
import type * as PathsModule from "../../src/paths.js";
import { ROOT } from "../helpers/corpus.js";
import { parseBats, type BatsRun } from "./bats.js";

const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { config: { conftestVersion: string } };
const BIN = join(ROOT, "bin", "gitops-gate.js");

/** Runs of acceptance.bats that are not compared, and why. */
const SKIPPED_RUNS: ReadonlyArray<{ readonly when: (args: readonly string[]) => boolean; readonly why: string }> = [
  {
    when: (args) => args.includes("--update"),
    why: "downloads a policy from raw.githubusercontent.com first: it needs the network, and gitops-gate has no --update (policies come from --policy folders or the App's config)",
  },
  {
    when: (args) => args.includes("--trace"),
    why: "--trace prints OPA's evaluation trace, which only OPA's Go evaluator produces; gitops-gate runs policies compiled to WebAssembly (decision 0001), which has no trace, and refuses the flag with that reason",
  },
];

/** Examples acceptance.bats never runs with `conftest test`: how their own instructions run them. */
interface Extra {
  readonly example: string;
  readonly cwd: string;
  readonly args: readonly string[];
  /** What goes to stdin, made by the test (what the example's Makefile pipes in). */
  readonly stdin?: () => Promise<string>;
  readonly how: string;
}

let moduleDir = "";
let conftest = "";

function moduleFolder(): string {
  const tmp = mkdtempSync(join(tmpdir(), "gitops-gate-mod-"));
  try {
    writeFileSync(join(tmp, "go.mod"), "module probe\n");
    const out = execFileSync("go", ["mod", "download", "-json", `github.com/open-policy-agent/conftest@v${PKG.config.conftestVersion}`], { cwd: tmp, encoding: "utf8" });
    return (JSON.parse(out) as { Dir: string }).Dir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `kustomize build` of the example, by the Kustomize gitops-gate builds in (hydrate/), as a YAML stream. */
async function kustomizeBuild(dir: string): Promise<string> {
  const { HydrateEngine } = (await import(join(ROOT, "dist", "hydrate", "engine.js"))) as typeof HydrateModule;
  const { hydrateWasmPath } = (await import(join(ROOT, "dist", "paths.js"))) as typeof PathsModule;
  const { dump } = createRequire(import.meta.url)("js-yaml") as { dump: (v: unknown) => string };
  const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
  const engine = await HydrateEngine.load(hydrateWasmPath());
  const result = engine.render({ kind: "kustomize", root: "", files });
  return result.objects.map((o) => dump(o.object)).join("---\n");
}

/**
 * `npx ts-node pod.ts`: the TypeScript with its types erased (TypeScript's own transpiler),
 * run with js-yaml's `safeDump` as js-yaml 3 defined it (`dump` with the safe schema) —
 * the example calls safeDump, which js-yaml 4, the version its package.json asks for,
 * removed; the Pod it prints is the same.
 */
async function tsExample(dir: string): Promise<string> {
  const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
  const { dump } = createRequire(import.meta.url)("js-yaml") as { dump: (v: unknown) => string };
  const js = ts.transpileModule(readFileSync(join(dir, "pod.ts"), "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  let out = "";
  const modules: Record<string, unknown> = { "js-yaml": { safeDump: (v: unknown) => dump(JSON.parse(JSON.stringify(v))) } };
  runInNewContext(js, {
    exports: {},
    require: (name: string) => modules[name] ?? {},
    console: { log: (s: string) => (out += `${s}\n`) },
  });
  return out;
}

const EXTRA: readonly Extra[] = [
  { example: "awssam", cwd: "", args: ["test", "-p", "examples/awssam/policy", "examples/awssam/lambda.yaml"], how: "conftest test -p <example>/policy <example>/<input> (examples/README.md)" },
  { example: "nginx", cwd: "", args: ["test", "-p", "examples/nginx/policy", "examples/nginx/nginx.conf"], how: "conftest test -p <example>/policy <example>/<input> (examples/README.md)" },
  { example: "serverless", cwd: "", args: ["test", "-p", "examples/serverless/policy", "examples/serverless/serverless.yaml"], how: "conftest test -p <example>/policy <example>/<input> (examples/README.md)" },
  {
    example: "kustomize",
    cwd: "examples/kustomize",
    // conftest's --policy defaults to ./policy; gitops-gate's to its built-in packs, so it is named.
    args: ["test", "-p", "policy", "-"],
    stdin: () => kustomizeBuild(join(moduleDir, "examples", "kustomize")),
    how: "its Makefile: kustomize build | conftest test - (in the example's folder; --policy policy, conftest's default, named)",
  },
  {
    example: "ts",
    cwd: "examples/ts",
    args: ["test", "-p", "policy", "-"],
    stdin: () => tsExample(join(moduleDir, "examples", "ts")),
    how: "its Makefile: npx ts-node pod.ts | conftest test - (in the example's folder; --policy policy, conftest's default, named)",
  },
];

interface Run {
  readonly name: string;
  readonly cwd: string;
  readonly global: readonly string[];
  readonly args: readonly string[];
  readonly stdin?: string | (() => Promise<string>);
  readonly examples: readonly string[];
  readonly bats?: BatsRun;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function spawn(cmd: string, args: readonly string[], cwd: string, stdin: string | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(cmd, [...args], { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === "number" ? code : -1, stdout, stderr });
    });
    child.stdin?.end(stdin ?? "");
  });
}

/** `-o X`/`--output X`/`--output=X` out, `-o json` in. */
function jsonOutput(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-o" || a === "--output") i++;
    else if (!a.startsWith("--output=")) out.push(a);
  }
  return [...out, "-o", "json"];
}

type Tuple = string;

/** conftest -o json: [{filename, namespace, failures, warnings, exceptions}]. */
function conftestTuples(stdout: string): Tuple[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout || "[]");
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const out: Tuple[] = [];
  for (const r of parsed as Array<Record<string, unknown>>) {
    const file = (r["filename"] as string) || "-";
    for (const [key, kind] of [["failures", "failure"], ["warnings", "warning"], ["exceptions", "exception"]] as const) {
      for (const x of (r[key] as Array<{ msg: string }> | undefined) ?? []) out.push(JSON.stringify([file, r["namespace"], kind, x.msg]));
    }
  }
  return out.sort();
}

/** gitops-gate -o json: files[].findings (deny, warn; errors apart) and files[].waived. */
function gitopsGateTuples(stdout: string): { tuples: Tuple[]; errors: string[] } | undefined {
  let parsed: { files: Array<{ findings: Array<{ file: string; namespace?: string; kind: string; message: string }>; waived: Array<{ file: string; namespace: string; message: string }> }> };
  try {
    parsed = JSON.parse(stdout || '{"files":[]}') as typeof parsed;
  } catch {
    return undefined;
  }
  const tuples: Tuple[] = [];
  const errors: string[] = [];
  for (const f of parsed.files) {
    for (const x of f.findings) {
      if (x.kind === "error") errors.push(x.message);
      else tuples.push(JSON.stringify([x.file, x.namespace, x.kind === "deny" ? "failure" : "warning", x.message]));
    }
    for (const w of f.waived) tuples.push(JSON.stringify([w.file, w.namespace, "exception", w.message]));
  }
  return { tuples: tuples.sort(), errors };
}

type Verdict = "pass" | "fail" | "error";

interface Comparison {
  readonly run: Run;
  readonly same: boolean;
  readonly why: string[];
  readonly conftest: Verdict;
  readonly gitopsGate: Verdict;
}

async function compare(run: Run): Promise<Comparison> {
  const cwd = join(moduleDir, run.cwd);
  const stdin = typeof run.stdin === "function" ? await run.stdin() : run.stdin !== undefined ? readFileSync(join(cwd, run.stdin), "utf8") : undefined;
  const args = jsonOutput(run.args.slice(1));
  const [c, g] = await Promise.all([
    spawn(conftest, [...run.global, "test", ...args], cwd, stdin),
    spawn(process.execPath, [BIN, "check", ...run.global, ...args], cwd, stdin),
  ]);
  const why: string[] = [];
  const ct = c.code === 0 ? conftestTuples(c.stdout) : conftestTuples(c.stdout);
  const conftestVerdict: Verdict = c.code === 0 ? "pass" : c.code === 1 && ct && c.stdout.trim() !== "" ? "fail" : "error";
  const gg = gitopsGateTuples(g.stdout);
  const gitopsVerdict: Verdict = g.code === 0 ? "pass" : g.code === 1 ? "fail" : "error";
  if (run.bats?.status !== undefined && run.bats.status !== c.code) why.push(`conftest exited ${c.code}, acceptance.bats expects ${run.bats.status}: the harness ran it wrong`);
  if (conftestVerdict !== gitopsVerdict) why.push(`conftest: ${conftestVerdict} (exit ${c.code}), gitops-gate: ${gitopsVerdict} (exit ${g.code})`);
  if (conftestVerdict === "error") {
    const said = `${g.stdout}\n${g.stderr}`;
    for (const s of run.bats?.contains ?? []) if (!said.includes(s)) why.push(`gitops-gate's error does not say ${JSON.stringify(s)}`);
  } else {
    const a = ct ?? [];
    const b = gg?.tuples ?? [];
    if (!gg) why.push(`gitops-gate printed no JSON: ${g.stderr.trim().slice(0, 300)}`);
    const missing = a.filter((t) => !b.includes(t));
    const extra = b.filter((t) => !a.includes(t));
    if (missing.length || extra.length || a.length !== b.length) why.push(`results differ: conftest only ${JSON.stringify(missing)}, gitops-gate only ${JSON.stringify(extra)} (counts ${a.length}/${b.length})`);
    if (gg?.errors.length) why.push(`gitops-gate errors: ${gg.errors.join("; ").slice(0, 300)}`);
  }
  if (process.env["DEBUG_EXAMPLES"]) console.log(`${run.name}: conftest ${conftestVerdict} ${JSON.stringify(ct)}\n  gitops-gate ${gitopsVerdict} ${JSON.stringify(gg?.tuples)} ${gg?.errors.join("; ").slice(0, 200) ?? ""} ${g.stderr.slice(0, 200)}`);
  if (why.length && process.env["DEBUG_EXAMPLES"]) why.push(`conftest stderr: ${c.stderr.trim().slice(0, 400)}`, `gitops-gate stderr: ${g.stderr.trim().slice(0, 400)}`);
  return { run, same: why.length === 0, why, conftest: conftestVerdict, gitopsGate: gitopsVerdict };
}

/** The example folders a run touches: named in its arguments, working folder, stdin or links. */
function examplesOf(run: { cwd: string; global: readonly string[]; args: readonly string[]; stdin?: unknown; links?: ReadonlyMap<string, string> }): string[] {
  const text = [run.cwd, ...run.global, ...run.args, typeof run.stdin === "string" ? run.stdin : "", ...[...(run.links ?? new Map()).entries()].flatMap(([link, target]) => (run.args.includes(link) ? [target] : []))].join(" ");
  return [...new Set([...text.matchAll(/examples\/([\w.+-]+)/g)].map((m) => m[1] as string))].sort();
}

let bats: ReturnType<typeof parseBats> | undefined;
const runs: Run[] = [];
const skipped: Array<{ name: string; why: string; examples: string[] }> = [];
let exampleDirs: string[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) throw new Error("run npm run build first: this test runs the built CLI");
  conftest = execFileSync("bash", [join(ROOT, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();
  moduleDir = moduleFolder();
  exampleDirs = readdirSync(join(moduleDir, "examples"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  bats = parseBats(readFileSync(join(moduleDir, "acceptance.bats"), "utf8"), moduleDir);
  for (const b of bats.runs) {
    const examples = examplesOf(b);
    const skip = SKIPPED_RUNS.find((s) => s.when(b.args));
    if (skip) skipped.push({ name: b.test, why: skip.why, examples });
    else runs.push({ name: b.test, cwd: b.cwd, global: b.global, args: b.args, ...(b.stdin ? { stdin: b.stdin } : {}), examples, bats: b });
  }
  const covered = new Set(runs.flatMap((r) => r.examples));
  for (const e of EXTRA) {
    if (covered.has(e.example)) throw new Error(`examples/${e.example} is now run by acceptance.bats: drop it from EXTRA`);
    runs.push({ name: `${e.example}: ${e.how}`, cwd: e.cwd, global: [], args: e.args, ...(e.stdin ? { stdin: e.stdin } : {}), examples: [e.example] });
  }
}, 600_000);

afterAll(() => bats?.cleanup());

test(`conftest v${PKG.config.conftestVersion}'s examples: identical results with gitops-gate`, async () => {
  const results: Comparison[] = [];
  // Two at a time: each run starts both tools.
  const queue = [...runs];
  await Promise.all(
    [0, 1].map(async () => {
      for (let r = queue.shift(); r; r = queue.shift()) results.push(await compare(r));
    }),
  );
  const examples = [...new Set([...exampleDirs, ...runs.flatMap((r) => r.examples)])].sort();
  const byExample = new Map<string, Comparison[]>(examples.map((e) => [e, []]));
  for (const c of results) for (const e of c.run.examples) byExample.get(e)?.push(c);
  const untested = [...byExample].filter(([, cs]) => cs.length === 0).map(([e]) => e);
  const identical = [...byExample].filter(([, cs]) => cs.length > 0 && cs.every((c) => c.same)).map(([e]) => e);
  const different = results.filter((c) => !c.same).map((c) => ({ run: c.run.name, examples: c.run.examples.join(","), why: c.why }));
  const lines = [
    `conftest examples: ${identical.length}/${examples.length} identical (${results.length} runs compared, ${results.filter((c) => c.same).length} identical)`,
    ...[...byExample].map(([e, cs]) => `  ${cs.every((c) => c.same) && cs.length ? "✓" : "✗"} ${e}: ${cs.length} run(s)`),
    ...skipped.map((s) => `  skipped run "${s.name}" (${s.examples.join(", ")}): ${s.why}`),
  ];
  console.log(lines.join("\n"));
  expect(untested).toEqual([]);
  expect(different).toEqual([]);
  expect(examples).toHaveLength(35);
  expect(identical).toHaveLength(examples.length);
}, 900_000);

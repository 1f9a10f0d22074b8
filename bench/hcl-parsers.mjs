// HCL parsers side by side, for docs/decisions/0003-hcl-parser.md: gitops-gate's own
// (dist/manifests/terraform), @cdktn/hcl2json, tree-sitter-hcl (web and native bindings, with
// an adapter to gitops-gate's converter) and hashicorp/hcl/v2 + hcl2json built for WASI.
//
//   bash bench/hcl-parsers/setup.sh     # the candidates, into $HCL_EVAL (default /tmp/hcl-eval)
//   npm run build:ts                    # gitops-gate's parser, from dist/
//   node bench/hcl-parsers.mjs          # CORPUS=… for another folder of .tf files
//
// It stops with a message naming what is missing when a candidate is not installed: the
// numbers of a partial run would not be comparable. Measured per candidate: output equal to
// `conftest parse` on every corpus file; agreement with hcl/v2 (accepts/refuses, same
// document) on seeded mutations of corpus files; source-map lines for blocks and arguments;
// warm files per second; cold start in a fresh process; size on disk; hostile input, each
// case in a child process with a time limit.
/* global WebAssembly */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { makeTreeSitterAdapter } from "./hcl-parsers/tree-sitter-adapter.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EVAL = resolve(process.env.HCL_EVAL ?? "/tmp/hcl-eval");
const CORPUS = resolve(process.env.CORPUS ?? join(ROOT, "..", "shared", "corpus", "terraform"));
const BAD = join(CORPUS, "..", "bad");
const DIST = join(ROOT, "dist", "manifests");
const LIMITS = { maxBytes: 2 * 1024 * 1024, maxDepth: 100, maxAliasNodes: 100_000 };
const requireEval = createRequire(join(EVAL, "package.json"));
const PATHS = {
  "hcl2json-npm": join(EVAL, "node_modules", "@cdktn", "hcl2json"),
  "tree-sitter-web": join(EVAL, "node_modules", "web-tree-sitter"),
  "tree-sitter-native": join(EVAL, "node_modules", "tree-sitter"),
  grammar: join(EVAL, "node_modules", "@tree-sitter-grammars", "tree-sitter-hcl"),
  "hcl-wasi": join(EVAL, "gowasm", "hcl2json.wasm"),
};

// --- candidates: load() → parse(text) → {ok, doc, error, lineOf?} ----------------------

async function oursAdapterParts() {
  const mod = (p) => import(pathToFileURL(join(DIST, p)).href);
  const [{ convert }, tmpl, { LineIndex }, { SourceMap }] = await Promise.all([mod("terraform/convert.js"), mod("terraform/template.js"), mod("lines.js"), mod("source-map.js")]);
  return { convert, templateTree: tmpl.templateTree, flushHeredoc: tmpl.flushHeredoc, meld: tmpl.meld, LineIndex, SourceMap };
}

const CANDIDATES = {
  async ours() {
    const { terraformParser } = await import(pathToFileURL(join(DIST, "terraform", "index.js")).href);
    return (text) => {
      const r = terraformParser.parse(text, LIMITS);
      if (!r.ok) return { ok: false, error: r.error.message };
      const d = r.documents[0];
      return { ok: true, doc: d ? d.content : {}, lineOf: d ? (p) => d.sourceMap.lineOf(p) : undefined };
    };
  },
  async "hcl2json-npm"() {
    const { parse } = requireEval("@cdktn/hcl2json");
    return async (text) => {
      try {
        return { ok: true, doc: await parse("main.tf", text) };
      } catch (err) {
        return { ok: false, error: String(err.message ?? err) };
      }
    };
  },
  async "tree-sitter-web"() {
    const { Parser, Language } = await import(pathToFileURL(join(PATHS["tree-sitter-web"], "web-tree-sitter.js")).href);
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(join(PATHS.grammar, "tree-sitter-hcl.wasm")));
    return treeSitterParse(parser, makeTreeSitterAdapter(await oursAdapterParts()));
  },
  async "tree-sitter-native"() {
    const Parser = requireEval("tree-sitter");
    const parser = new Parser();
    parser.setLanguage(requireEval("@tree-sitter-grammars/tree-sitter-hcl"));
    return treeSitterParse(parser, makeTreeSitterAdapter(await oursAdapterParts()));
  },
  async "hcl-wasi"() {
    const { WASI } = await import("node:wasi");
    const module = await WebAssembly.compile(readFileSync(PATHS["hcl-wasi"]));
    const wasi = new WASI({ version: "preview1" });
    const x = (await WebAssembly.instantiate(module, wasi.getImportObject())).exports;
    wasi.initialize({ exports: x });
    const parse = (text, withLines = 1) => {
      const bytes = Buffer.from(text);
      // input() and parse() may grow the memory, which detaches any view taken before.
      const at = x.input(bytes.length);
      new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes);
      const n = x.parse(withLines);
      const out = x.output();
      const r = JSON.parse(Buffer.from(x.memory.buffer, out, n).toString());
      if (r.error) return { ok: false, error: r.error };
      const lines = r.lines ?? {};
      return { ok: true, doc: r.doc, lines, lineOf: (p) => lines[p.join("\u0000")] };
    };
    // Without the second walk that finds the lines: the cost of the document alone.
    return Object.assign((text) => parse(text), { bare: (text) => parse(text, 0) });
  },
};

function treeSitterParse(parser, toDocument) {
  const parse = (text) => {
    const tree = parser.parse(text);
    try {
      const r = toDocument(tree, text);
      return r.ok ? { ok: true, doc: r.doc, lineOf: r.sourceMap && ((p) => r.sourceMap.lineOf(p)) } : r;
    } finally {
      tree.delete?.(); // web-tree-sitter's trees live in wasm memory until deleted
    }
  };
  // The syntax tree alone, without the adapter and the converter.
  return Object.assign(parse, { bare: (text) => parser.parse(text).delete?.() });
}

// --- inputs -------------------------------------------------------------------------

function listTf(dir) {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? listTf(p) : p.endsWith(".tf") ? [p] : [];
  }).sort();
}

/** Seeded edits of corpus files (cut, insert a token, repeat a span): near-valid HCL. */
function mutations(texts, count) {
  const pieces = ['"', "${", "}", "{", "[", "]", "(", ")", "\n", "<<EOT\n", "EOT\n", "%{", "~", "=", ",", ".", "*", "#", "/*", "\\", "$", "1.", "-", "'"];
  let seed = 2463534242;
  const rnd = (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  return Array.from({ length: count }, () => {
    const base = texts[rnd(texts.length)];
    const a = rnd(base.length + 1);
    const b = Math.min(base.length, a + rnd(40));
    const kind = rnd(3);
    if (kind === 0) return base.slice(0, a) + base.slice(b);
    if (kind === 1) return base.slice(0, a) + pieces[rnd(pieces.length)] + base.slice(a);
    return base.slice(0, b) + base.slice(a, b) + base.slice(b);
  });
}

const HOSTILE = {
  "[ ×1e5": () => `a = ${"[".repeat(1e5)}${"]".repeat(1e5)}\n`,
  "[ ×1e6": () => `a = ${"[".repeat(1e6)}${"]".repeat(1e6)}\n`,
  "{b = ×1e5": () => `a = ${"{b = ".repeat(1e5)}1${"}".repeat(1e5)}\n`,
  "( ×1e5": () => `a = ${"(".repeat(1e5)}1${")".repeat(1e5)}\n`,
  "blocks ×1e5": () => `${"a {\n".repeat(1e5)}${"}\n".repeat(1e5)}`,
  '"${ ×1e5': () => `a = ${'"${'.repeat(1e5)}1${'}"'.repeat(1e5)}\n`,
  "%{if} ×1e4": () => `a = "${"%{ if x }".repeat(1e4)}${"%{ endif }".repeat(1e4)}"\n`,
  "2 MiB string": () => `a = "${"x".repeat(2 * 1024 * 1024)}"\n`,
  "1e5 arguments": () => Array.from({ length: 1e5 }, (_, i) => `a${i} = ${i}\n`).join(""),
  "unterminated heredoc": () => `a = <<EOT\n${"x\n".repeat(5e5)}`,
  "NUL bytes": () => "a = 1\n\u0000\u0000b = 2\n",
};

// --- measurements ---------------------------------------------------------------------

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

async function timeAll(parse, texts, rounds) {
  const times = [];
  for (let r = 0; r <= rounds; r++) {
    const t = performance.now();
    for (const text of texts) await parse(text);
    if (r > 0) times.push(performance.now() - t); // round 0 warms up
  }
  return median(times);
}

function du(path) {
  return Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);
}

function sizes() {
  const ts = ["tree-sitter-web", "tree-sitter-native"].map((k) => PATHS[k]);
  const dep = (n) => join(EVAL, "node_modules", n);
  const terraformDist = readdirSync(join(DIST, "terraform")).filter((f) => f.endsWith(".js")).reduce((n, f) => n + statSync(join(DIST, "terraform", f)).size, 0);
  return {
    ours: terraformDist,
    "hcl2json-npm": du(PATHS["hcl2json-npm"]) + ["fs-extra", "graceful-fs", "jsonfile", "universalify"].reduce((n, d) => n + du(dep(d)), 0),
    "tree-sitter-web": du(ts[0]) + statSync(join(PATHS.grammar, "tree-sitter-hcl.wasm")).size,
    "tree-sitter-native": du(ts[1]) + du(PATHS.grammar) + du(dep("node-addon-api")) + du(dep("node-gyp-build")),
    "hcl-wasi": statSync(PATHS["hcl-wasi"]).size,
  };
}

/** One candidate on one input, in a fresh process: what happens, in how long, with what memory. */
function child(args, timeoutMs) {
  const r = spawnSync(process.execPath, ["--no-warnings", fileURLToPath(import.meta.url), ...args], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error?.code === "ETIMEDOUT") return { outcome: `no answer in ${timeoutMs / 1000} s` };
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) return { outcome: `crash (${r.signal ?? `exit ${r.status}`}): ${(r.stderr.trim().split("\n").find((l) => /Error|fatal|panic/i.test(l)) ?? "").slice(0, 80)}` };
  return JSON.parse(line);
}

async function childMain(mode, name, input) {
  const t0 = performance.now();
  const parse = await CANDIDATES[name]();
  const loaded = performance.now();
  if (mode === "--cold") {
    await parse(readFileSync(input, "utf8"));
    console.log(JSON.stringify({ load: loaded - t0, first: performance.now() }));
    return;
  }
  const text = input in HOSTILE ? HOSTILE[input]() : readFileSync(input, "utf8");
  const t = performance.now();
  let outcome;
  try {
    const r = await parse(text);
    outcome = r.ok ? "ok" : `error: ${r.error.slice(0, 70)}`;
  } catch (err) {
    outcome = `threw ${err?.constructor?.name}: ${String(err?.message ?? err).slice(0, 60)}`;
  }
  // VmHWM, not getrusage's maxRSS: that one keeps the parent's peak across fork and exec.
  const peak = Number(/VmHWM:\s*(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN);
  console.log(JSON.stringify({ outcome, ms: performance.now() - t, rssMiB: Math.round(peak / 1024) }));
}

async function main() {
  const missing = Object.entries(PATHS).filter(([, p]) => !existsSync(p));
  if (!existsSync(join(DIST, "terraform", "index.js"))) missing.push(["gitops-gate", join(DIST, "terraform", "index.js")]);
  if (missing.length > 0) {
    console.error(`hcl-parsers: missing ${missing.map(([n, p]) => `${n} (${p})`).join(", ")}.\nRun: bash bench/hcl-parsers/setup.sh && npm run build:ts`);
    process.exit(1);
  }
  const files = listTf(CORPUS);
  const texts = files.map((f) => readFileSync(f, "utf8"));
  const conftest = execFileSync("bash", [join(ROOT, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();
  const theirs = JSON.parse(execFileSync(conftest, ["parse", ...files], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
  const edits = mutations(texts, Number(process.env.MUTATIONS ?? 2000));
  const parsers = {};
  for (const name of Object.keys(CANDIDATES)) parsers[name] = await CANDIDATES[name]();
  const oracle = await Promise.all(edits.map((t) => parsers["hcl-wasi"](t)));
  // hcl/v2's own ranges: the line of every block header and argument name, by document path.
  const hclLines = await Promise.all(texts.map(async (t) => Object.entries((await parsers["hcl-wasi"](t)).lines ?? {})));
  const size = sizes();
  console.log(`${files.length} .tf files (${(texts.reduce((n, t) => n + t.length, 0) / 1e6).toFixed(2)} MB) under ${CORPUS}; ${edits.length} mutations; Node ${process.version}\n`);
  for (const [name, parse] of Object.entries(parsers)) {
    const results = await Promise.all(texts.map((t) => parse(t)));
    const same = files.filter((f, i) => results[i].ok && isDeepStrictEqual(results[i].doc, theirs[f])).length;
    const mutated = await Promise.all(edits.map((t) => parse(t)));
    const acceptSame = mutated.filter((r, i) => r.ok === oracle[i].ok).length;
    const docSame = mutated.filter((r, i) => r.ok === oracle[i].ok && (!r.ok || isDeepStrictEqual(r.doc, oracle[i].doc))).length;
    const total = hclLines.reduce((n, l) => n + l.length, 0);
    const mapped = results.reduce((n, r, i) => n + hclLines[i].filter(([key, line]) => r.ok && r.lineOf?.(key.split("\u0000")) === line).length, 0);
    const warm = await timeAll(parse, texts, 5);
    const bare = parse.bare ? ` (parse alone ${ms(await timeAll(parse.bare, texts, 5))})` : "";
    const cold = median(Array.from({ length: 5 }, () => child(["--cold", name, files[0]], 60_000).first));
    console.log(`${name}: conftest-equal ${same}/${files.length}; mutations: accept/refuse as hcl ${acceptSame}/${edits.length}, same result ${docSame}/${edits.length}; block/argument lines as hcl's ranges ${mapped}/${total}; ${ms(warm)} for the corpus (${Math.round(files.length / (warm / 1000))} files/s)${bare}; first result ${ms(cold)} after process start; ${(size[name] / 1e6).toFixed(2)} MB on disk`);
  }
  const baseline = median(Array.from({ length: 5 }, () => Number(spawnSync(process.execPath, ["-e", "console.log(performance.now())"], { encoding: "utf8" }).stdout)));
  console.log(`(an empty Node process reaches its first line at ${ms(baseline)})\n\nhostile input (fresh process each, 30 s limit):`);
  const cases = [...readdirSync(BAD).filter((f) => f !== "README.md").map((f) => join(BAD, f)), ...Object.keys(HOSTILE)];
  for (const name of Object.keys(CANDIDATES)) {
    const rows = cases.map((c) => [c, child(["--hostile", name, c], 30_000)]);
    const tally = {};
    for (const [, r] of rows) {
      const kind = r.outcome.split(/[:(]/)[0].trim();
      tally[kind] = (tally[kind] ?? 0) + 1;
    }
    console.log(`${name}: ${JSON.stringify(tally)}`);
    for (const [c, r] of rows) if (!c.startsWith(BAD) || !r.outcome.startsWith("error")) console.log(`  ${c.startsWith(BAD) ? c.slice(BAD.length + 1) : c}: ${r.outcome}${r.ms === undefined ? "" : ` (${ms(r.ms)}, ${r.rssMiB} MiB)`}`);
  }
}

const [mode, name, input] = process.argv.slice(2);
if (mode === "--cold" || mode === "--hostile") await childMain(mode, name, input);
else await main();

// Weighs the npm parser of each format that has a well-kept one against conftest's own Go
// parser compiled to WebAssembly (what gitops-gate ships): docs/decisions/0007-input-formats.md.
//
//   bash bench/format-parsers/setup.sh   # the npm candidates into /tmp/format-eval (FORMAT_EVAL)
//   npm run build                        # dist/ and dist/wasm
//   node bench/format-parsers.mjs
//
// For each format: the material of test/manifests/formats-parity.test.ts (conftest's examples,
// the Go parser libraries' own test files, the corpus, test/fixtures/formats), conftest's
// outcome per file (`conftest parse`, pinned), and per candidate: files whose documents equal
// conftest's or that both refuse; installed size; a fresh process's time to its first
// result; the whole set parsed warm (median of 5). Each npm candidate gets an adapter towards
// conftest's shape (types, key names), as adopting it would need; where conftest's shape comes
// from Go itself (fmt's %v of EDN values, go-akka's printing of HOCON arrays) none can follow.
/* global TextDecoder */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");
const EVAL = process.env.FORMAT_EVAL ?? "/tmp/format-eval";
const require = createRequire(join(EVAL, "package.json"));
const conftest = execFileSync("bash", [join(ROOT, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();
const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).config.conftestVersion;

function moduleDirs(cwd, specs) {
  const out = execFileSync("go", ["mod", "download", "-json", ...specs], { cwd, encoding: "utf8", maxBuffer: 16 << 20 });
  return new Map([...out.matchAll(/"Path": "([^"]+)",[\s\S]*?"Dir": "([^"]+)"/g)].map((m) => [m[1], m[2]]));
}
const mods = moduleDirs(join(ROOT, "wasm", "conftest-parsers"), [
  "github.com/open-policy-agent/conftest", "github.com/BurntSushi/toml", "github.com/go-ini/ini", "github.com/subosito/gotenv",
  "github.com/magiconair/properties", "github.com/go-akka/configuration", "github.com/basgys/goxml2json", "github.com/spdx/tools-golang",
  "github.com/CycloneDX/cyclonedx-go", "olympos.io/encoding/edn", "github.com/muhammadmuzzammil1998/jsonc",
]);
const examples = join(mods.get("github.com/open-policy-agent/conftest"), "examples");
const walk = (dir) => (existsSync(dir) ? readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)])).sort() : []);
const ends = (...x) => (f) => x.some((e) => f.endsWith(e));
const fixtures = (f) => walk(join(ROOT, "test", "fixtures", "formats", f));
const corpus = walk(process.env.GITOPS_GATE_CORPUS ?? join(ROOT, "..", "shared", "corpus")).concat(walk("/work/shared/corpus"));
const mod = (m, sub = "") => join(mods.get(m), sub);

const MATERIAL = {
  toml: [...walk(mod("github.com/BurntSushi/toml", "internal/toml-test/tests")), ...walk(mod("github.com/BurntSushi/toml", "_example"))].filter(ends(".toml")).concat(fixtures("toml")),
  ini: [join(examples, "ini/grafana.ini"), ...walk(mod("github.com/go-ini/ini", "testdata")).filter(ends(".ini")), ...fixtures("ini")],
  xml: [join(examples, "xml/pom.xml"), ...[...walk(mod("github.com/basgys/goxml2json")), ...walk(mod("github.com/spdx/tools-golang", "examples")), ...walk(mod("github.com/CycloneDX/cyclonedx-go", "testdata"))].filter(ends(".xml")), ...fixtures("xml")],
  dotenv: [join(examples, "dotenv/sample.env"), ...walk(mod("github.com/subosito/gotenv")).filter((f) => /\.env$/.test(f)), ...[...new Set(corpus)].filter((f) => /(^|\/)[^/]*\.env$/.test(f)), ...fixtures("dotenv")],
  properties: [join(examples, "properties/sample.properties"), ...walk(mod("github.com/magiconair/properties")).filter(ends(".properties")), ...[...new Set(corpus)].filter(ends(".properties")), ...fixtures("properties")],
  hocon: [join(examples, "hocon/hocon.conf"), ...walk(mod("github.com/go-akka/configuration")).filter(ends(".conf")), ...fixtures("hocon")],
  edn: [join(examples, "edn/sample_config.edn"), ...walk(mod("olympos.io/encoding/edn")).filter(ends(".edn")), ...fixtures("edn")],
  jsonc: [...walk(mod("github.com/muhammadmuzzammil1998/jsonc")).filter(ends(".jsonc", ".json")), ...fixtures("jsonc")],
  ignore: [join(examples, "ignore/gitignore/.gitignore"), join(examples, "ignore/dockerignore/.dockerignore"), join(examples, "hcl1/.gitignore"), ...fixtures("ignore")],
};

function conftestParse(format, files) {
  const out = new Map();
  const one = (f) => {
    const r = spawnSync(conftest, ["parse", "--parser", format, f], { encoding: "utf8", maxBuffer: 64 << 20 });
    out.set(f, r.status === 0 ? { ok: true, value: JSON.parse(r.stdout) } : { ok: false });
  };
  for (let i = 0; i < files.length; i += 25) {
    let chunk = files.slice(i, i + 25);
    while (chunk.length > 1) {
      const r = spawnSync(conftest, ["parse", "--parser", format, ...chunk], { encoding: "utf8", maxBuffer: 64 << 20 });
      if (r.status === 0) {
        const by = JSON.parse(r.stdout);
        for (const f of chunk) out.set(f, { ok: true, value: by[f] });
        chunk = [];
        break;
      }
      const failed = [...r.stderr.matchAll(/, path: (.*)$/gm)].map((m) => m[1]).find((p) => chunk.includes(p));
      if (!failed) break;
      out.set(failed, { ok: false });
      chunk = chunk.filter((f) => f !== failed);
    }
    chunk.forEach(one);
  }
  return out;
}

// --- adapters: each npm parser's result towards conftest's shape ----------------------------
const goNumber = (s) => {
  // Go's strconv.ParseFloat, as conftest's INI and HOCON converters use it (finite only for INI).
  const t = s.trim() === s ? s : "";
  if (!/^[+-]?(\d[\d_]*\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|0[xX][\da-fA-F_.]+[pP][+-]?\d+|[iI]nf(inity)?|NaN)$/i.test(t)) return undefined;
  const n = Number(t.replace(/_/g, ""));
  return Number.isFinite(n) ? n : undefined;
};
const goBool = (s) => ({ 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false })[s];
const goTime = (d) => {
  // time.Time's JSON: RFC 3339 with nanoseconds trimmed; TOML local kinds are UTC-like in BurntSushi.
  const iso = new Date(d.getTime()).toISOString().replace(/\.?0+Z$/, "Z").replace(/\.(\d*?)0*Z$/, ".$1Z");
  return iso;
};
const CANDIDATES = {
  toml: {
    name: "smol-toml 1.9.1",
    pkg: "smol-toml",
    parse(text) {
      const { parse, TomlDate } = require("smol-toml");
      const fix = (v) => (v instanceof TomlDate ? goTime(v.isTime() ? new Date(`0000-01-01T${v.toISOString()}Z`) : v) : Array.isArray(v) ? v.map(fix) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)])) : typeof v === "bigint" ? Number(v) : v);
      return [fix(parse(text))];
    },
  },
  ini: {
    name: "ini 7.0.0",
    pkg: "ini",
    parse(text) {
      const raw = require("ini").parse(text);
      const out = {};
      const sections = (obj, prefix) => {
        for (const [k, v] of Object.entries(obj)) {
          if (v && typeof v === "object" && !Array.isArray(v)) {
            const name = prefix ? `${prefix}.${k}` : k;
            out[name] = {};
            for (const [kk, vv] of Object.entries(v)) if (typeof vv !== "object") out[name][kk] = typeof vv === "boolean" ? vv : (goNumber(String(vv)) ?? goBool(String(vv)) ?? String(vv));
            sections(Object.fromEntries(Object.entries(v).filter(([, x]) => x && typeof x === "object")), name);
          }
        }
      };
      sections(raw, "");
      return [out];
    },
  },
  xml: {
    name: "fast-xml-parser 5.12.1",
    pkg: "fast-xml-parser",
    parse(text) {
      const { XMLParser, XMLValidator } = require("fast-xml-parser");
      if (XMLValidator.validate(text) !== true) throw new Error("invalid XML");
      const p = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "-", textNodeName: "#content", removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: true, ignorePiTags: true, trimValues: true });
      return [p.parse(text)];
    },
  },
  dotenv: { name: "dotenv 18.0.10", pkg: "dotenv", parse: (text) => [require("dotenv").parse(text)] },
  properties: { name: "properties-file 5.0.7", pkg: "properties-file", parse: (text) => [require("properties-file").getProperties(text)] },
  hocon: { name: "@pushcorn/hocon-parser 1.3.1 (asynchronous)", pkg: "@pushcorn/hocon-parser", async: true, parse: async (text) => [await require("@pushcorn/hocon-parser").parse({ text })] },
  edn: {
    name: "edn-data 1.2.2",
    pkg: "edn-data",
    parse(text) {
      // conftest prints every EDN scalar with Go's %v: keywords ":k", numbers as text.
      const v = require("edn-data").parseEDNString(text, { mapAs: "object", keywordAs: "string", setAs: "array", listAs: "array" });
      const go = (x) => (Array.isArray(x) ? x.map(go) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, go(y)])) : typeof x === "string" ? x : x === null ? "<nil>" : String(x));
      return [go(v)];
    },
  },
  jsonc: { name: "jsonc-parser 3.3.1", pkg: "jsonc-parser", parse(text) { const errors = []; const v = require("jsonc-parser").parse(text, errors); if (errors.length) throw new Error("invalid"); return [v]; } },
  ignore: {
    name: "parse-gitignore 2.0.0",
    pkg: "parse-gitignore",
    parse(text) {
      // It keeps patterns only; go-ignore's entries also hold blank lines and comments.
      const patterns = require("parse-gitignore")(text).patterns;
      return [patterns.map((p) => (p.startsWith("!") ? { Kind: "NegatedPath", Original: p, Value: p.slice(1) } : { Kind: "Path", Original: p, Value: p }))];
    },
  },
};

/** The first call a program makes: require and parse the first file with the package's own API. */
const COLD = {"toml": "m.parse(t)", "ini": "m.parse(t)", "xml": "new m.XMLParser().parse(t)", "dotenv": "m.parse(t)", "properties": "m.getProperties(t)", "hocon": "await m.parse({ text: t })", "edn": "m.parseEDNString(t)", "jsonc": "m.parse(t)", "ignore": "m(t)"};

const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
const asDocs = (v) => (Array.isArray(v) ? v : v === null ? [] : [v]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function packageSize(name, seen = new Set()) {
  if (seen.has(name)) return 0;
  seen.add(name);
  const dir = join(EVAL, "node_modules", name);
  const du = Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
  const deps = Object.keys(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies ?? {});
  return du + deps.reduce((a, d) => a + packageSize(d, seen), 0);
}

function coldStart(code) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: EVAL, stdio: "pipe" });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}
const empty = coldStart("");

const { parseFile } = await import(pathToFileURL(join(ROOT, "dist", "manifests", "index.js")).href);
const wasmSize = statSync(join(ROOT, "dist", "wasm", "conftest-parsers.wasm")).size;
const rows = [];
for (const [format, files] of Object.entries(MATERIAL)) {
  const theirs = conftestParse(format, files);
  const texts = files.map((f) => readFileSync(f));
  const tally = async (parse) => {
    let same = 0;
    const why = { acceptsRefused: 0, refusesAccepted: 0, differs: 0 };
    for (let i = 0; i < files.length; i++) {
      const t = theirs.get(files[i]);
      let mine;
      try {
        mine = { ok: true, value: await parse(texts[i]) };
      } catch {
        mine = { ok: false };
      }
      if (mine.ok && t.ok ? canonical(mine.value) === canonical(asDocs(t.value)) : !mine.ok && !t.ok) same++;
      else if (mine.ok && !t.ok) why.acceptsRefused++;
      else if (!mine.ok && t.ok) why.refusesAccepted++;
      else why.differs++;
    }
    return `${same} (${why.acceptsRefused}/${why.refusesAccepted}/${why.differs})`;
  };
  const warm = async (parse) => {
    for (const b of texts) try { await parse(b); } catch { /* refused */ }
    const times = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      for (const b of texts) try { await parse(b); } catch { /* refused */ }
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const ours = (b) => {
    const r = parseFile({ path: "x", bytes: b }, format);
    if (!r.ok) throw new Error(r.error.message);
    return r.documents.map((d) => d.content);
  };
  const c = CANDIDATES[format];
  const theirsParse = (b) => c.parse(new TextDecoder().decode(b));
  const first = JSON.stringify(files[0]);
  rows.push({
    format,
    files: files.length,
    wasm: {
      same: await tally(ours),
      warm: await warm(ours),
      cold: coldStart(`import { parseFile } from ${JSON.stringify(pathToFileURL(join(ROOT, "dist", "manifests", "index.js")).href)}; import { readFileSync } from "node:fs"; parseFile({ path: "x", bytes: readFileSync(${first}) }, ${JSON.stringify(format)});`) - empty,
    },
    npm: {
      name: c.name,
      same: await tally(theirsParse),
      warm: await warm(theirsParse),
      size: packageSize(c.pkg),
      cold: coldStart(`import { createRequire } from "node:module"; import { readFileSync } from "node:fs"; const require = createRequire(${JSON.stringify(join(EVAL, "package.json"))}); const m = require(${JSON.stringify(c.pkg)}); const t = readFileSync(${first}, "utf8"); try { ${COLD[format]}; } catch { /* refused */ }`) - empty,
    },
  });
  process.stderr.write(`${format} done\n`);
}

console.log(`conftest v${version}; empty Node process ${empty.toFixed(0)} ms; conftest-parsers.wasm ${(wasmSize / 1e6).toFixed(1)} MB\n`);
console.log("| format | files | conftest's parser as wasm: same as conftest (accepts what conftest refuses / refuses what it accepts / other document) | warm (ms, whole set) | first result (ms) | npm candidate | same as conftest (same three) | warm (ms) | first result (ms) | size installed |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.format} | ${r.files} | ${r.wasm.same} | ${r.wasm.warm.toFixed(1)} | ${r.wasm.cold.toFixed(0)} | ${r.npm.name} | ${r.npm.same} | ${r.npm.warm.toFixed(1)} | ${r.npm.cold.toFixed(0)} | ${(r.npm.size / 1e3).toFixed(0)} kB |`);
}

// The formats read by conftest's parsers, beyond parity (formats-parity.test.ts): detection by
// name as conftest's parser.NewFromPath detects, field → line maps, hostile input refused in
// bounded time, an instance that recovers after a crash, .proto files for textproto.
import { detectFormat, FORMATS, parseFile } from "../../src/manifests/index.js";
import { bracketsTooDeep, lineOfMessage, setProtoFiles } from "../../src/manifests/conftest-wasm/index.js";
import { withMemoryMaximum } from "../../src/manifests/conftest-wasm/reactor.js";

const parse = (format: string, text: string | Uint8Array) =>
  parseFile({ path: `x.${format}`, bytes: typeof text === "string" ? Buffer.from(text) : text }, format);

function docs(format: string, text: string) {
  const r = parse(format, text);
  if (!r.ok) throw new Error(r.error.message);
  return r.documents;
}

test.each([
  // conftest's own rules, in its order
  ["config/app.toml", "toml"], ["grafana.ini", "ini"], ["app.conf.hocon", "hocon"], ["pom.xml", "xml"], ["x.hcl1", "hcl1"],
  ["deploy.cue", "cue"], ["main.jsonnet", "jsonnet"], ["c.edn", "edn"], ["varnish.vcl", "vcl"], ["sbom.spdx", "spdx"],
  ["bom.cyclonedx", "cyclonedx"], ["a.properties", "properties"], ["settings.jsonc", "jsonc"], ["x.groovy", "groovy"], ["x.ignore", "ignore"],
  [".gitignore", "ignore"], ["sub/.dockerignore", "ignore"], ["x.gitignore", "ignore"],
  [".env", "dotenv"], [".env.prod", "dotenv"], ["prod.env", "dotenv"], ["x.dotenv", "dotenv"],
  ["nginx.conf", "nginx"], ["etc/NGINX.conf", "nginx"], ["other.conf", undefined], ["x.nginx", "nginx"],
  ["Jenkinsfile", "groovy"], ["ci/Jenkinsfile.prod", "groovy"], ["a.textproto", "textproto"], ["a.textpb", "textproto"],
  ["CODEOWNERS", "codeowners"], [".github/CODEOWNERS", "codeowners"], ["terraform.tfvars", "hcl2"], ["config.hcl", "hcl2"], ["x.hcl2", "hcl2"],
  // not conftest formats
  [".helmignore", undefined], ["redis.conf", undefined], ["README.md", undefined], ["bom.json", "json"], ["bom.xml", "xml"],
  // gitops-gate's own formats keep their names first (conftest would say dockerfile, dotenv, groovy)
  ["Dockerfile.yaml", "yaml"], [".env.json", "json"], ["Jenkinsfile.json", "json"], ["main.tf", "terraform"],
])("detectFormat(%s) = %s", (path, format) => {
  expect(detectFormat(path)).toBe(format);
});

test("every format conftest v0.71.1 reads is a format here (hcl2 is Terraform's parser; dockerfile, json, yaml were there)", () => {
  const conftest = ["codeowners", "cue", "cyclonedx", "dockerfile", "edn", "groovy", "hcl1", "hcl2", "hocon", "ignore", "ini", "json", "jsonnet", "nginx", "properties", "spdx", "textproto", "toml", "vcl", "xml", "yaml", "dotenv", "jsonc"];
  expect(FORMATS).toEqual(expect.arrayContaining(conftest));
});

test("INI: sections and keys map to their lines (the last of a repeated key); DEFAULT keys are dropped, as conftest drops them", () => {
  const [doc] = docs("ini", "top = 1\n\n[server]\nport = 80\n; comment\nname: web\nport = 8080\n\n[auth.basic]\n- = a\n- = b\n");
  expect(doc?.content).toEqual({ server: { port: 8080, name: "web" }, "auth.basic": { "#1": "a", "#2": "b" } });
  const at = (...p: string[]) => doc?.sourceMap.lineOf(p);
  expect([at("server"), at("server", "port"), at("server", "name"), at("auth.basic", "#2"), at("top"), at("server", "missing")]).toEqual([3, 7, 6, 11, 1, 3]);
  expect(doc?.line).toBe(1);
});

test("TOML: tables, arrays of tables, dotted and quoted keys, values over several lines", () => {
  const text = 'a = 1\nb.c = "x"\n"q k" = 2\nm = """\nk = not a key\n"""\narr = [\n  1,\n  { z = 1 },\n]\n\n[t]\nx = 1\n\n[[p]]\nn = 1\n\n[[p]]\nn = 2\n[p.sub]\ny = 3\n';
  const [doc] = docs("toml", text);
  const at = (...p: Array<string | number>) => doc?.sourceMap.lineOf(p);
  expect([at("a"), at("b", "c"), at("q k"), at("m"), at("arr"), at("t"), at("t", "x"), at("p"), at("p", 0, "n"), at("p", 1), at("p", 1, "n"), at("p", 1, "sub", "y")]).toEqual([1, 2, 3, 4, 7, 12, 13, 15, 16, 18, 19, 21]);
  expect(doc?.sourceMap.has(["k"])).toBe(false);
});

test("properties and dotenv: keys at their lines, continuations and multi-line values skipped", () => {
  const [props] = docs("properties", "# c\na = 1\nlong = x \\\n  y\nsp\\ ace : z\nb=2\na = 3\n");
  expect(props?.content).toEqual({ a: "3", long: "x y", "sp ace": "z", b: "2" });
  expect(["a", "long", "sp ace", "b"].map((k) => props?.sourceMap.lineOf([k]))).toEqual([7, 3, 5, 6]);
  const [env] = docs("dotenv", 'A=1\nexport B="two\nlines"\nC: 3\n');
  expect(env?.content).toEqual({ A: "1", B: "two\nlines", C: "3" });
  expect(["A", "B", "C"].map((k) => env?.sourceMap.lineOf([k]))).toEqual([1, 2, 4]);
});

test("an ignore file is one document of entries, each at its line; CODEOWNERS rules and Jenkinsfile nodes carry theirs", () => {
  const [ignore] = docs("ignore", "*.log\n\n!keep.log\n");
  expect(ignore?.content).toEqual([
    { Kind: "Path", Original: "*.log", Value: "*.log" },
    { Kind: "Empty", Original: "", Value: "" },
    { Kind: "NegatedPath", Original: "!keep.log", Value: "keep.log" },
    // go-ignore splits on newlines: the final one leaves an empty entry, as conftest gives it.
    { Kind: "Empty", Original: "", Value: "" },
  ]);
  expect(ignore?.sourceMap.lineOf([2, "Value"])).toBe(3);
  const [owners] = docs("codeowners", "# owners\n\n*.tf @org/sre\n");
  expect(owners?.sourceMap.lineOf(["rules", 0, "owners"])).toBe(3);
  const [jenkins] = docs("groovy", "pipeline {\n  agent any\n}\n");
  expect(jenkins?.sourceMap.lineOf(["children", 0, "children", 1, "children", 1])).toBeGreaterThanOrEqual(1);
});

test("parse errors carry the line Go's message names, and stay short", () => {
  const spdx = parse("spdx", `SPDXVersion: SPDX-2.3\nNotATag ${"x".repeat(5000)}\n`);
  expect(spdx.ok ? "ok" : spdx.error.message).toMatch(/^error while parsing \[…\]: /);
  if (!spdx.ok) expect(spdx.error.message.length).toBeLessThanOrEqual(1001);
  const toml = parse("toml", "a = 1\nb = = 2\n");
  expect(toml.ok).toBe(false);
  if (!toml.ok) expect(toml.error).toMatchObject({ reason: "syntax", line: 2 });
  expect(lineOfMessage("parse groovy at 3:7: unexpected token")).toEqual({ line: 3, column: 7 });
  expect(lineOfMessage("properties: Line 12: bad")).toEqual({ line: 12 });
  expect(lineOfMessage("no position here")).toBeUndefined();
});

test("hostile input: deep brackets and elements refused before Go runs, binary and huge files by the byte checks", () => {
  const started = Date.now();
  for (const [format, text] of [
    ["toml", `a = ${"[".repeat(100_000)}`],
    ["groovy", `x = ${"(".repeat(100_000)}1`],
    ["jsonnet", "{a:".repeat(50_000)],
    ["xml", "<a>".repeat(100_000)],
  ] as const) {
    const r = parse(format, text);
    expect([format, r.ok ? "ok" : r.error.reason]).toEqual([format, "depth"]);
  }
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(bracketsTooDeep("a < b < c < d", 2)).toBeUndefined();
  expect(bracketsTooDeep("<a><b><c>", 2, true)).toEqual({ line: 1 });
  const binary = parse("ini", new Uint8Array([0x5b, 0x61, 0x5d, 0x0a, 0x00, 0x01]));
  expect(binary.ok ? "ok" : binary.error.reason).toBe("binary");
  const huge = parse("toml", Buffer.alloc(3 * 1024 * 1024, 0x61));
  expect(huge.ok ? "ok" : huge.error.reason).toBe("too-large");
});

test("a document nested deeper than the limit is refused; a crash inside Go drops the instance and the next file parses", () => {
  const deep = parse("jsonnet", "local f(n) = if n == 0 then 1 else [f(n - 1)]; f(150)");
  expect(deep.ok ? "ok" : deep.error.reason).toBe("depth");
  // go-jsonnet's tailstrict test recurses deeper than this (1 MB) thread's stack holds
  // (a worker's 4 MB holds it): a stack overflow inside wasm, refused, not a crash.
  const tailstrict = "local arr = [function(x) x] + std.makeArray(600, function(i) (function(x) arr[i](x + 1) tailstrict));\narr[600](42)\n";
  const overflow = parse("jsonnet", tailstrict);
  expect(overflow.ok ? overflow.documents[0]?.content : overflow.error.reason).toEqual(overflow.ok ? 642 : "depth");
  // The instance that overflowed is gone; the next file gets a fresh one.
  expect(docs("jsonnet", "{a: 1 + 1}")[0]?.content).toEqual({ a: 2 });
});

test("values: a top-level array is one document per element, null is nothing to evaluate", () => {
  expect(docs("jsonnet", "[{a: 1}, {b: 2}]").map((d) => [d.index, d.content])).toEqual([[0, { a: 1 }], [1, { b: 2 }]]);
  expect(docs("jsonnet", "null")).toEqual([]);
  expect(docs("cue", "a: 1\nb: a + 1\n")[0]?.content).toEqual({ a: 1, b: 2 });
});

test("textproto: message types come from the .proto files given (conftest's --proto-file-dirs); a bad one fails every textproto file", () => {
  const text = "# proto-message: demo.Msg\nname: \"x\"\ncount: 3\n";
  expect(parse("textproto", text).ok).toBe(false);
  try {
    setProtoFiles([{ path: "protos/demo.proto", text: 'syntax = "proto3";\npackage demo;\nmessage Msg { string name = 1; int64 count = 2; }\n' }]);
    // protojson prints 64-bit integers as strings, as conftest gives them.
    expect(docs("textproto", text)[0]?.content).toEqual({ name: "x", count: "3" });
    setProtoFiles([{ path: "protos/bad.proto", text: "syntax = \"proto3\";\nmessage {" }]);
    const r = parse("textproto", text);
    expect(r.ok ? "ok" : r.error.message).toMatch(/^load protos: load proto file protos\/bad\.proto/);
  } finally {
    setProtoFiles([]);
  }
});

test("the module's memory gets a maximum", () => {
  // magic, version, memory section: 1 memory, no maximum, 2 pages
  const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 2]);
  expect([...withMemoryMaximum(wasm, 16 * 65536)]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 4, 1, 1, 2, 16]);
});

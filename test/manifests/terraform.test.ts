// Terraform (.tf, HCL2 native syntax): the document handed to policies equals what
// `conftest parse` produces (conftest converts HCL with tmccombs/hcl2json), so conftest
// Terraform policies work unchanged; every block and attribute keeps its line; broken or
// hostile HCL is an error value, never a clean result.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { decode } from "../../src/manifests/decode.js";
import { terraformParser } from "../../src/manifests/terraform/index.js";
import { DEFAULT_LIMITS, type ManifestDocument, type ParseResult } from "../../src/manifests/types.js";
import { CORPUS, ROOT, corpusFile, listFiles } from "../helpers/corpus.js";

const conftestPath = (): string => execFileSync("bash", [join(ROOT, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();

const parseText = (text: string, limits = DEFAULT_LIMITS): ParseResult => terraformParser.parse(text, limits);

const parseBytes = (bytes: Uint8Array): ParseResult => {
  const decoded = decode(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return parseText(decoded.text);
};

/** The one document of a file that must parse. */
const doc = (text: string): ManifestDocument => {
  const r = parseText(text);
  if (!r.ok) throw new Error(`line ${r.error.line}: ${r.error.message}`);
  const [d] = r.documents;
  if (!d || r.documents.length !== 1) throw new Error(`expected one document, got ${r.documents.length}`);
  return d;
};

const content = (text: string): unknown => doc(text).content;

const errorOf = (text: string) => {
  const r = parseText(text);
  if (r.ok) throw new Error(`expected a parse error, got ${JSON.stringify(r.documents[0]?.content)}`);
  return r.error;
};

/**
 * Ours next to conftest's, as a comparable value. The one deliberate difference: conftest
 * gives `{}` for a file without any block or argument (empty, comments only); we give no
 * document, as for an empty YAML stream or Dockerfile: there is nothing to evaluate.
 */
function ours(r: ParseResult): unknown {
  if (!r.ok) return { error: r.error.reason };
  return r.documents.length === 0 ? {} : r.documents[0]?.content;
}

describe("parity with conftest", () => {
  test("every corpus .tf file parses exactly as conftest parses it, and quickly", () => {
    const conftest = conftestPath();
    const files = listFiles(join(CORPUS, "terraform")).filter((f) => f.endsWith(".tf"));
    expect(files.length).toBeGreaterThanOrEqual(400);
    // One conftest run for all files: with several paths it prints {path: document}.
    const theirs = JSON.parse(execFileSync(conftest, ["parse", ...files], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })) as Record<string, unknown>;
    const texts = files.map((f) => {
      const decoded = decode(readFileSync(f));
      if (!decoded.ok) throw new Error(`${f}: ${decoded.error.message}`);
      return decoded.text;
    });
    const started = performance.now();
    const results = texts.map((t) => parseText(t));
    const elapsed = performance.now() - started;
    const differences = files.filter((f, i) => !isDeepStrictEqual(ours(results[i] as ParseResult), theirs[f]));
    expect(differences).toEqual([]);
    // No file without a block or argument may hide a real document: {} is the only case.
    results.forEach((r, i) => {
      if (r.ok && r.documents.length === 0) expect(theirs[files[i] as string]).toEqual({});
    });
    // Performance sanity: the whole corpus (about 1.4 MB of HCL) in well under a few seconds.
    expect(elapsed).toBeLessThan(2000);
  }, 300_000);

  // Edge cases of the HCL syntax and of hcl2json's rendering, each checked against conftest
  // itself: the same document, or an error where conftest fails.
  const SNIPPETS: readonly string[] = [
    // literals, numbers, unary operators on literals
    "x = 1\ny = 1.5\nz = 1e3\nw = 007\nv = 12345678901234567890\nu = 1.5e-7\nt = true\nn = null\n",
    "x = -1\ny = -0\nz = !true\nw = [-1, !false, -a]\nv = - -1\nu = -(1)\n",
    "x = -true\n",
    "x = !1\n",
    "x = 1e400\n",
    // strings, escapes, templates
    'x = "a\\nb\\"c\\u00e9\\U0001F600 \\\\ $${x} %%{y} cost$ 100%"\n',
    'x = "\\q"\n',
    'x = "\\ud800"\n',
    'x = "a-${var.x}-b"\ny = "${var.x}"\nz = "${ var.x }"\nw = "${1}"\nv = "${"${"x"}"}"\nu = ""\n',
    'x = "a${1.50}b${1e3}c${true}d${null}e${"f"}"\n',
    'x = "%{ if a }yes%{ else }no%{ endif }"\ny = "x${a ? b : c}y"\nz = "%{ for k, v in m ~} ${k}=${v} %{~ endfor }"\n',
    'x = "%{if a}${null}%{endif}"\ny = "%{if a}y%{else}${null}%{endif}"\n',
    'x = " ${~1}"\ny = "${1~} "\nz = "a ${~ b ~} c"\n',
    'x = "%{ foo }"\n',
    'x = "%{ if x }"\n',
    'x = "${a:b}"\n',
    // heredocs
    "x = <<EOT\n  a ${b}\n    c\n  EOT\ny = <<EOT\nEOT\n",
    "x = <<-EOT\n    a ${b}\n      c\n\n        \n    EOT\n",
    "x = <<-EOT\n    a\n${b}\n      c\n    EOT\n",
    "x = <<-EOT\n\t\ta\n\t\t\tb\n\tEOT\n",
    "x = <<EOT\nfoo\n  %{~ if a ~}\n  yes\n  %{~ endif ~}\nbar\nEOT\n",
    "x = <<EOT\n$${a} %%{b} $ % $$ %%\nEOT\n",
    "x = f(<<EOT\nhi\nEOT\n)\ny = [<<EOT\nhi\nEOT\n, 2]\n",
    "x = <<EOT\nhi\nEOT",
    // expressions kept as source text
    "a = var.x\nb = f(1,\n  2,\n)\nc = a ? b : c\nd = [for x in y : upper(x) if x != \"\"]\ne = {for k, v in m : k => v...}\nf = a.*.b\ng = a[*].b[0]\nh = a[var.i]\ni = (1 + 2) * 3\nj = a::b(1)\nk = foo(a...)\n",
    "x = a.0\ny = a.0.1\n",
    "x = 1 +\n 2\n",
    // collections and object keys
    'x = { a = 1, "b" = 2, (c) = 3, d.e = 4, 5 = 6, true = 7, null = 8, "${f}" = 9, "g${h}" = 10, -1 = 11, i() = 12 }\n',
    "x = { a = 1\n b = 2, c = 3\n\n d: 4 }\ny = {}\nz = []\n",
    "x = { a = 1, a = 2 }\n",
    "x = { a = 1 b = 2 }\n",
    // blocks
    'a "x" { b = 1 }\na "x" { b = 2 }\na "y" {}\nc d e { f = 1 }\ng { h { i = 1 } }\n',
    'a {}\na "x" {}\n',
    'a "x" {}\na {}\n',
    "a { b = 1 }\na = 2\n",
    "x = 1\nx = 2\n",
    'a "${b}" {}\n',
    "a { b = 1, c = 2 }\n",
    "a {\n}b = 1\n",
    "a = 1, b = 2\n",
    '"a" = 1\n',
    // comments, characters, line endings
    "a = 1 # c\nb = 2 // c\nc = /* c */ 3\nd = [1, /* x\n */ 2]\n# end",
    "a = 1 /* unterminated\n",
    "a = a & b\n",
    "a = 'x'\n",
    'a = x\r\nb = "y"\r\nc = <<EOT\r\nz\r\nEOT\r\n',
    "a = x\rb = 1\n",
    "a-b = 1\nc = a-b\nd = a - b\né = π\n",
    '__proto__ = 1\nconstructor "__proto__" { toString = 2 }\nx = { __proto__ = 3 }\n',
    "  \n\n# only a comment\n",
  ];

  test(`${SNIPPETS.length} syntax edge cases render as conftest renders them, or fail where it fails`, () => {
    const conftest = conftestPath();
    const dir = mkdtempSync(join(tmpdir(), "gitops-gate-tf-"));
    try {
      const differences: string[] = [];
      SNIPPETS.forEach((text, i) => {
        const file = join(dir, `s${i}.tf`);
        writeFileSync(file, text);
        let theirs: unknown;
        try {
          theirs = JSON.parse(execFileSync(conftest, ["parse", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
        } catch {
          theirs = "error";
        }
        const r = parseText(text);
        const mine = r.ok ? ours(r) : "error";
        if (!isDeepStrictEqual(mine, theirs)) differences.push(`${JSON.stringify(text)}: ours ${JSON.stringify(mine)}, conftest ${JSON.stringify(theirs)}`);
      });
      expect(differences).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("document shape", () => {
  test("blocks nest by type and labels; bodies go in arrays; repeated and nested blocks append", () => {
    expect(
      content(`resource "aws_s3_bucket" "b" {
  bucket = "x"
  versioning {
    enabled = true
  }
  versioning { enabled = false }
}
resource "aws_s3_bucket" "c" {}
resource "aws_iam_role" "r" {}
locals {
  a = 1
}
locals {
  b = 2
}
provider aws {}
`),
    ).toEqual({
      resource: {
        aws_s3_bucket: {
          b: [{ bucket: "x", versioning: [{ enabled: true }, { enabled: false }] }],
          c: [{}],
        },
        aws_iam_role: { r: [{}] },
      },
      locals: [{ a: 1 }, { b: 2 }],
      provider: { aws: [{}] },
    });
  });

  test("literals are JSON values; anything to evaluate is its source text in ${…}", () => {
    expect(
      content(`a = "s"
b = 42
c = 1.5
d = true
e = null
f = -1
g = var.region
h = "arn:\${var.partition}:s3:::\${var.bucket}/*"
i = lookup(var.m, "k", "d")
j = var.enabled ? 1 : 0
k = [for s in var.list : upper(s)]
l = ["a", var.b, 3]
m = { Name = "x", Env = var.env }
n = jsonencode({
  Statement = [{ Action = "*" }]
})
`),
    ).toEqual({
      a: "s",
      b: 42,
      c: 1.5,
      d: true,
      e: null,
      f: -1,
      g: "${var.region}",
      h: "arn:${var.partition}:s3:::${var.bucket}/*",
      i: '${lookup(var.m, "k", "d")}',
      j: "${var.enabled ? 1 : 0}",
      k: "${[for s in var.list : upper(s)]}",
      l: ["a", "${var.b}", 3],
      m: { Name: "x", Env: "${var.env}" },
      n: '${jsonencode({\n  Statement = [{ Action = "*" }]\n})}',
    });
  });

  test("templates: escapes are kept escaped, directives re-rendered, strip markers applied", () => {
    expect(
      content(`a = "literal $\${x} and %%{y}"
b = "%{ if var.on }yes%{ else }no%{ endif }"
c = "%{ for k, v in var.m ~} \${k}=\${v} %{~ endfor }"
d = "x \${~ var.y ~} z"
`),
    ).toEqual({
      a: "literal $${x} and %%{y}",
      b: "%{if var.on}yes%{else}no%{endif}",
      c: "%{for k, v in var.m}${k}=${v}%{endfor}",
      d: "x${var.y}z",
    });
  });

  test("heredocs: plain ones keep their text, <<- ones lose the common indentation", () => {
    const text = [
      "policy = <<EOF",
      '{"Statement": [{"Effect": "Allow", "Action": "${var.action}"}]}',
      "EOF",
      "script = <<-EOT",
      "    #!/bin/sh",
      "      echo hi",
      "    EOT",
      "",
    ].join("\n");
    expect(content(text)).toEqual({
      policy: '{"Statement": [{"Effect": "Allow", "Action": "${var.action}"}]}\n',
      script: "#!/bin/sh\n  echo hi\n",
    });
  });

  test("comments of all three kinds are ignored, wherever they stand", () => {
    expect(
      content(`# hash
// slashes
/* block
   comment */
a = 1 # trailing
b = [1, /* inline */ 2] // trailing
c = {
  # inside an object
  d = 3
}
`),
    ).toEqual({ a: 1, b: [1, 2], c: { d: 3 } });
  });

  test("a byte order mark is skipped, as hclsyntax skips it", () => {
    expect(parseBytes(Buffer.from("\ufeffa = 1\n"))).toMatchObject({ ok: true, documents: [{ content: { a: 1 } }] });
    expect(content("\ufeffa = 1\n")).toEqual({ a: 1 });
  });

  test("an empty or comment-only file is nothing to evaluate", () => {
    for (const text of ["", "\n\n", "# only\n// comments\n/* here */\n"]) expect(parseText(text)).toEqual({ ok: true, documents: [] });
  });

  test("keys like __proto__ stay plain data", () => {
    const c = content('__proto__ = 1\nconstructor "__proto__" { toString = 2 }\nx = { __proto__ = { isAdmin = true } }\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(c, "__proto__")).toBe(true);
    expect(c["__proto__"]).toBe(1);
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
    expect(c["constructor"]).toEqual(JSON.parse('{"__proto__": [{"toString": 2}]}'));
  });
});

describe("source map", () => {
  const text = `# leading comment

terraform {
  required_version = ">= 1.5"
}

resource "aws_s3_bucket" "b" {
  bucket = "x"
  tags = {
    Name = "y"
    Team = var.team
  }
  cors_rule {
    allowed_methods = [
      "GET",
      "PUT",
    ]
  }
  cors_rule {
    allowed_methods = ["HEAD"]
  }
}

resource "aws_s3_bucket" "c" {
  bucket = "z"
}
`;

  test("the document starts at its first block or argument", () => {
    expect(doc(text).line).toBe(3);
  });

  test.each([
    [["terraform"], 3],
    [["terraform", 0], 3],
    [["terraform", 0, "required_version"], 4],
    [["resource"], 7],
    [["resource", "aws_s3_bucket"], 7],
    [["resource", "aws_s3_bucket", "b"], 7],
    [["resource", "aws_s3_bucket", "b", 0], 7],
    [["resource", "aws_s3_bucket", "b", 0, "bucket"], 8],
    [["resource", "aws_s3_bucket", "b", 0, "tags"], 9],
    [["resource", "aws_s3_bucket", "b", 0, "tags", "Team"], 11],
    [["resource", "aws_s3_bucket", "b", 0, "cors_rule", 0], 13],
    [["resource", "aws_s3_bucket", "b", 0, "cors_rule", 0, "allowed_methods", 1], 16],
    [["resource", "aws_s3_bucket", "b", 0, "cors_rule", 1], 19],
    [["resource", "aws_s3_bucket", "b", 0, "cors_rule", 1, "allowed_methods"], 20],
    [["resource", "aws_s3_bucket", "c", 0, "bucket"], 25],
    // A missing field (a policy reporting an absent setting) lands on its nearest block.
    [["resource", "aws_s3_bucket", "c", 0, "versioning", 0, "enabled"], 24],
  ])("%j is at line %i", (path, line) => {
    expect(doc(text).sourceMap.lineOf(path)).toBe(line);
  });

  test("CRLF files give the same document and the same lines, with no \\r in values", () => {
    const lf = doc(text);
    const crlf = doc(text.replace(/\n/g, "\r\n"));
    expect(crlf.content).toEqual(lf.content);
    expect(JSON.stringify(crlf.content)).not.toContain("\\r");
    expect(crlf.line).toBe(lf.line);
    for (const path of [["resource", "aws_s3_bucket", "b", 0, "tags", "Team"], ["resource", "aws_s3_bucket", "c", 0, "bucket"]]) {
      expect(crlf.sourceMap.lineOf(path)).toBe(lf.sourceMap.lineOf(path));
    }
  });

  test("heredoc bodies keep CRLF line endings, as HCL (and so Terraform and conftest) reads them", () => {
    expect(content('a = "x"\r\nb = <<EOT\r\nline\r\nEOT\r\n')).toEqual({ a: "x", b: "line\r\n" });
  });
});

describe("errors", () => {
  test("bad/broken.tf (unterminated string, missing brace, unterminated heredoc) never parses as clean", () => {
    const r = parseBytes(corpusFile("bad/broken.tf"));
    expect(r.ok).toBe(false);
    // conftest's first diagnostic is also at line 4: the string that runs into the newline.
    if (!r.ok) expect(r.error).toMatchObject({ reason: "syntax", line: 4 });
  });

  test.each([
    ["unterminated string", 'a {\n  b = "x\n}\n', 2],
    ["string unterminated at the end of the file", 'a = "x', 1],
    ["missing closing brace (reported at the block it leaves open)", 'resource "a" "b" {\n  c = 1\n', 1],
    ["unterminated heredoc", "a = 1\nb = <<EOF\n{}\n", 2],
    ["heredoc marker without a final newline", "b = <<EOF\n{}\nEOF", 1],
    ["unclosed interpolation", 'a = "${var.x"\n', 1],
    ["unbalanced template directive", 'a = "%{ if x }y"\n', 1],
    ["missing value", "a =\n", 1],
    ["two arguments on one line", "a = 1 b = 2\n", 1],
    ["block without braces", 'a "b"\nc = 1\n', 1],
    ["invalid escape", 'a = "\\q"\n', 1],
    ["invalid character", "a = 1\nb = 'x'\n", 2],
    ["unterminated block comment", "a = 1\n/* x\n", 2],
    ["labelled and unlabelled blocks of one type", 'a "x" {}\na {}\n', 2],
  ])("%s is a syntax error at its line", (_name, text, line) => {
    expect(errorOf(text)).toMatchObject({ reason: "syntax", line });
  });

  test("an argument set twice is a duplicate key at the second definition", () => {
    expect(errorOf('a = 1\nb = 2\na = "shadow"\n')).toMatchObject({ reason: "duplicate-key", line: 3, column: 1 });
  });

  test("a number beyond a 64-bit float is refused, as conftest refuses it", () => {
    expect(errorOf("a = 1e400\n")).toMatchObject({ reason: "number-range", line: 1 });
  });

  test.each([
    ["tuples", (n: number) => `a = ${"[".repeat(n)}${"]".repeat(n)}\n`],
    ["objects", (n: number) => `a = ${"{b = ".repeat(n)}1${"}".repeat(n)}\n`],
    ["blocks", (n: number) => `${"a {\n".repeat(n)}${"}\n".repeat(n)}`],
    ["parentheses", (n: number) => `a = ${"(".repeat(n)}1${")".repeat(n)}\n`],
    ["function calls", (n: number) => `a = ${"f(".repeat(n)}1${")".repeat(n)}\n`],
    ["unary operators", (n: number) => `a = ${"-".repeat(n)}1\n`],
    ["conditionals", (n: number) => `a = ${"x ? y : ".repeat(n)}z\n`],
    ["interpolations", (n: number) => `a = ${'"${'.repeat(n)}1${'}"'.repeat(n)}\n`],
    ["template directives", (n: number) => `a = "${"%{ if x }".repeat(n)}${"%{ endif }".repeat(n)}"\n`],
    ["splats", (n: number) => `a = b${"[*]".repeat(n)}\n`],
  ])("deep nesting of %s is a depth error, fast and without a stack overflow", (_name, make) => {
    const limits = { ...DEFAULT_LIMITS, maxDepth: 20 };
    expect(parseText(make(5), limits).ok).toBe(true);
    const started = performance.now();
    const r = parseText(make(50_000), limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ reason: "depth", line: expect.any(Number) });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("the default depth limit allows what real configurations nest", () => {
    expect(parseText(`a = ${"[".repeat(60)}${"]".repeat(60)}\n`).ok).toBe(true);
  });

  test("a depth limit too high for the stack still ends in an error value", () => {
    const r = parseText(`a = ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`, { ...DEFAULT_LIMITS, maxDepth: Number.MAX_SAFE_INTEGER });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe("depth");
  });

  test("random token soup never throws and never hangs", () => {
    const pieces = ["a", " ", "=", '"', "${", "}", "{", "[", "]", "(", ")", "\n", "<<EOT\n", "<<-EOT\n", "EOT\n", "%{", "if ", "for ", " in ", "endif", ":", "?", "1", "2.5e3", ".", "*", ",", "#", "//", "/*", "*/", "~", "-", "!", "\\", "$", "%", "\r\n", "\r", "b = ", 'x "y" {\n', "é", "\t", "..."];
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + next(40) }, () => pieces[next(pieces.length)]).join("");
      const r = parseText(text);
      if (r.ok) expect(r.documents.length).toBeLessThanOrEqual(1);
      else {
        expect(r.error.line).toBeGreaterThanOrEqual(1);
        expect([text, r.error.message]).not.toEqual([text, expect.stringContaining("internal error")]);
      }
    }
  });
});

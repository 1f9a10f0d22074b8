// The CLI on the formats read by conftest's parsers: conftest's own examples give conftest's
// results, findings land on the line of the field they name, directories are walked for the
// new formats, and a file of an unknown type named explicitly is an error for that file only.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { ROOT } from "../helpers/corpus.js";

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), stderrIsTty: false });
  return { code, out, err };
}

interface JsonReport {
  files: Array<{ path: string; status: string; findings: Array<{ ruleId: string; line: number; kind: string; message: string }> }>;
}

const FIX = join(ROOT, "test", "fixtures", "formats", "cli");
let examples = "";

beforeAll(() => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { config: { conftestVersion: string } };
  const out = execFileSync("go", ["mod", "download", "-json", `github.com/open-policy-agent/conftest@v${pkg.config.conftestVersion}`], { cwd: join(ROOT, "wasm", "conftest-parsers"), encoding: "utf8" });
  examples = join(/"Dir": "([^"]+)"/.exec(out)?.[1] as string, "examples");
}, 300_000);

test("conftest's INI example: the one failure conftest reports, exit 1", async () => {
  const { code, out } = await cli("check", "-o", "json", "-p", join(examples, "ini", "policy"), join(examples, "ini", "grafana.ini"));
  const report = JSON.parse(out) as JsonReport;
  expect(report.files.flatMap((f) => f.findings.map((x) => `${x.kind} ${x.message}`))).toEqual(["deny Users should verify their e-mail address"]);
  expect(code).toBe(1);
});

test("a finding that names a field lands on its line in TOML and INI; directories are walked for the new formats", async () => {
  const { code, out } = await cli("check", "-o", "json", "-p", join(FIX, "policy"), join(FIX, "tree"));
  const report = JSON.parse(out) as JsonReport;
  const got = report.files.map((f) => [f.path.split("/").pop(), f.status, f.findings.map((x) => `${x.line} ${x.message}`)]);
  expect(got).toEqual([
    [".env", "evaluated", []],
    ["app.ini", "evaluated", ["4 legacy: port 80 is not allowed"]],
    ["app.toml", "evaluated", ["4 web: port 80 is not allowed"]],
  ]);
  expect(code).toBe(1);
});

test("a file of an unknown type named explicitly is an error for that file only; the others are still reported, exit 2", async () => {
  const services = join(ROOT, "examples", "bad", "services.yaml");
  const { code, out } = await cli("check", "-o", "json", services, join(FIX, "weird.xyz"));
  const report = JSON.parse(out) as JsonReport;
  expect(report.files.map((f) => [f.path.split("/").pop(), f.status])).toEqual([["services.yaml", "evaluated"], ["weird.xyz", "error"]]);
  expect(report.files[0]?.findings.filter((f) => f.kind === "deny").length).toBeGreaterThan(0);
  expect(report.files[1]?.findings).toEqual([expect.objectContaining({ kind: "error", ruleId: "gitops-gate/parse-error", line: 1, message: expect.stringContaining("unknown file type; name the format with --parser") })]);
  expect(code).toBe(2);
  // The text output says so too, next to the other file's results.
  const text = await cli("check", services, join(FIX, "weird.xyz"));
  expect(text.out).toMatch(/weird\.xyz:1 {2}ERROR/);
  expect(text.out).toMatch(/services\.yaml:10 {2}FAIL/);
  // --parser names it: then it is read as that format.
  expect((await cli("check", "--parser", "ini", join(FIX, "weird.xyz"))).code).toBe(2);
  expect((await cli("check", "--parser", "properties", join(FIX, "weird.xyz"))).code).toBe(0);
});

test("--parser accepts conftest's parser names", async () => {
  const { code, err } = await cli("check", "--parser", "nonsense", join(FIX, "weird.xyz"));
  expect(code).toBe(2);
  expect(err).toMatch(/unknown --parser nonsense/);
  expect((await cli("--help")).out).toMatch(/hocon\|/);
});

test("--proto-file-dirs: conftest's textproto example gives conftest's results (1 of 2 fails); without it the message type is unknown", async () => {
  const dir = join(examples, "textproto");
  const { code, out } = await cli("check", "-o", "json", "--proto-file-dirs", join(dir, "protos"), "-p", join(dir, "policy"), dir);
  const report = JSON.parse(out) as JsonReport;
  expect(report.files.map((f) => [f.path.split("/").pop(), f.findings.map((x) => `${x.kind} ${x.message}`)])).toEqual([
    ["fail.textproto", ["deny fail: Power level must be over 9000"]],
    ["pass.textproto", []],
  ]);
  expect(code).toBe(1);
  const without = await cli("check", "-o", "json", "-p", join(dir, "policy"), dir);
  const errors = (JSON.parse(without.out) as JsonReport).files.map((f) => f.findings[0]?.message ?? "");
  expect(errors).toEqual([expect.stringContaining("look up message type"), expect.stringContaining("look up message type")]);
  expect(without.code).toBe(2);
});

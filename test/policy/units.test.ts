import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asError } from "../../src/policy/errors.js";
import { mergeData } from "../../src/policy/data.js";
import { readTarGz } from "../../src/policy/tar.js";
import { readBundle } from "../../src/policy/bundle.js";
import { exceptionName, ruleKind } from "../../src/policy/build/rules.js";

describe("asError: what opa-wasm throws becomes an Error with an action and a cause", () => {
  test.each([
    ["a string", "opa_abort: out of memory", "evaluate a.yaml: opa_abort: out of memory"],
    ["a plain object", { code: "eval_conflict_error", message: "x" }, 'evaluate a.yaml: {"code":"eval_conflict_error","message":"x"}'],
    ["an Error", new RangeError("Maximum memory size exceeded"), "evaluate a.yaml: Maximum memory size exceeded"],
  ])("%s", (_name, thrown, message) => {
    const err = asError("evaluate a.yaml", thrown);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(message);
    expect(err.cause).toBe(thrown);
  });
});

describe("mergeData", () => {
  test("deep-merges objects, replaces the rest", () => {
    expect(mergeData({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 } })).toEqual({ a: { b: 1, c: [2], e: 3 }, d: 1 });
  });

  test("a __proto__ key stays data and pollutes nothing", () => {
    const over = JSON.parse('{"__proto__": {"isAdmin": true}, "kubernetes": {"__proto__": {"x": 1}}}') as Record<string, unknown>;
    const merged = mergeData({ kubernetes: { parameters: {} } }, over);
    expect(Object.prototype.hasOwnProperty.call(merged, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(JSON.stringify(merged)).toBe('{"kubernetes":{"parameters":{},"__proto__":{"x":1}},"__proto__":{"isAdmin":true}}');
  });
});

test("readTarGz reads what tar writes, long names included", () => {
  const dir = mkdtempSync(join(tmpdir(), "tar-"));
  const long = "d".repeat(120);
  mkdirSync(join(dir, "src", long), { recursive: true });
  writeFileSync(join(dir, "src", "a.txt"), "hello");
  writeFileSync(join(dir, "src", long, "b.json"), '{"x":1}');
  execFileSync("tar", ["-czf", join(dir, "out.tar.gz"), "-C", join(dir, "src"), "."]);
  const files = readTarGz(execFileSync("cat", [join(dir, "out.tar.gz")]));
  expect(Buffer.from(files.get("a.txt") ?? []).toString()).toBe("hello");
  expect(Buffer.from(files.get(`${long}/b.json`) ?? []).toString()).toBe('{"x":1}');
});

test("a bundle built by plain opa build is refused with a reason", () => {
  expect(() => readBundle(Buffer.from("not gzip"), "x")).toThrow(/read policy bundle x: not a gzipped tar/);
});

test.each([
  ["deny", "deny"], ["deny_run_as_root", "deny"], ["violation", "deny"], ["violation_x_y", "deny"],
  ["warn", "warn"], ["warn_probe", "warn"], ["denied", undefined], ["exception", undefined], ["deny_", undefined],
])("rule %s is %s", (name, kind) => {
  expect(ruleKind(name)).toBe(kind);
});

test("exception names drop the kind prefix, as conftest's removeRulePrefix", () => {
  expect(exceptionName("deny_run_as_root")).toBe("run_as_root");
  expect(exceptionName("warn_x")).toBe("x");
  expect(exceptionName("violation_y")).toBe("y");
  // A bare rule name is waived only by [""].
  expect(exceptionName("deny")).toBe("");
  expect(exceptionName("warn")).toBe("");
});

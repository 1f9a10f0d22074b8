// The engine dispatches host builtins to gitops-gate's own implementations, never to
// opa-wasm's JavaScript table (see docs/decisions/0005-builtins.md). If an SDK upgrade
// changes `LoadedPolicy` or the ABI glue, these tests fail loudly.
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicies } from "../../src/policy/build/compile.js";
import { findOpa } from "../../src/policy/build/opa.js";
import { readBundle } from "../../src/policy/bundle.js";
import { PolicyEngine } from "../../src/policy/engine.js";
import { HOST_BUILTINS } from "../../src/policy/builtins/index.js";
import { WasmHost } from "../../src/policy/wasm-host.js";
import { ROOT } from "../helpers/corpus.js";

async function engineFor(dir: string): Promise<{ engine: PolicyEngine; wasm: Uint8Array }> {
  const out = join(mkdtempSync(join(tmpdir(), "gitops-gate-host-")), "bundle.tar.gz");
  await compilePolicies({ sources: [dir], opa: await findOpa(), out });
  const bundle = readBundle(readFileSync(out));
  return { engine: await PolicyEngine.load(bundle, { namespaces: ["main"] }), wasm: bundle.wasm };
}

describe("host builtins", () => {
  let engine: PolicyEngine;
  let wasm: Uint8Array;
  beforeAll(async () => {
    ({ engine, wasm } = await engineFor(join(ROOT, "test/fixtures/policies/go-builtins")));
  }, 120_000);

  test("sprintf, regex.split and yaml.unmarshal are OPA's (Go), not opa-wasm's JavaScript ones", () => {
    const { rules } = engine.evaluateDocument({ image: "docker.io/nginx", size: "lots" }, { name: "x.yaml", dir: "." });
    const deny = (rules["main/deny"] as string[]).sort();
    expect(deny).toEqual([
      '"quoted" [1, "b"] {"k": {1}} 50%',
      'split ["b", "c"]',
      "units 1536",
      'yaml {"n": 16, "yes": "no"}',
    ]);
  });

  test("a builtin error makes its expression undefined, and is reported", () => {
    engine.evaluateDocument({ image: "quay.io/x", size: "lots" }, { name: "x.yaml", dir: "." });
    expect(engine.lastReport().errors).toContainEqual({
      builtin: "units.parse_bytes",
      code: "eval_builtin_error",
      message: "units.parse_bytes: units.parse_bytes: no byte amount provided",
    });
  });

  test("the module's host imports are exactly gitops-gate's registry entries", async () => {
    const { host } = await WasmHost.instantiate(wasm, { initial: 32 }, HOST_BUILTINS);
    expect(host.importedBuiltins()).toEqual(["regex.split", "sprintf", "strings.any_prefix_match", "trace", "units.parse_bytes", "yaml.unmarshal"]);
    await expect(WasmHost.instantiate(wasm, { initial: 32 }, { sprintf: HOST_BUILTINS["sprintf"]! })).rejects.toThrow(
      /builtins gitops-gate does not implement: regex\.split, strings\.any_prefix_match, trace, units\.parse_bytes, yaml\.unmarshal/,
    );
  });

  test("opa-wasm's own table still differs (why it must not be used)", () => {
    const require = createRequire(import.meta.url);
    const sdkDir = join(require.resolve("@open-policy-agent/opa-wasm"), "..");
    const sdkBuiltins = require(join(sdkDir, "builtins", "index.js")) as Record<string, (...a: unknown[]) => unknown>;
    expect(sdkBuiltins["sprintf"]?.("%v", [[1, "b"]])).toBe("1,b");
    expect(HOST_BUILTINS["sprintf"]).toBeDefined();
  });

  test("trace notes and print output are captured, never written", () => {
    engine.evaluateDocument({ image: "x", size: "1" }, { name: "x.yaml", dir: "." });
    expect(engine.lastReport().prints).toEqual(["note: from the policy"]);
  });
});

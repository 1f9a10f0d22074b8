// Every builtin of the pinned OPA is accounted for: compiled natively into the wasm module,
// removed by the compiler, implemented on the host by gitops-gate, or refused with a reason.
// The native list is checked against what OPA's wasm compiler actually does.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { compileCapabilities } from "../../src/policy/build/compile.js";
import { compilePolicies } from "../../src/policy/build/compile.js";
import { findOpa } from "../../src/policy/build/opa.js";
import { COMPILER_BUILTINS, HOST_BUILTINS, NATIVE_WASM_BUILTINS, REFUSED_BUILTINS } from "../../src/policy/builtins/index.js";
import { WasmHost } from "../../src/policy/wasm-host.js";

const run = promisify(execFile);

interface Decl {
  name: string;
  decl: { args?: unknown[] };
  deprecated?: boolean;
}

describe("builtin catalog", () => {
  let opa: string;
  let current: Decl[];
  beforeAll(async () => {
    opa = await findOpa();
    current = (JSON.parse((await run(opa, ["capabilities", "--current"])).stdout) as { builtins: Decl[] }).builtins;
  });

  test("every OPA builtin is native, compiler-handled, implemented on the host, or refused (exactly one)", () => {
    const lists: Record<string, readonly string[]> = {
      native: NATIVE_WASM_BUILTINS,
      compiler: COMPILER_BUILTINS,
      host: Object.keys(HOST_BUILTINS),
      refused: Object.keys(REFUSED_BUILTINS),
    };
    const names = current.map((b) => b.name);
    const classified = names.map((n) => [n, Object.keys(lists).filter((k) => lists[k]!.includes(n))] as const);
    expect(classified.filter(([, where]) => where.length !== 1)).toEqual([]);
    const all = Object.values(lists).flat();
    expect(all.filter((n) => !names.includes(n))).toEqual([]);
  });

  test("native builtins compile into the module; host builtins become host calls", async () => {
    const callable = current.filter((b) => !b.name.startsWith("internal.") && !COMPILER_BUILTINS.includes(b.name) && !(b.name in REFUSED_BUILTINS));
    // Deprecated builtins are refused by the v1 compiler; the v0 differential table covers them.
    const deprecated = new Set(current.filter((b) => b.deprecated).map((b) => b.name));
    const lines = ["package calls", ""];
    callable.forEach((b, i) => {
      const args = (b.decl.args ?? []).map((_, k) => `input.a${k}`);
      lines.push(`c${i} := x if { x := ${b.name}(${args.join(", ")}) }`);
    });
    const dir = mkdtempSync(join(tmpdir(), "gitops-gate-catalog-"));
    const v1 = lines.filter((_, i) => i < 2 || !deprecated.has(callable[i - 2]!.name));
    writeFileSync(join(dir, "calls.rego"), `${v1.join("\n")}\n`);
    writeFileSync(join(dir, "caps.json"), JSON.stringify((await compileCapabilities(opa)).capabilities));
    await run(opa, ["build", "-t", "wasm", "-e", "calls", "--capabilities", join(dir, "caps.json"), "-o", join(dir, "b.tar.gz"), join(dir, "calls.rego")]);
    await run("tar", ["-xzf", join(dir, "b.tar.gz"), "-C", dir, "/policy.wasm"]);
    const { readFileSync } = await import("node:fs");
    const { host } = await WasmHost.instantiate(readFileSync(join(dir, "policy.wasm")), { initial: 64 }, HOST_BUILTINS);
    const imported = host.importedBuiltins();
    const called = callable.map((b) => b.name).filter((n) => !deprecated.has(n));
    expect(imported.filter((n) => NATIVE_WASM_BUILTINS.includes(n))).toEqual([]);
    expect(called.filter((n) => n in HOST_BUILTINS && !imported.includes(n))).toEqual([]);
  }, 180_000);

  test("a refused builtin fails the build, naming it and the reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitops-gate-refused-"));
    writeFileSync(join(dir, "p.rego"), 'package main\n\ndeny contains "x" if {\n\tstrings.render_template("{{.a}}", {"a": 1}) == "1"\n\tnet.lookup_ip_addr("example.com")\n}\n');
    await expect(compilePolicies({ sources: [dir], opa, out: join(dir, "out.tar.gz") })).rejects.toThrow(
      /net\.lookup_ip_addr is not supported by gitops-gate: it resolves host names over the network[\s\S]*strings\.render_template is not supported by gitops-gate: it runs Go's text\/template/,
    );
  }, 60_000);
});

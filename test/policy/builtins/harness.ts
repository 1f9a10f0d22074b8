// Differential harness for builtins: one generated Rego module per table of cases,
// evaluated once by `opa eval` (the pinned OPA, one process for the whole table) and
// case by case by gitops-gate's wasm engine (compiled with the production capabilities,
// run with the production host functions). Values are compared as OPA prints them
// (Rego syntax: sets, non-string keys and number text survive), errors by code and message.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { HOST_BUILTINS } from "../../../src/policy/builtins/index.js";
import { regoString } from "../../../src/policy/builtins/value.js";
import { parseValue } from "../../../src/policy/builtins/valuetext.js";
import { compileCapabilities } from "../../../src/policy/build/compile.js";
import { WasmHost, type LoadedPolicy } from "../../../src/policy/wasm-host.js";

const run = promisify(execFile);

export interface Case {
  /** The builtin (or any function) to call. */
  readonly call: string;
  /** Arguments as Rego text, opaque to the type checker: a wrong type is a run-time, not a compile-time, error. */
  readonly args: readonly string[];
  /** Both must fail, but the messages may differ (the reason is kept with the case). */
  readonly anyError?: string;
}

/** What one side said about one case. */
export type Outcome =
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "undefined"; readonly errors: readonly string[] };

export interface Mismatch {
  readonly index: number;
  readonly expr: string;
  readonly opa: Outcome;
  readonly ours: Outcome;
}

const FIRST_ROW = 5;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function generate(cases: readonly Case[], v0 = false): { module: string; data: string; exprs: string[] } {
  const lines = ["package cases", "", "# One rule per case, one case per line (the row of an error names its case).", ""]
  const dataParts: string[] = [];
  const exprs: string[] = [];
  cases.forEach((c, i) => {
    // JSON goes through data, anything else (sets, non-string keys, expressions) through
    // object.get, whose result type is `any`: wrong types are run-time errors, not compile-time ones.
    const args = c.args.map((a, j) => (isJson(a) ? `data.args.c${i}[${j}]` : `object.get({"v": ${a}}, "v", null)`));
    const jsonArgs = c.args.map((a) => (isJson(a) ? a : "null"));
    dataParts.push(`"c${i}":[${jsonArgs.join(",")}]`);
    exprs.push(`${c.call}(${c.args.join(", ")})`);
    lines.push(`c${i} := x ${v0 ? "" : "if "}{ x := ${c.call}(${args.join(", ")}) }`);
  });
  if (lines.length - cases.length + 1 !== FIRST_ROW) throw new Error("harness: header size changed");
  return { module: `${lines.join("\n")}\n`, data: `{"args":{${dataParts.join(",")}}}`, exprs };
}

interface OpaError {
  message: string;
  code: string;
  location?: { row: number };
}

async function opaSide(opa: string, dir: string, n: number, v0: boolean): Promise<Outcome[]> {
  const query = 'x := {k: sprintf("%v", [[v]]) | v := data.cases[k]}';
  let stdout: string;
  try {
    ({ stdout } = await run(
      opa,
      ["eval", ...(v0 ? ["--v0-compatible"] : []), "--show-builtin-errors", "-f", "json", "-d", join(dir, "cases.rego"), "-d", join(dir, "data.json"), query],
      { maxBuffer: 512 * 1024 * 1024 },
    ));
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`opa eval failed: ${err.stdout ?? ""}${err.stderr ?? ""}`, { cause: e });
  }
  const out = JSON.parse(stdout) as { result?: Array<{ bindings: { x: Record<string, string> } }>; errors?: OpaError[] };
  const values = out.result?.[0]?.bindings.x ?? {};
  const errors = new Map<number, string[]>();
  for (const e of out.errors ?? []) {
    const i = (e.location?.row ?? 0) - FIRST_ROW;
    errors.set(i, [...(errors.get(i) ?? []), `${e.code}: ${e.message}`]);
  }
  return Array.from({ length: n }, (_, i) => {
    const v = values[`c${i}`];
    return v !== undefined ? { kind: "value", value: v } : { kind: "undefined", errors: errors.get(i) ?? [] };
  });
}

interface PolicyInternals {
  wasmInstance: { exports: Record<string, (...a: number[]) => number> };
  mem: { buffer: ArrayBuffer };
  entrypoints: Record<string, number>;
  dataAddr: number;
  dataHeapPtr: number;
}

/** One evaluation, result in Rego syntax (opa_eval format 1), so sets stay sets. */
function evaluateValue(policy: LoadedPolicy, entrypoint: string, input: string): string {
  const p = policy as unknown as PolicyInternals;
  const bytes = new TextEncoder().encode(input);
  new Uint8Array(p.mem.buffer).set(bytes, p.dataHeapPtr);
  const addr = p.wasmInstance.exports["opa_eval"]!(0, p.entrypoints[entrypoint]!, p.dataAddr, p.dataHeapPtr, bytes.length, p.dataHeapPtr + bytes.length, 1);
  const mem = new Uint8Array(p.mem.buffer);
  let end = addr;
  while (mem[end] !== 0) end++;
  return new TextDecoder().decode(mem.subarray(addr, end));
}

async function wasmSide(opa: string, dir: string, n: number, data: string, v0: boolean): Promise<Outcome[]> {
  const tb = Date.now();
  const caps = join(dir, "capabilities.json");
  writeFileSync(caps, JSON.stringify((await compileCapabilities(opa)).capabilities));
  try {
    const entrypoints = Array.from({ length: n }, (_, i) => ["-e", `cases/c${i}`]).flat();
    await run(opa, ["build", "-t", "wasm", ...(v0 ? ["--v0-compatible"] : []), ...entrypoints, "--capabilities", caps, "-o", join(dir, "bundle.tar.gz"), join(dir, "cases.rego")], {
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`opa build failed: ${err.stdout ?? ""}${err.stderr ?? ""}`, { cause: e });
  }
  const t0 = Date.now();
  if (process.env["BUILTINS_TIMING"]) console.log(`build ${t0 - tb} ms`);
  await run("tar", ["-xzf", join(dir, "bundle.tar.gz"), "-C", dir, "/policy.wasm"]);
  const wasm = readFileSync(join(dir, "policy.wasm"));
  const { policy, host } = await WasmHost.instantiate(wasm, { initial: 64, maximum: 8192 }, HOST_BUILTINS);
  policy.setData(new TextEncoder().encode(data).buffer as ArrayBuffer);
  const outcomes: Outcome[] = [];
  const t1 = Date.now();
  for (let i = 0; i < n; i++) {
    host.begin();
    const tc = Date.now();
    let text: string;
    try {
      text = evaluateValue(policy, `cases/c${i}`, "{}");
    } catch (e) {
      outcomes.push({ kind: "undefined", errors: [`halt: ${(e as Error).message}`] });
      continue;
    }
    if (process.env["BUILTINS_TIMING"] && Date.now() - tc > 200) console.log(`case ${i} took ${Date.now() - tc} ms`);
    const results = parseValue(text);
    // The result set: {{"result": value}}, or set() when undefined.
    const row = extract(results);
    if (row !== undefined) outcomes.push({ kind: "value", value: row });
    else outcomes.push({ kind: "undefined", errors: host.report().errors.map((e) => `${e.code}: ${e.message}`) });
  }
  if (process.env["BUILTINS_TIMING"]) console.log(`build done at ${t0}, load ${t1 - t0} ms, eval ${Date.now() - t1} ms`);
  return outcomes;
}

function extract(resultSet: ReturnType<typeof parseValue>): string | undefined {
  if (resultSet === null || typeof resultSet !== "object" || !("items" in resultSet)) return undefined;
  const first = resultSet.items[0];
  if (!first || typeof first !== "object" || !("get" in first)) return undefined;
  const v = first.get("result");
  return v === undefined ? undefined : `[${regoString(v)}]`;
}

function same(a: Outcome, b: Outcome): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "value") return a.value === (b as { value: string }).value;
  return JSON.stringify(a.errors) === JSON.stringify((b as { errors: readonly string[] }).errors);
}

/** Runs a table on both sides; returns the cases where they differ, and the OPA outcomes. */
export async function differential(
  opa: string,
  cases: readonly Case[],
  options: { v0?: boolean } = {},
): Promise<{ mismatches: Mismatch[]; opa: Outcome[] }> {
  const v0 = options.v0 ?? false;
  const dir = mkdtempSync(join(tmpdir(), "gitops-gate-builtins-"));
  try {
    const { module, data, exprs } = generate(cases, v0);
    writeFileSync(join(dir, "cases.rego"), module);
    writeFileSync(join(dir, "data.json"), data);
    const t0 = Date.now();
    const [theirs, ours] = await Promise.all([opaSide(opa, dir, cases.length, v0), wasmSide(opa, dir, cases.length, data, v0)]);
    if (process.env["BUILTINS_TIMING"]) console.log(`both sides ${Date.now() - t0} ms`);
    const mismatches: Mismatch[] = [];
    for (let i = 0; i < cases.length; i++) {
      const t = theirs[i]!;
      const o = ours[i]!;
      if (cases[i]!.anyError && t.kind === "undefined" && o.kind === "undefined" && t.errors.length > 0 && o.errors.length > 0) continue;
      if (!same(t, o)) mismatches.push({ index: i, expr: exprs[i]!, opa: t, ours: o });
    }
    if (process.env["BUILTINS_TIMING"]) console.log(`compared ${Date.now() - t0} ms`);
    return { mismatches, opa: theirs };
  } finally {
    if (!process.env["BUILTINS_KEEP"]) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

export function describe(m: Mismatch): string {
  const cut = (s: string): string => (s.length > 400 && !process.env["BUILTINS_FULL"] ? `${s.slice(0, 200)}…(${s.length} chars)…${s.slice(-100)}` : s);
  const show = (o: Outcome): string => cut(o.kind === "value" ? o.value : `undefined ${JSON.stringify(o.errors)}`);
  return `#${m.index} ${m.expr}\n    opa:  ${show(m.opa)}\n    ours: ${show(m.ours)}`;
}

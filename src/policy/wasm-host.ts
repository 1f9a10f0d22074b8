/**
 * Instantiates a compiled policy with gitops-gate's own host functions.
 *
 * opa-wasm's `loadPolicy` dispatches host builtins through its own JavaScript table first
 * (`builtinFuncs[name] || customBuiltins[name]`), so its sprintf-js `sprintf`, its JS-regex
 * `regex.split` and its `yaml.*` would win over ours. Instead we instantiate the module
 * here with an import object whose `opa_builtinN` dispatch only to our registry, and hand
 * the instance to the SDK's exported `LoadedPolicy`, which keeps doing what it does well
 * (memory, data, input, `opa_eval`). See docs/decisions/0005-builtins.md.
 *
 * Arguments and results cross in Rego syntax (`opa_value_dump`/`opa_value_parse`), so sets,
 * non-string keys and the exact text of numbers survive.
 */
import { createRequire } from "node:module";
import type * as OpaWasmModule from "@open-policy-agent/opa-wasm";
import { BuiltinError, HaltError, UnavailableBuiltinError, type BuiltinContext, type Registry } from "./builtins/types.js";
import { stringOf } from "./builtins/go/utf8.js";
import { toRegoText, type Value } from "./builtins/value.js";
import { parseValue } from "./builtins/valuetext.js";

// The project compiles without the DOM lib, which is where TypeScript declares WebAssembly.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmGlobal {
  readonly value: unknown;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, Record<string, unknown>>): Promise<WasmInstance>;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type OpaWasm = typeof OpaWasmModule;
export type LoadedPolicy = InstanceType<OpaWasm["LoadedPolicy"]>;

const require = createRequire(import.meta.url);
const { LoadedPolicy: SdkLoadedPolicy } = require("@open-policy-agent/opa-wasm") as OpaWasm;

export interface BuiltinErrorRecord {
  readonly builtin: string;
  readonly code: string;
  readonly message: string;
  /** A builtin gitops-gate declares but cannot run: always fails the evaluation. */
  readonly unavailable?: true;
}

/** What one evaluation's builtins reported besides their results. */
export interface HostReport {
  readonly errors: readonly BuiltinErrorRecord[];
  readonly prints: readonly string[];
}

interface Exports {
  memory: WasmMemory;
  builtins(): number;
  opa_json_dump(addr: number): number;
  opa_value_dump(addr: number): number;
  opa_value_parse(addr: number, len: number): number;
  opa_malloc(len: number): number;
  opa_free(addr: number): void;
  opa_wasm_abi_minor_version?: WasmGlobal | number;
  opa_wasm_abi_version?: WasmGlobal | number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Per-instance state of the host functions; `begin()` before each evaluation. */
export class WasmHost implements BuiltinContext {
  private exports!: Exports;
  private names: Record<number, string> = {};
  private errors: BuiltinErrorRecord[] = [];
  private prints: string[] = [];
  private nowNs: bigint | undefined;
  readonly cache = new Map<string, Value>();

  private constructor(
    private readonly memory: WasmMemory,
    private readonly registry: Registry,
    private readonly clock: () => bigint,
  ) {}

  /**
   * Instantiates `wasm` with these host functions. Throws when the policy needs a builtin
   * the registry lacks (the build should have refused it; this is the safety net).
   */
  static async instantiate(
    wasm: Uint8Array,
    memory: { initial: number; maximum?: number },
    registry: Registry,
    clock: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
  ): Promise<{ policy: LoadedPolicy; host: WasmHost }> {
    const mem = new WebAssembly.Memory(memory);
    const host = new WasmHost(mem, registry, clock);
    const module = await WebAssembly.compile(wasm);
    const instance = await WebAssembly.instantiate(module, host.imports());
    host.exports = instance.exports as unknown as Exports;
    const abi = globalNumber(host.exports.opa_wasm_abi_version);
    if (abi !== 1) throw new Error(`unsupported OPA wasm ABI version ${String(abi)}`);
    const ids = JSON.parse(host.readString(host.exports.opa_json_dump(host.exports.builtins()))) as Record<string, number>;
    const missing: string[] = [];
    for (const [name, id] of Object.entries(ids)) {
      host.names[id] = name;
      if (!Object.hasOwn(registry, name)) missing.push(name);
    }
    if (missing.length > 0) throw new Error(`the policy calls builtins gitops-gate does not implement: ${missing.sort().join(", ")}`);
    const policy = new SdkLoadedPolicy(
      { instance, module } as unknown as ConstructorParameters<OpaWasm["LoadedPolicy"]>[0],
      mem as unknown as ConstructorParameters<OpaWasm["LoadedPolicy"]>[1],
      globalNumber(host.exports.opa_wasm_abi_minor_version),
    );
    return { policy, host };
  }

  /** Builtin names the policy imports (for tests). */
  importedBuiltins(): string[] {
    return Object.values(this.names).sort();
  }

  /** Starts an evaluation: a new clock reading, caches and reports. */
  begin(): void {
    this.nowNs = undefined;
    this.cache.clear();
    this.errors = [];
    this.prints = [];
  }

  report(): HostReport {
    return { errors: this.errors, prints: this.prints };
  }

  now(): bigint {
    this.nowNs ??= this.clock();
    return this.nowNs;
  }

  print(line: string): void {
    this.prints.push(line);
  }

  private imports(): Record<string, Record<string, unknown>> {
    const call = (id: number, _ctx: number, ...args: number[]): number => this.call(id, args);
    return {
      env: {
        memory: this.memory,
        opa_abort: (addr: number) => {
          throw new Error(`policy aborted: ${this.readString(addr)}`);
        },
        opa_println: (addr: number) => this.print(this.readString(addr)),
        opa_builtin0: (id: number, ctx: number) => call(id, ctx),
        opa_builtin1: (id: number, ctx: number, a: number) => call(id, ctx, a),
        opa_builtin2: (id: number, ctx: number, a: number, b: number) => call(id, ctx, a, b),
        opa_builtin3: (id: number, ctx: number, a: number, b: number, c: number) => call(id, ctx, a, b, c),
        opa_builtin4: (id: number, ctx: number, a: number, b: number, c: number, d: number) => call(id, ctx, a, b, c, d),
      },
    };
  }

  private call(id: number, addrs: number[]): number {
    const name = this.names[id] ?? `#${id}`;
    const impl = this.registry[name];
    if (!impl) throw new Error(`builtin ${name} is not implemented`);
    const args = addrs.map((a) => this.readValue(a));
    let result: Value | undefined;
    try {
      result = impl(args, this);
    } catch (e) {
      if (e instanceof BuiltinError) {
        this.errors.push({
          builtin: name,
          code: e.code,
          message: e.raw ? e.message : `${name}: ${e.message}`,
          ...(e instanceof UnavailableBuiltinError ? { unavailable: true as const } : {}),
        });
        return 0;
      }
      if (e instanceof HaltError) throw new Error(`${name}: ${e.message}`, { cause: e });
      throw e;
    }
    return result === undefined ? 0 : this.writeValue(result);
  }

  private readString(addr: number): string {
    const bytes = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return decoder.decode(bytes.subarray(addr, end));
  }

  /** A dumped value: strings may hold bytes that are not UTF-8 (kept, see go/utf8.ts). */
  private readDump(addr: number): string {
    const bytes = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return stringOf(bytes.slice(addr, end));
  }

  private readValue(addr: number): Value {
    const strAddr = this.exports.opa_value_dump(addr);
    const text = this.readDump(strAddr);
    this.exports.opa_free(strAddr);
    return parseValue(text);
  }

  private writeValue(v: Value): number {
    const bytes = encoder.encode(toRegoText(v));
    const addr = this.exports.opa_malloc(bytes.length);
    new Uint8Array(this.memory.buffer).set(bytes, addr);
    // Not freed: the parsed value may point into it. The heap is reset after each evaluation.
    const value = this.exports.opa_value_parse(addr, bytes.length);
    if (value === 0) throw new Error("builtin result could not be loaded into the policy");
    return value;
  }
}

function globalNumber(g: WasmGlobal | number | undefined): number {
  if (g === undefined) return 0;
  return typeof g === "number" ? g : (g.value as number);
}

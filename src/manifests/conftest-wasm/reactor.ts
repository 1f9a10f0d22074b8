// One Go reactor (wasm/conftest-parsers built for wasip1), compiled on first use and kept
// warm for the thread's lifetime. Everything is synchronous: `new WebAssembly.Module` and
// `new WebAssembly.Instance` are, and so are the exported calls, which is what
// `ManifestParser.parse` needs. A call that does not return normally (a Go fatal error,
// a JavaScript stack overflow inside wasm, a trap) leaves the Go runtime in an unknown
// state, so that instance is dropped and the next call starts a fresh one.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WasiExit, wasiHost, type WasiHost } from "./wasi.js";

/** Most wasm memory one instance may grow to; past it Go fails with "out of memory". */
export const MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly _initialize: () => void;
  readonly gg_input: (size: number) => number;
  readonly gg_output: () => number;
  readonly gg_parse: (nameLength: number) => number;
  readonly gg_load_proto: (nameLength: number) => number;
}

/** What a call returned: the module's JSON reply, or why the instance failed. */
export type CallResult =
  | { readonly ok: true; readonly reply: { doc?: unknown; error?: string } }
  | { readonly ok: false; readonly crash: "stack" | "memory" | "exit"; readonly message: string };

/** The built module: dist/wasm beside the compiled code, or the build output when running from sources. */
export function wasmPath(file: string): string {
  const candidates = [new URL(`../../wasm/${file}`, import.meta.url), new URL(`../../../dist/wasm/${file}`, import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`load ${file}: not built; run \`npm run build\` (scripts/ensure-parsers-wasm.sh builds conftest's parsers with Go)`);
}

/**
 * Sets a maximum on the module's own memory (Go declares none, so an instance could
 * grow to 4 GiB): rewrites the memory section, the only one that changes.
 */
export function withMemoryMaximum(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const readU32 = (at: number): [number, number] => {
    let value = 0;
    let shift = 0;
    let i = at;
    for (;;) {
      const b = bytes[i++] as number;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return [value, i];
      shift += 7;
    }
  };
  const writeU32 = (value: number): number[] => {
    const out: number[] = [];
    let v = value;
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      out.push(b);
    } while (v > 0);
    return out;
  };
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at] as number;
    const [size, content] = readU32(at + 1);
    if (id === 5) {
      const [count, first] = readU32(content);
      const flags = bytes[first] as number;
      if (count !== 1 || (flags & ~1) !== 0) return bytes;
      const [min] = readU32(first + 1);
      const maxPages = Math.max(min, Math.floor(maxBytes / 65536));
      const section = [1, 1, ...writeU32(min), ...writeU32(maxPages)];
      const header = [5, ...writeU32(section.length)];
      const out = new Uint8Array(bytes.length - (content + size - at) + header.length + section.length);
      out.set(bytes.subarray(0, at), 0);
      out.set([...header, ...section], at);
      out.set(bytes.subarray(content + size), at + header.length + section.length);
      return out;
    }
    at = content + size;
  }
  return bytes;
}

export class GoReactor {
  private module: WebAssembly.Module | undefined;
  private live: { exports: Exports; wasi: WasiHost } | undefined;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** `onStart` runs on every fresh instance (to load .proto files again, say). */
  constructor(
    private readonly file: string,
    private readonly onStart: (reactor: GoReactor) => void = () => {},
  ) {}

  /** Drops the instance: the next call starts a new one (the compiled module is kept). */
  reset(): void {
    this.live = undefined;
  }

  private instance(): { exports: Exports; wasi: WasiHost } {
    if (this.live) return this.live;
    this.module ??= new WebAssembly.Module(withMemoryMaximum(readFileSync(wasmPath(this.file)), MAX_MEMORY_BYTES));
    const wasi = wasiHost();
    const instance = new WebAssembly.Instance(this.module, { wasi_snapshot_preview1: wasi.imports });
    const exports = instance.exports as unknown as Exports;
    wasi.bind(exports.memory);
    exports._initialize();
    this.live = { exports, wasi };
    this.onStart(this);
    return this.live;
  }

  /** Calls `gg_parse` (or `gg_load_proto`) with `name` and `data` in the input buffer. */
  call(fn: "gg_parse" | "gg_load_proto", name: string, data: Uint8Array): CallResult {
    let live: { exports: Exports; wasi: WasiHost } | undefined;
    try {
      live = this.instance();
      const { exports } = live;
      const head = this.encoder.encode(name);
      const ptr = exports.gg_input(head.length + data.length);
      new Uint8Array(exports.memory.buffer, ptr, head.length + data.length).set(head);
      new Uint8Array(exports.memory.buffer, ptr + head.length, data.length).set(data);
      const n = exports[fn](head.length);
      const out = exports.gg_output();
      const reply = JSON.parse(this.decoder.decode(new Uint8Array(exports.memory.buffer, out, n))) as { doc?: unknown; error?: string };
      return { ok: true, reply };
    } catch (e) {
      this.reset();
      return crashOf(e, live?.wasi.output() ?? "");
    } finally {
      live?.wasi.clearOutput();
    }
  }
}

function crashOf(e: unknown, output: string): CallResult & { ok: false } {
  const fatal = /fatal error: (.*)/.exec(output)?.[1] ?? /panic: (.*)/.exec(output)?.[1];
  if (e instanceof RangeError || /stack overflow|stack exceeds/.test(output)) {
    return { ok: false, crash: "stack", message: `nesting too deep to parse (${fatal ?? (e as Error).message})` };
  }
  if (/out of memory/.test(output) || (e instanceof WebAssembly.RuntimeError && /memory/.test(e.message))) {
    return { ok: false, crash: "memory", message: `parser ran out of memory (limit ${MAX_MEMORY_BYTES / 2 ** 20} MiB)` };
  }
  if (e instanceof WasiExit) return { ok: false, crash: "exit", message: `parser failed: ${fatal ?? e.message}` };
  return { ok: false, crash: "exit", message: `parser failed: ${(e as Error).message ?? String(e)}` };
}

import { readFile } from "node:fs/promises";
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { devNull, tmpdir } from "node:os";
import { join } from "node:path";
import type { WASI as WasiType } from "node:wasi";
import { hydrateWasmPath } from "../paths.js";
import { wasm as WA, type WasmMemory, type WasmModule } from "./wasm-api.js";
import { withMemoryMaximum } from "./wasm-memory.js";
import type { EngineInfo, RenderRequest, RenderResult, RenderedObject, SourceError } from "./types.js";

/** Most linear memory one engine may use (462 renders of the whole render corpus leave 65 MiB). */
export const DEFAULT_MAX_MEMORY = 1024 * 1024 * 1024;

export interface HydrateEngineOptions {
  /** wasm memory maximum in bytes (default {@link DEFAULT_MAX_MEMORY}); past it a render fails and the instance is replaced. */
  readonly maxMemoryBytes?: number;
  /**
   * File descriptor for what the module prints (Kustomize's deprecation notices, a fatal
   * Go runtime error). By default it goes to an unlinked temporary file that the engine
   * reads after each render: into `warnings`, or into the error when the runtime died.
   */
  readonly stderr?: number;
  /**
   * Render a tiny chart and kustomization when loading (default false), so that the
   * libraries' lazy set-up (Kustomize's OpenAPI schema, V8's first compilations of hot
   * code) is paid before the first real render: for a worker pool that starts before
   * requests arrive (the App). A one-shot run (the CLI) gains nothing from it.
   */
  readonly warmUp?: boolean;
}

const WARM_UP: readonly RenderRequest[] = [
  {
    kind: "kustomize",
    root: "k",
    files: {
      "k/kustomization.yaml": [
        "namespace: warm",
        "labels:",
        "  - pairs: {app: warm}",
        "resources: [d.yaml]",
        "patches:",
        "  - patch: |-",
        "      apiVersion: apps/v1",
        "      kind: Deployment",
        "      metadata: {name: warm}",
        "      spec: {replicas: 2}",
        "images:",
        "  - name: nginx",
        '    newTag: "1.27"',
        "configMapGenerator:",
        "  - name: warm",
        "    literals: [a=b]",
        "",
      ].join("\n"),
      "k/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: warm\nspec:\n  template:\n    spec:\n      containers:\n        - name: warm\n          image: nginx\n",
    },
  },
  {
    kind: "helm",
    root: "c",
    files: {
      "c/Chart.yaml": "apiVersion: v2\nname: warm\nversion: 0.1.0\n",
      "c/values.yaml": "replicas: 1\n",
      "c/templates/_helpers.tpl": '{{- define "warm.name" -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- end }}\n',
      "c/templates/d.yaml": 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "warm.name" . }}\n  labels: {{ toYaml (dict "a" "b") | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n',
    },
  },
];

/**
 * A render that failed. `errors` point at the lines that caused it (a remote base, a
 * missing dependency, a template error); an engine failure (out of memory, a crash of
 * the Go runtime) has none, and its `cause` is what the runtime threw.
 */
export class RenderError extends Error {
  override readonly name = "RenderError";
  constructor(
    /** What was being done: `render overlays/prod`. */
    readonly action: string,
    readonly errors: readonly SourceError[],
    detail?: string,
    cause?: unknown,
  ) {
    const text = detail ?? (errors.map((e) => (e.file ? `${e.file}:${e.line}: ${e.message}` : e.message)).join("; ") || "failed");
    super(`${action}: ${text}`, { cause: cause ?? errors[0] });
    this.detail = text;
  }

  private readonly detail: string;

  /** A plain object for postMessage (an Error loses its own fields in a structured clone). */
  toData(): RenderErrorData {
    return { action: this.action, errors: this.errors, detail: this.detail };
  }

  /** The error again, on the other side of postMessage. */
  static fromData(data: RenderErrorData): RenderError {
    return new RenderError(data.action, data.errors, data.detail);
  }
}

export interface RenderErrorData {
  readonly action: string;
  readonly errors: readonly SourceError[];
  readonly detail: string;
}

interface Exports {
  readonly memory: WasmMemory;
  readonly _initialize: () => void;
  readonly hydrate_alloc: (size: number) => number;
  readonly hydrate_free: (ptr: number) => void;
  readonly hydrate_render: (ptr: number, len: number) => bigint;
  readonly hydrate_info: () => bigint;
  readonly hydrate_set_memory_limit: (bytes: bigint) => bigint;
}

interface WireResponse {
  readonly ok: boolean;
  readonly objects?: RenderedObject[];
  readonly notes?: string;
  readonly warnings?: string[];
  readonly errors?: SourceError[];
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

let wasiClass: Promise<typeof WasiType> | undefined;

/** node:wasi, imported once without its ExperimentalWarning on stderr (the App and CLI print only their own output). */
function loadWasi(): Promise<typeof WasiType> {
  wasiClass ??= (async () => {
    const original = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (String(warning instanceof Error ? warning.message : warning).startsWith("WASI is an experimental feature")) return;
      return (original as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return (await import("node:wasi")).WASI;
    } finally {
      process.emitWarning = original;
    }
  })();
  return wasiClass;
}

/**
 * Helm and Kustomize (hydrate.wasm) in this thread: one WebAssembly instance, created
 * once and kept warm, renders request after request. `render` is synchronous and has no
 * time limit of its own: run it on a worker thread that the caller can terminate (as
 * src/pipeline/worker.ts does for policy evaluation). Memory is bounded by the wasm
 * memory maximum. Not reentrant.
 */
export class HydrateEngine {
  private exports: Exports | undefined;
  private instances = 0;
  private captureFd: number | undefined;
  private stdinFd: number | undefined;

  private constructor(
    private readonly module: WasmModule,
    private readonly WASI: typeof WasiType,
    private readonly maxMemoryBytes: number,
    private readonly stderr: number | undefined,
  ) {}

  /** The fd the module writes fd 1 and 2 to: the caller's, or the capture file. */
  private outputFd(): number {
    if (this.stderr !== undefined) return this.stderr;
    if (this.captureFd === undefined) {
      const dir = mkdtempSync(join(tmpdir(), "gitops-gate-hydrate-"));
      // Append mode: every write lands at the end, also after the file is truncated.
      this.captureFd = openSync(join(dir, "output"), "a+");
      try {
        rmSync(dir, { recursive: true, force: true }); // the open descriptor keeps the file
      } catch {
        // Where an open file cannot be removed, it stays until the process ends.
      }
    }
    return this.captureFd;
  }

  /** What the module printed since the last call, as lines. */
  private takeOutput(): string[] {
    const fd = this.captureFd;
    if (fd === undefined) return [];
    const size = fstatSync(fd).size;
    if (size === 0) return [];
    const buf = Buffer.alloc(Math.min(size, 64 * 1024));
    const n = readSync(fd, buf, 0, buf.length, Math.max(0, size - buf.length));
    ftruncateSync(fd, 0);
    return buf.subarray(0, n).toString("utf8").split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
  }

  /** The module's stdin: the null device, never the host's. */
  private inputFd(): number {
    this.stdinFd ??= openSync(devNull, "r");
    return this.stdinFd;
  }

  /** Closes the files the engine holds open (the instance itself is garbage-collected). */
  close(): void {
    if (this.captureFd !== undefined) closeSync(this.captureFd);
    if (this.stdinFd !== undefined) closeSync(this.stdinFd);
    this.captureFd = undefined;
    this.stdinFd = undefined;
    this.exports = undefined;
  }

  /**
   * Compiles hydrate.wasm (default: the build output, dist/hydrate/hydrate.wasm) with
   * the memory maximum applied. The module can be posted to worker threads, each of
   * which then calls {@link HydrateEngine.load} with it and compiles nothing.
   */
  static async compile(file?: Uint8Array | string, options: HydrateEngineOptions = {}): Promise<WasmModule> {
    let bytes: Uint8Array;
    if (file instanceof Uint8Array) bytes = file;
    else {
      const path = file ?? hydrateWasmPath();
      if (!existsSync(path)) {
        throw new Error(`load rendering engine: ${path} not found; build it with \`npm run build\` (scripts/ensure-hydrate.sh)`);
      }
      bytes = await readFile(path);
    }
    try {
      return await WA.compile(withMemoryMaximum(bytes, options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY));
    } catch (e) {
      throw new Error(`load rendering engine: ${(e as Error).message ?? String(e)}`, { cause: e });
    }
  }

  /** An engine with a warm instance (the Go runtime initialised), ready to render. */
  static async load(source?: WasmModule | Uint8Array | string, options: HydrateEngineOptions = {}): Promise<HydrateEngine> {
    const module = source instanceof WA.Module ? (source as WasmModule) : await HydrateEngine.compile(source, options);
    const max = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY;
    const engine = new HydrateEngine(module, await loadWasi(), max, options.stderr);
    engine.instance();
    if (options.warmUp ?? false) engine.warmUp();
    return engine;
  }

  /** Renders the warm-up chart and kustomization (see {@link HydrateEngineOptions.warmUp}). */
  warmUp(): void {
    for (const request of WARM_UP) this.render(request);
  }

  /** How many instances this engine has started (more than one after a crash). */
  get instanceCount(): number {
    return this.instances;
  }

  /** Bytes of wasm memory the current instance holds (it grows, never shrinks). */
  get memoryBytes(): number {
    return this.exports?.memory.buffer.byteLength ?? 0;
  }

  private instance(): Exports {
    if (this.exports) return this.exports;
    try {
      const wasi = new this.WASI({ version: "preview1", args: ["hydrate"], env: {}, returnOnExit: true, stdin: this.inputFd(), stdout: this.outputFd(), stderr: this.outputFd() });
      const imports = wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, (...args: unknown[]) => unknown> };
      // Node's WASI "fast calls" read a stale view of memory after memory.grow and crash
      // the process (nodejs/node#46777, #53087): a JavaScript wrapper takes the slow path.
      const wrapped: Record<string, (...args: unknown[]) => unknown> = {};
      for (const [name, fn] of Object.entries(imports.wasi_snapshot_preview1)) wrapped[name] = (...args) => fn(...args);
      const instance = new WA.Instance(this.module, { wasi_snapshot_preview1: wrapped });
      wasi.initialize(instance);
      const exports = instance.exports as unknown as Exports;
      exports.hydrate_set_memory_limit(BigInt(Math.floor(this.maxMemoryBytes * 0.8)));
      this.instances++;
      this.exports = exports;
      return exports;
    } catch (e) {
      throw new Error(`start rendering engine: ${describe(e)}`, { cause: e });
    }
  }

  private call(exports: Exports, fn: () => bigint): string {
    const packed = fn();
    const ptr = Number(packed >> 32n);
    const len = Number(packed & 0xffffffffn);
    try {
      return decoder.decode(new Uint8Array(exports.memory.buffer, ptr, len));
    } finally {
      exports.hydrate_free(ptr);
    }
  }

  /** Versions built into the engine. */
  info(): EngineInfo {
    const exports = this.instance();
    return JSON.parse(this.call(exports, () => exports.hydrate_info())) as EngineInfo;
  }

  /**
   * Renders one chart or kustomization from the files given (nothing else is read:
   * the engine has no filesystem and no network). Throws a {@link RenderError}.
   */
  render(request: RenderRequest): RenderResult {
    const action = `render ${request.root === "" ? "." : request.root}`;
    const payload = encoder.encode(JSON.stringify(wireRequest(request)));
    const exports = this.instance();
    const started = performance.now();
    let response: WireResponse;
    try {
      const ptr = exports.hydrate_alloc(payload.length);
      new Uint8Array(exports.memory.buffer, ptr, payload.length).set(payload);
      let text: string;
      try {
        text = this.call(exports, () => exports.hydrate_render(ptr, payload.length));
      } finally {
        if (this.exports) exports.hydrate_free(ptr);
      }
      response = JSON.parse(text) as WireResponse;
    } catch (e) {
      // A trap or an exit (out of memory) leaves the Go runtime unusable; the next
      // render starts a new instance.
      this.exports = undefined;
      // The runtime's message, without the goroutine dump that follows it.
      const output = this.takeOutput();
      const dump = output.findIndex((l) => /^goroutine \d+ /.test(l));
      const printed = (dump >= 0 ? output.slice(0, dump) : output).slice(-3);
      throw new RenderError(action, [], `the rendering engine stopped: ${describe(e)}${printed.length > 0 ? ` (${printed.join("; ")})` : ""}`, e);
    }
    const printed = this.takeOutput();
    if (!response.ok) throw new RenderError(action, response.errors ?? []);
    return {
      objects: response.objects ?? [],
      ...(response.notes ? { notes: response.notes } : {}),
      warnings: [...(response.warnings ?? []), ...printed],
      ms: performance.now() - started,
    };
  }
}

function describe(e: unknown): string {
  if (typeof e === "symbol") return "the Go runtime exited (a fatal error, such as running out of its memory maximum)";
  if (e instanceof WA.RuntimeError) return `wasm trap: ${e.message}`;
  if (e instanceof RangeError && /memory/i.test(e.message)) return `out of memory: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** The request as hydrate.wasm reads it: text in `files`, bytes (base64) in `binaryFiles`. */
function wireRequest(request: RenderRequest): Record<string, unknown> {
  const files: Record<string, string> = {};
  const binaryFiles: Record<string, string> = {};
  const entries = request.files instanceof Map ? request.files.entries() : Object.entries(request.files);
  for (const [path, content] of entries as Iterable<[string, string | Uint8Array]>) {
    if (typeof content === "string") files[path] = content;
    else binaryFiles[path] = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("base64");
  }
  const out: Record<string, unknown> = { kind: request.kind, root: request.root, files };
  if (Object.keys(binaryFiles).length > 0) out.binaryFiles = binaryFiles;
  if (request.kind === "helm" && request.helm) out.helm = request.helm;
  if (request.kind === "kustomize" && request.kustomize) out.kustomize = request.kustomize;
  return out;
}


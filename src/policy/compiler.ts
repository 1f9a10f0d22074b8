// Compiles Rego handed over as files (from GitHub, or a folder) into wasm bundles, once per
// content: bundles are kept in memory and on disk under their key, and two evaluations
// asking for the same key at once share one compile.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { compilePolicies } from "./build/compile.js";
import { readBundle } from "./bundle.js";
import type { BundleMetadata } from "./types.js";

/** A file of one source, by its path inside the source's folder. */
export interface SourceFileBytes {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface CompileInput {
  /** One entry per source folder: where its files came from, for error messages. */
  readonly sources: ReadonlyArray<{ readonly label: string; readonly files: readonly SourceFileBytes[] }>;
  readonly regoVersion: "v0" | "v1";
}

export interface CompiledBundle {
  readonly bytes: Uint8Array;
  readonly digest: string;
  readonly metadata: BundleMetadata;
  /** Where this copy came from: compiled now, or a cache. */
  readonly from: "compiled" | "memory" | "disk";
}

/** A Rego error at a place in a source, as `opa build` reports it. */
export interface RegoProblem {
  /** Index of the source in CompileInput.sources, or -1 when opa named no file of ours. */
  readonly source: number;
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export class PolicyCompileError extends Error {
  constructor(
    message: string,
    readonly problems: readonly RegoProblem[],
  ) {
    super(message);
  }
}

/** The cache folder: $GITOPS_GATE_CACHE_DIR, else $XDG_CACHE_HOME/gitops-gate, else ~/.cache/gitops-gate. */
export function defaultCacheDir(): string {
  const explicit = process.env["GITOPS_GATE_CACHE_DIR"];
  if (explicit) return explicit;
  return join(process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "gitops-gate");
}

/** A Rego file of the work folder → its source index and path inside the source. */
function place(file: string, root: string): { source: number; path: string } {
  const rel = relative(root, file).split(sep);
  const index = /^s(\d+)$/.exec(rel[0] ?? "");
  return index ? { source: Number(index[1]), path: rel.slice(1).join("/") } : { source: -1, path: file };
}

/**
 * The Rego problems in opa's error text: its JSON form (`opa parse --format json`), or its
 * text form `<tmp>/s0/lib/k8s.rego:12: rego_parse_error: …`.
 */
export function regoProblems(text: string, root: string): RegoProblem[] {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start >= 0 && end > start) {
    try {
      const parsed = JSON.parse(text.slice(start, end + 1)) as { errors?: Array<{ message?: string; code?: string; location?: { file?: string; row?: number } }> };
      const found = (parsed.errors ?? []).filter((e) => e.location?.file);
      if (found.length) {
        return found.map((e) => ({ ...place(e.location?.file ?? "", root), line: e.location?.row ?? 1, message: `${e.code ? `${e.code}: ` : ""}${e.message ?? ""}` }));
      }
    } catch {
      // not JSON: read the text form below
    }
  }
  const out: RegoProblem[] = [];
  for (const m of text.matchAll(/([^\s:"]+\.rego):(\d+)(?::\d+)?:?\s*(.*)/g)) {
    out.push({ ...place(m[1] as string, root), line: Number(m[2]), message: (m[3] as string).trim() });
  }
  return out;
}

export class PolicyCompiler {
  private readonly memory = new Map<string, CompiledBundle>();
  private readonly inFlight = new Map<string, Promise<CompiledBundle>>();
  /** How many bundles were compiled, and how many served from a cache (tests, metrics). */
  readonly counts = { compiled: 0, memoryHits: 0, diskHits: 0 };

  constructor(
    private readonly opa: () => Promise<string>,
    private readonly dir: string | undefined = join(defaultCacheDir(), "bundles"),
    private readonly maxInMemory = 64,
  ) {}

  /** The bundle cached under `key`, without compiling; undefined when there is none. */
  async cached(key: string): Promise<CompiledBundle | undefined> {
    const hit = this.memory.get(key);
    if (hit) {
      this.counts.memoryHits++;
      // Most recently used last, so the oldest is evicted first.
      this.memory.delete(key);
      this.memory.set(key, hit);
      return { ...hit, from: "memory" };
    }
    if (!this.dir) return undefined;
    const path = join(this.dir, `${key}.tar.gz`);
    if (!existsSync(path)) return undefined;
    try {
      const bundle = this.remember(key, await readFile(path));
      this.counts.diskHits++;
      return { ...bundle, from: "disk" };
    } catch {
      return undefined; // a damaged cache file is compiled again
    }
  }

  /** The bundle for `key`: from a cache, or compiled from `load()`'s files (once, however many ask). */
  async get(key: string, load: () => Promise<CompileInput>): Promise<CompiledBundle> {
    const cached = await this.cached(key);
    if (cached) return cached;
    const running = this.inFlight.get(key);
    if (running) return running;
    const job = (async () => this.compile(key, await load()))().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  private remember(key: string, bytes: Uint8Array): CompiledBundle {
    const bundle = readBundle(bytes, key.slice(0, 12));
    const compiled = { bytes, digest: bundle.digest, metadata: bundle.metadata, from: "compiled" as const };
    this.memory.set(key, compiled);
    while (this.memory.size > this.maxInMemory) this.memory.delete(this.memory.keys().next().value as string);
    return compiled;
  }

  private async compile(key: string, input: CompileInput): Promise<CompiledBundle> {
    const work = await mkdtemp(join(tmpdir(), "gitops-gate-sources-"));
    try {
      const folders: string[] = [];
      for (const [i, source] of input.sources.entries()) {
        const folder = join(work, `s${i}`);
        folders.push(folder);
        await mkdir(folder, { recursive: true });
        for (const f of source.files) {
          const target = join(folder, f.path);
          if (!target.startsWith(folder + sep)) throw new Error(`compile ${source.label}: ${f.path} leaves the folder`);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, f.bytes);
        }
      }
      const out = join(work, "bundle.tar.gz");
      try {
        const sourceNames = input.sources.map((s) => (s.label.endsWith("/") ? s.label : `${s.label}/`));
        await compilePolicies({ sources: folders, sourceNames, opa: await this.opa(), out, regoVersion: input.regoVersion });
      } catch (e) {
        const text = (e as Error).message;
        const problems = regoProblems(text, work);
        const named = text.split(work + sep).join("").replace(/\bs(\d+)\//g, (_, i: string) => `${input.sources[Number(i)]?.label ?? "?"}`);
        throw new PolicyCompileError(named, problems);
      }
      this.counts.compiled++;
      const bytes = await readFile(out);
      if (this.dir) {
        await mkdir(this.dir, { recursive: true });
        // Write then rename: a reader never sees half a bundle.
        const tmp = join(this.dir, `${key}.${process.pid}.${createHash("sha1").update(String(Math.random())).digest("hex").slice(0, 8)}.tmp`);
        await writeFile(tmp, bytes);
        await rename(tmp, join(this.dir, `${key}.tar.gz`));
      }
      return this.remember(key, bytes);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

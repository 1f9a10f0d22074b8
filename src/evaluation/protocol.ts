// Messages between the worker pool and its workers.
import type { RenderTarget } from "../hydrate/plan.js";
import type { RenderErrorData } from "../hydrate/engine.js";
import type { ParseLimits } from "../manifests/types.js";
import type { EngineOptions } from "../policy/engine.js";
import type { FileToEvaluate } from "./evaluate-file.js";
import type { FileReport } from "./report.js";

/** Compiled bundles, each with its namespaces and data; every document goes through each. */
export type PolicyBundles = ReadonlyArray<{ readonly bytes: Uint8Array; readonly engine: EngineOptions }>;

/** A policy set by id; its bundles travel only to workers that do not hold it yet. */
export interface PolicyRef {
  readonly id: string;
  readonly bundles?: PolicyBundles;
}

/** The files a render reads: text, or bytes for chart archives. */
export type RenderFiles = Readonly<Record<string, string | Uint8Array>>;

/** What a render gave, besides findings: object counts, time, and (when asked) the objects. */
export interface RenderSummary {
  readonly target: string;
  readonly objects: number;
  readonly ms: number;
  readonly warnings: readonly string[];
  readonly error?: RenderErrorData;
  /** The rendered objects, for release facts. */
  readonly manifests?: ReadonlyArray<{ readonly object: Record<string, unknown>; readonly file?: string }>;
}

export type WorkerRequest =
  | { readonly id: number; readonly kind: "file"; readonly policy: PolicyRef; readonly file: FileToEvaluate }
  | { readonly id: number; readonly kind: "combined"; readonly policy: PolicyRef; readonly files: readonly FileToEvaluate[]; readonly dir?: string }
  | { readonly id: number; readonly kind: "render"; readonly policy?: PolicyRef; readonly target: RenderTarget; readonly files: RenderFiles; readonly objects: boolean; readonly hydrate?: unknown };

export type WorkerReply =
  | { readonly id: number; readonly reports: FileReport[]; readonly render?: RenderSummary }
  | { readonly id: number; readonly error: string };

export interface WorkerInit {
  readonly limits: ParseLimits;
  readonly protoFiles?: ReadonlyArray<{ readonly path: string; readonly text: string }>;
  /** The compiled rendering engine (shared, not compiled again per worker), when renders are wanted. */
  readonly hydrate?: unknown;
}

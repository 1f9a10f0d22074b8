import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { COMBINED_ENTRYPOINT, DOCUMENT_ENTRYPOINT, RUN_DATA_KEY } from "./build/wrapper.js";
import type { PolicyBundle } from "./bundle.js";
import { asError } from "./errors.js";
import { mergeData } from "./data.js";
import type { BundleMetadata, RawEvaluation } from "./types.js";

/** WebAssembly memory grows in pages of 64 KiB. */
const WASM_PAGE = 64 * 1024;

export interface EngineOptions {
  /** Namespaces to evaluate: a list, or "all" for every namespace in the bundle. */
  readonly namespaces: readonly string[] | "all";
  /** Parameters and other data, merged over the bundle's own data. */
  readonly data?: Record<string, unknown>;
  /** Most memory one evaluation may use, in bytes. */
  readonly maxMemoryBytes?: number;
}

/** 512 MiB: past what evaluating any one manifest needs, and short of what would take the host down. */
export const DEFAULT_MAX_MEMORY = 512 * 1024 * 1024;

type LoadedPolicy = Awaited<ReturnType<typeof loadPolicy>>;

/**
 * One compiled bundle, evaluated many times. Not safe for reentrant use; `evaluate`
 * is synchronous and has no time limit of its own: evaluation/worker-pool.ts runs each
 * engine on a worker thread that it terminates at the time limit.
 */
export class PolicyEngine {
  private policy: LoadedPolicy;

  private constructor(
    private readonly wasm: Uint8Array,
    private readonly memory: { initial: number; maximum: number },
    private readonly data: Record<string, unknown>,
    policy: LoadedPolicy,
    readonly namespaces: readonly string[],
    /** What the bundle says about its rules, for turning results into findings. */
    readonly metadata: BundleMetadata,
  ) {
    this.policy = policy;
  }

  static async load(bundle: PolicyBundle, options: EngineOptions): Promise<PolicyEngine> {
    const known = Object.keys(bundle.metadata.namespaces);
    const selected = options.namespaces === "all" ? known : [...options.namespaces];
    const unknown = selected.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new Error(`load policy: namespace ${unknown.join(", ")} not in bundle (has: ${known.join(", ") || "none"})`);
    }
    const data = mergeData(bundle.data, options.data ?? {});
    data[RUN_DATA_KEY] = { namespaces: Object.fromEntries(selected.map((n) => [n, true])) };
    const maxPages = Math.ceil((options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY) / WASM_PAGE);
    const memory = { initial: Math.min(32, maxPages), maximum: maxPages };
    const policy = await PolicyEngine.instantiate(bundle.wasm, memory, data);
    return new PolicyEngine(bundle.wasm, memory, data, policy, selected, bundle.metadata);
  }

  private static async instantiate(
    wasm: Uint8Array,
    memory: { initial: number; maximum: number },
    data: Record<string, unknown>,
  ): Promise<LoadedPolicy> {
    try {
      const policy = await loadPolicy(wasm, memory);
      policy.setData(data);
      return policy;
    } catch (e) {
      throw asError("load policy", e);
    }
  }

  /** After a failed evaluation the wasm heap may be in any state; start from a fresh instance. */
  async reset(): Promise<void> {
    this.policy = await PolicyEngine.instantiate(this.wasm, this.memory, this.data);
  }

  /** Every selected rule against one document; `file` becomes `data.conftest.file`. */
  evaluateDocument(document: unknown, file: { name: string; dir: string }): RawEvaluation {
    return this.evaluate(DOCUMENT_ENTRYPOINT, { document, file }, `evaluate ${file.name}`);
  }

  /** Every selected rule once over all documents of a change (conftest `--combine`). */
  evaluateCombined(documents: ReadonlyArray<{ path: string; contents: unknown }>): RawEvaluation {
    return this.evaluate(COMBINED_ENTRYPOINT, { documents }, "evaluate combined input");
  }

  private evaluate(entrypoint: string, input: unknown, action: string): RawEvaluation {
    let result: unknown;
    try {
      result = this.policy.evaluate(input, entrypoint);
    } catch (e) {
      throw asError(action, e);
    }
    const first = Array.isArray(result) ? (result[0] as { result?: unknown } | undefined) : undefined;
    const value = first?.result as Partial<RawEvaluation> | undefined;
    // An undefined result means a rule could not be evaluated (a conflict, for one):
    // that is an error to report, never an empty and therefore passing result.
    if (!value || typeof value !== "object" || !value.rules) {
      throw new Error(`${action}: the policy returned no result (conflicting rule values?)`);
    }
    return { rules: value.rules, exceptions: value.exceptions ?? {} };
  }
}

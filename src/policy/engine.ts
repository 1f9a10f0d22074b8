import { HOST_BUILTINS, UNAVAILABLE_BUILTINS } from "./builtins/index.js";
import { COMBINED_ENTRYPOINT, DOCUMENT_ENTRYPOINT, RUN_DATA_KEY } from "./build/wrapper.js";
import type { PolicyBundle } from "./bundle.js";
import { asError } from "./errors.js";
import { mergeData } from "./data.js";
import type { GatekeeperConstraint, Inventory } from "./gatekeeper/context.js";
import { gatekeeperInput, type GatekeeperSetup } from "./gatekeeper/input.js";
import type { BundleMetadata, RawEvaluation } from "./types.js";
import { WasmHost, type HostReport, type LoadedPolicy } from "./wasm-host.js";

/** WebAssembly memory grows in pages of 64 KiB. */
const WASM_PAGE = 64 * 1024;

export interface EngineOptions {
  /** Namespaces to evaluate: a list, or "all" for every namespace in the bundle. */
  readonly namespaces: readonly string[] | "all";
  /** Parameters and other data, merged over the bundle's own data. */
  readonly data?: Record<string, unknown>;
  /** Most memory one evaluation may use, in bytes. */
  readonly maxMemoryBytes?: number;
  /**
   * conftest's --show-builtin-errors: a builtin error fails the evaluation instead of making
   * its expression undefined. (A builtin gitops-gate cannot run always fails it.)
   */
  readonly showBuiltinErrors?: boolean;
  /** Constraints of the repository, for Gatekeeper packages (their inventory is `data.inventory`). */
  readonly gatekeeper?: { readonly constraints: readonly GatekeeperConstraint[] };
}

/** Every builtin a compiled policy may import: ours, and those declared only to fail. */
const REGISTRY = Object.freeze({ ...HOST_BUILTINS, ...UNAVAILABLE_BUILTINS });

/** 512 MiB: past what evaluating any one manifest needs, and short of what would take the host down. */
export const DEFAULT_MAX_MEMORY = 512 * 1024 * 1024;

/**
 * One compiled bundle, evaluated many times. Not safe for reentrant use; `evaluate`
 * is synchronous and has no time limit of its own: evaluation/worker-pool.ts runs each
 * engine on a worker thread that it terminates at the time limit.
 */
export class PolicyEngine {
  private policy: LoadedPolicy;
  private host: WasmHost;

  private constructor(
    private readonly wasm: Uint8Array,
    private readonly memory: { initial: number; maximum: number },
    private readonly data: Record<string, unknown>,
    loaded: { policy: LoadedPolicy; host: WasmHost },
    readonly namespaces: readonly string[],
    /** What the bundle says about its rules, for turning results into findings. */
    readonly metadata: BundleMetadata,
    private readonly showBuiltinErrors: boolean,
    private readonly gatekeeper: GatekeeperSetup | undefined,
  ) {
    this.policy = loaded.policy;
    this.host = loaded.host;
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
    const loaded = await PolicyEngine.instantiate(bundle.wasm, memory, data);
    const packages = selected.flatMap((ns) => {
      const info = bundle.metadata.namespaces[ns];
      return info?.style === "gatekeeper" ? [{ namespace: ns, ...(info.constraintKind ? { constraintKind: info.constraintKind } : {}) }] : [];
    });
    const parameters = data["parameters"];
    const gatekeeper: GatekeeperSetup | undefined = packages.length
      ? {
          packages,
          constraints: options.gatekeeper?.constraints ?? [],
          parameters: typeof parameters === "object" && parameters !== null && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : {},
          ...(data["inventory"] ? { inventory: data["inventory"] as Inventory } : {}),
        }
      : undefined;
    return new PolicyEngine(bundle.wasm, memory, data, loaded, selected, bundle.metadata, options.showBuiltinErrors ?? false, gatekeeper);
  }

  private static async instantiate(
    wasm: Uint8Array,
    memory: { initial: number; maximum: number },
    data: Record<string, unknown>,
  ): Promise<{ policy: LoadedPolicy; host: WasmHost }> {
    try {
      // Our host functions, not opa-wasm's builtin table (see wasm-host.ts).
      const loaded = await WasmHost.instantiate(wasm, memory, REGISTRY);
      loaded.policy.setData(data);
      return loaded;
    } catch (e) {
      throw asError("load policy", e);
    }
  }

  /** After a failed evaluation the wasm heap may be in any state; start from a fresh instance. */
  async reset(): Promise<void> {
    ({ policy: this.policy, host: this.host } = await PolicyEngine.instantiate(this.wasm, this.memory, this.data));
  }

  /**
   * What the builtins of the last evaluation reported besides their results: errors (which
   * made their expressions undefined, as in OPA without --strict-builtin-errors) and
   * `print`/`trace` output.
   */
  lastReport(): HostReport {
    return this.host.report();
  }

  /** Every selected rule against one document; `file` becomes `data.conftest.file`. */
  evaluateDocument(document: unknown, file: { name: string; dir: string }): RawEvaluation {
    const action = `evaluate ${file.name}`;
    let gatekeeper: unknown = {};
    if (this.gatekeeper) {
      try {
        gatekeeper = gatekeeperInput(document, this.gatekeeper);
      } catch (e) {
        throw asError(action, e);
      }
    }
    return this.evaluate(DOCUMENT_ENTRYPOINT, { document, file, gatekeeper }, action);
  }

  /**
   * Every selected rule once over all documents of a change (conftest `--combine`);
   * `data.conftest.file` names the combined input as conftest does ("Combined").
   */
  evaluateCombined(documents: ReadonlyArray<{ path: string; contents: unknown }>, file: { name: string; dir: string } = { name: "Combined", dir: "" }): RawEvaluation {
    return this.evaluate(COMBINED_ENTRYPOINT, { documents, file }, "evaluate combined input");
  }

  private evaluate(entrypoint: string, input: unknown, action: string): RawEvaluation {
    let result: unknown;
    try {
      this.host.begin();
      result = this.policy.evaluate(input, entrypoint);
    } catch (e) {
      throw asError(action, e);
    }
    // As conftest with --show-builtin-errors: a builtin error fails the evaluation. A
    // builtin that cannot run here always does: its undefined result would be a guess.
    const errors = this.host.report().errors;
    const fatal = this.showBuiltinErrors ? errors : errors.filter((e) => e.unavailable);
    if (fatal.length > 0) throw new Error(`${action}: built-in error: ${fatal.map((e) => e.message).join("; ")}`);
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

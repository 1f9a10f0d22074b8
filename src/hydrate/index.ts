// Rendering Helm charts and Kustomize overlays (issue 9): the engine and discovery.
export { HydrateEngine, RenderError, DEFAULT_MAX_MEMORY, type HydrateEngineOptions, type RenderErrorData } from "./engine.js";
export {
  KUSTOMIZATION_FILES,
  affectedRoots,
  findHelmCharts,
  findKustomizations,
  findKustomizeRoots,
  helmInputs,
  helmValueSets,
  kustomizeInputs,
  looksRemote,
  resolvePath,
  type AffectedRoots,
  type Declaration,
  type DiscoverOptions,
  type HelmChart,
  type HelmValueSet,
  type KustomizeInputs,
  type Kustomization,
  type UnresolvedReference,
} from "./discover/index.js";
export type { WasmModule } from "./wasm-api.js";
export * from "./types.js";

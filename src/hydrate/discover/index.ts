// What to render in a repository, from its paths and file contents alone (pure: no
// filesystem, no network). Kustomize roots and the files each build reads; Helm charts
// and the values sets the repository declares for them (values files beside the chart,
// Argo CD Applications and ApplicationSets, Flux HelmReleases).
export * from "./types.js";
export { resolvePath } from "./files.js";
export { findKustomizations, findKustomizeRoots, kustomizeInputs, looksRemote } from "./kustomize.js";
export { findHelmCharts, helmInputs, helmValueSets } from "./helm.js";
export { affectedRoots, type AffectedRoots } from "./affected.js";

// What to render again when files change.
import { asMap } from "./files.js";
import { helmValueSets } from "./helm.js";
import { findKustomizeRoots, kustomizeInputs } from "./kustomize.js";
import type { RepoFiles } from "../types.js";
import type { DiscoverOptions, HelmValueSet, Kustomization } from "./types.js";

/** What to render again when these files change. */
export interface AffectedRoots {
  readonly kustomize: readonly Kustomization[];
  readonly helm: readonly HelmValueSet[];
}

/**
 * The Kustomize roots whose build reads a changed file, and the Helm values sets whose
 * chart folder or values files contain one.
 */
export function affectedRoots(repo: RepoFiles, changed: Iterable<string>, options: DiscoverOptions = {}): AffectedRoots {
  const files = asMap(repo);
  const changedSet = new Set(changed);
  const kustomize = findKustomizeRoots(files).filter((r) => kustomizeInputs(files, r.dir).files.some((f) => changedSet.has(f)));
  const helm = helmValueSets(files, options).filter(
    (s) => s.valueFiles.some((f) => changedSet.has(f)) || [...changedSet].some((f) => s.chart === "" || f.startsWith(`${s.chart}/`)) || (s.declaredIn !== undefined && changedSet.has(s.declaredIn.file)),
  );
  return { kustomize, helm };
}

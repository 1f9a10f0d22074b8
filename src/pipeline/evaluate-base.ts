// Step "base": the changed files as they were at the base commit, judged the same way as
// the head (same policies, same parsers, the same render roots at the base commit), so the
// verdict can tell what the change introduces from what was there already. A renamed file
// is judged at its previous path; an added one has no base.
import type { Config } from "../config/schema.js";
import type { FileReport } from "../evaluation/report.js";
import type { PolicySet } from "../evaluation/worker-pool.js";
import type { ChangedFile, RepoRef } from "../github/types.js";
import { evaluateChange, type EvaluateChangeDeps } from "./evaluate-change.js";
import { judgedFiles } from "./judged-files.js";

export interface BaseReports {
  readonly reports: FileReport[];
  /** Head path → its path at the base, for renamed files. */
  readonly renames: ReadonlyMap<string, string>;
  readonly sha: string;
}

export async function evaluateBase(
  change: {
    readonly baseSha: string;
    /** The repository judged: Argo CD and Flux sources naming another one are not rendered from it. */
    readonly repo?: RepoRef;
    /** Every changed file, as listed. */
    readonly changed: readonly ChangedFile[];
    /** The head's selected manifests with findings (not removed), with their formats; `via` for one judged through a link. */
    readonly manifests: ReadonlyArray<ChangedFile & { format: string; via?: string }>;
    /** Whether the head rendered anything: only then are the roots rendered at the base too. */
    readonly rendered: boolean;
    /** Path → format at the base (the config's selection), and whether a path is excluded. */
    readonly formatOf: (path: string) => string | undefined;
    readonly excluded: (path: string) => boolean;
  },
  config: Pick<Config, "render" | "environments">,
  set: PolicySet,
  deps: EvaluateChangeDeps,
): Promise<BaseReports> {
  const renames = new Map(change.changed.flatMap((f) => (f.previousPath ? [[f.path, f.previousPath] as const] : [])));
  // The head's manifests that existed at the base, under their base paths, judged as the
  // head's are: sizes and kinds looked up at the base (only these paths, unless the base's
  // whole tree is read anyway), links followed inside the repository.
  const paths = change.manifests.map((f) => renames.get(f.path) ?? f.path);
  const atBase = paths.length ? await deps.reader.lookup(change.baseSha, paths) : new Map();
  const present = paths.flatMap((path): ChangedFile[] => {
    const e = atBase.get(path);
    return e && e.kind !== "folder" ? [{ path, status: "modified", sha: e.sha, size: e.size, kind: e.kind }] : [];
  });
  // Links that were not changed lead to changed files at the head; at the base too, but
  // only worth a look (the base's whole tree) when the head judged a file through one.
  const throughLinks = change.manifests.some((f) => f.via !== undefined);
  const judged = await judgedFiles({ headSha: change.baseSha, changed: present, select: change.formatOf, unchangedLinks: throughLinks }, deps);
  const files = judged.files;
  // Render roots the change touches, as they were: every changed path as the base names it
  // (a template added to a chart makes the chart's base render count too).
  const changedPaths = change.rendered ? [...new Set(change.changed.map((f) => f.previousPath ?? f.path))].filter((p) => !change.excluded(p)) : [];
  if (files.length === 0 && changedPaths.length === 0) return { reports: judged.reports, renames, sha: change.baseSha };
  const evaluated = await evaluateChange({ headSha: change.baseSha, files, changedPaths, ...(change.repo ? { repo: change.repo } : {}) }, config, set, deps);
  return { reports: [...evaluated.reports, ...judged.reports], renames, sha: change.baseSha };
}

// Kustomize: which folders build, and every repository file a build reads.
import { asMap, documents, folders, isRecord, joinRel, kustomizationFileIn, resolvePath, str } from "./files.js";
import type { RepoFiles } from "../types.js";
import { type KustomizeInputs, type Kustomization, type UnresolvedReference } from "./types.js";

/** Every folder with a kustomization file, Components included, sorted by folder. */
export function findKustomizations(repo: RepoFiles): Kustomization[] {
  const files = asMap(repo);
  const out: Kustomization[] = [];
  for (const dir of [...folders(files)].sort()) {
    const file = kustomizationFileIn(files, dir);
    if (!file) continue;
    const doc = documents(files, file)[0]?.content;
    const kind = isRecord(doc) && doc["kind"] === "Component" ? "Component" : "Kustomization";
    out.push({ dir, file, kind });
  }
  return out;
}

/** Folders `kustomize build` can build: every kustomization that is not a Component. */
export function findKustomizeRoots(repo: RepoFiles): Kustomization[] {
  return findKustomizations(repo).filter((k) => k.kind === "Kustomization");
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/[^/]+\/)|\?ref=|\.git(?:$|\/|\?)|\/\//;

/** A reference kustomize would fetch (a Git or HTTP URL) rather than read from the repository. */
export function looksRemote(ref: string): boolean {
  return REMOTE.test(ref);
}

/**
 * The files a `kustomize build` of `root` reads, following resources, bases, components,
 * patches (all three fields), generators' files and env files, replacements, crds,
 * configurations, openapi, transformers/generators/validators and vendored helmCharts,
 * transitively through the kustomizations they name, wherever they are in the repository.
 */
export function kustomizeInputs(repo: RepoFiles, root: string): KustomizeInputs {
  const files = asMap(repo);
  const dirs = folders(files);
  const read = new Set<string>();
  const kustomizations: string[] = [];
  const unresolved: UnresolvedReference[] = [];
  const visited = new Set<string>();

  const under = (dir: string): string[] => [...files.keys()].filter((p) => dir === "" || p.startsWith(`${dir}/`));

  const visit = (dir: string): void => {
    if (visited.has(dir)) return;
    visited.add(dir);
    const kf = kustomizationFileIn(files, dir);
    if (!kf) return;
    kustomizations.push(kf);
    read.add(kf);
    const doc = documents(files, kf)[0];
    if (!doc || !isRecord(doc.content)) return;
    const k = doc.content;
    const line = (path: (string | number)[]): number => doc.sourceMap.lineOf(path);

    const ref = (field: string, path: (string | number)[], value: string, opts: { folders: boolean }): void => {
      const v = value.trim();
      if (v === "") return;
      const p = resolvePath(dir, v);
      const fail = (reason: UnresolvedReference["reason"]): void => {
        unresolved.push({ file: kf, line: line(path), field, ref: v, reason });
      };
      if (p !== undefined && !v.includes("://")) {
        if (files.has(p)) {
          read.add(p);
          return;
        }
        if (dirs.has(p)) {
          if (!opts.folders) return fail("missing");
          if (!kustomizationFileIn(files, p)) return fail("not-a-kustomization");
          visit(p);
          return;
        }
      }
      if (looksRemote(v)) return fail("remote");
      fail(p === undefined ? "outside-repository" : "missing");
    };
    const list = (field: string): unknown[] => (Array.isArray(k[field]) ? (k[field] as unknown[]) : []);

    for (const field of ["resources", "bases", "components"]) {
      list(field).forEach((v, i) => typeof v === "string" && ref(field, [field, i], v, { folders: true }));
    }
    for (const field of ["crds", "configurations", "patchesStrategicMerge", "transformers", "generators", "validators"]) {
      list(field).forEach((v, i) => {
        if (typeof v !== "string" || (/[\n:]/.test(v) && !looksRemote(v))) return; // inline YAML
        ref(field, [field, i], v, { folders: ["transformers", "generators", "validators"].includes(field) });
      });
    }
    for (const field of ["patches", "patchesJson6902", "replacements"]) {
      list(field).forEach((v, i) => {
        if (isRecord(v) && typeof v["path"] === "string") ref(field, [field, i, "path"], v["path"], { folders: false });
      });
    }
    if (isRecord(k["openapi"]) && typeof k["openapi"]["path"] === "string") ref("openapi", ["openapi", "path"], k["openapi"]["path"], { folders: false });
    for (const field of ["configMapGenerator", "secretGenerator"]) {
      list(field).forEach((g, i) => {
        if (!isRecord(g)) return;
        (Array.isArray(g["files"]) ? g["files"] : []).forEach((f: unknown, j: number) => {
          if (typeof f !== "string") return;
          const eq = f.indexOf("=");
          ref(field, [field, i, "files", j], eq >= 0 ? f.slice(eq + 1) : f, { folders: false });
        });
        (Array.isArray(g["envs"]) ? g["envs"] : []).forEach((f: unknown, j: number) => {
          if (typeof f === "string") ref(field, [field, i, "envs", j], f, { folders: false });
        });
        if (typeof g["env"] === "string") ref(field, [field, i, "env"], g["env"], { folders: false });
      });
    }
    const charts = list("helmCharts");
    if (charts.length > 0) {
      const globals = isRecord(k["helmGlobals"]) ? k["helmGlobals"] : {};
      const home = resolvePath(dir, str(globals["chartHome"]) ?? "charts");
      charts.forEach((c, i) => {
        if (!isRecord(c) || typeof c["name"] !== "string") return;
        const name = c["name"];
        const version = str(c["version"]);
        const base = home === undefined ? undefined : version && c["repo"] ? joinRel(home, `${name}-${version}`) : home;
        const chartDir = base === undefined ? undefined : joinRel(base, name);
        if (chartDir !== undefined && files.has(joinRel(chartDir, "Chart.yaml"))) {
          for (const p of under(chartDir)) read.add(p);
        } else {
          unresolved.push({ file: kf, line: line(["helmCharts", i]), field: "helmCharts", ref: str(c["repo"]) ? `${String(c["repo"])} ${name}` : name, reason: str(c["repo"]) ? "remote" : "missing" });
        }
        if (typeof c["valuesFile"] === "string") ref("helmCharts", ["helmCharts", i, "valuesFile"], c["valuesFile"], { folders: false });
        (Array.isArray(c["additionalValuesFiles"]) ? c["additionalValuesFiles"] : []).forEach((f: unknown, j: number) => {
          if (typeof f === "string") ref("helmCharts", ["helmCharts", i, "additionalValuesFiles", j], f, { folders: false });
        });
      });
    }
  };
  visit(root);
  return { root, files: [...read].sort(), kustomizations, unresolved };
}


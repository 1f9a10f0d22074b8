// Helm: charts, and the values sets the repository declares for each (values files beside
// the chart, Argo CD Applications and ApplicationSets, Flux HelmReleases).
import { posix } from "node:path";
import { DEFAULT_LIMITS, type ManifestDocument } from "../../manifests/types.js";
import { yamlParser } from "../../manifests/yaml.js";
import { asMap, dirOf, documents, isRecord, joinRel, resolvePath, str, text, type Files } from "./files.js";
import type { RepoFiles } from "../types.js";
import type { DiscoverOptions, HelmChart, HelmValueSet } from "./types.js";

/**
 * Helm charts: every folder with a Chart.yaml, except charts vendored inside another
 * chart's charts/ folder (they render as part of their parent).
 */
export function findHelmCharts(repo: RepoFiles): HelmChart[] {
  const files = asMap(repo);
  const chartDirs = [...files.keys()].filter((p) => posix.basename(p) === "Chart.yaml").map(dirOf).sort();
  const isChart = new Set(chartDirs);
  const out: HelmChart[] = [];
  for (const dir of chartDirs) {
    // Vendored: some ancestor folder A is a chart and dir lies under A/charts/.
    let vendored = false;
    for (let d = dir; d !== ""; d = dirOf(d)) {
      const parent = dirOf(d);
      if (posix.basename(parent) === "charts" && isChart.has(dirOf(parent))) {
        vendored = true;
        break;
      }
    }
    if (vendored) continue;
    const meta = documents(files, joinRel(dir, "Chart.yaml"))[0]?.content;
    const m = isRecord(meta) ? meta : {};
    const valuesFiles = [...files.keys()]
      .filter((p) => dirOf(p) === dir && /^values.+\.ya?ml$/.test(posix.basename(p)) && posix.basename(p) !== "values.yaml")
      .sort();
    out.push({ dir, name: str(m["name"]) ?? posix.basename(dir), version: String(m["version"] ?? ""), type: str(m["type"]) ?? "", valuesFiles });
  }
  return out;
}

/** The files a render of a chart with a values set reads: the chart folder and the values files. */
export function helmInputs(repo: RepoFiles, set: Pick<HelmValueSet, "chart" | "valueFiles">): string[] {
  const files = asMap(repo);
  const out = new Set([...files.keys()].filter((p) => set.chart === "" || p.startsWith(`${set.chart}/`)));
  for (const v of set.valueFiles) out.add(v);
  return [...out].sort();
}

interface YamlObject {
  readonly file: string;
  readonly doc: ManifestDocument;
  readonly content: Record<string, unknown>;
}

function allObjects(files: Files): YamlObject[] {
  const out: YamlObject[] = [];
  for (const p of [...files.keys()].sort()) {
    if (!/\.ya?ml$/.test(p)) continue;
    const t = text(files, p);
    // Cheap filter before parsing: only files that can hold what discovery looks for.
    if (t === undefined || !/kind:\s*(Application|ApplicationSet|HelmRelease|GitRepository|ConfigMap|Secret)\b/.test(t)) continue;
    for (const doc of documents(files, p)) if (isRecord(doc.content)) out.push({ file: p, doc, content: doc.content });
  }
  return out;
}

function meta(o: Record<string, unknown>): { name: string; namespace: string | undefined } {
  const m = isRecord(o["metadata"]) ? o["metadata"] : {};
  return { name: str(m["name"]) ?? "", namespace: str(m["namespace"]) };
}

/** `--set a.b=c` style parameters as nested values (Argo CD helm.parameters). */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."));
  let cur = target;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) cur[k] = value;
    else {
      if (!isRecord(cur[k])) cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    }
  });
}

function mergeValues(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) ? mergeValues(out[k] as Record<string, unknown>, v) : v;
  return out;
}

function parseYamlValues(textValue: string): Record<string, unknown> | undefined {
  const r = yamlParser.parse(textValue, DEFAULT_LIMITS);
  const c = r.ok ? r.documents[0]?.content : undefined;
  return isRecord(c) ? c : undefined;
}

/**
 * The values sets to render each chart with: the chart's defaults; each values*.yaml
 * beside it; and every Argo CD Application / ApplicationSet and Flux HelmRelease in the
 * repository whose source is a chart folder of this repository, with its value files,
 * inline values and (Flux) valuesFrom ConfigMaps/Secrets found in the repository.
 */
export function helmValueSets(repo: RepoFiles, options: DiscoverOptions = {}): HelmValueSet[] {
  const files = asMap(repo);
  const charts = findHelmCharts(files);
  const chartByDir = new Map(charts.map((c) => [c.dir, c]));
  const sets: HelmValueSet[] = [];
  for (const c of charts) {
    if (c.type === "library") continue;
    sets.push({ chart: c.dir, name: "default", valueFiles: [] });
    for (const v of c.valuesFiles) {
      sets.push({ chart: c.dir, name: posix.basename(v), valueFiles: [v], declaredIn: { file: v, line: 1, kind: "values file", name: posix.basename(v) } });
    }
  }
  const objects = allObjects(files);
  const thisRepo = (url: string | undefined, chartDir: string | undefined): boolean =>
    chartDir !== undefined && chartByDir.has(chartDir) && (options.isThisRepo && url !== undefined ? options.isThisRepo(url) : true);

  // Argo CD: spec.source / spec.sources (Application), spec.template.spec... (ApplicationSet).
  for (const o of objects) {
    const apiVersion = str(o.content["apiVersion"]) ?? "";
    const kind = str(o.content["kind"]);
    if (!apiVersion.startsWith("argoproj.io/") || (kind !== "Application" && kind !== "ApplicationSet")) continue;
    const specPath = kind === "Application" ? ["spec"] : ["spec", "template", "spec"];
    let spec: unknown = o.content;
    for (const k of specPath) spec = isRecord(spec) ? spec[k] : undefined;
    if (!isRecord(spec)) continue;
    const { name } = meta(o.content);
    const destination = isRecord(spec["destination"]) ? spec["destination"] : {};
    const sources: { src: Record<string, unknown>; path: (string | number)[] }[] = [];
    if (isRecord(spec["source"])) sources.push({ src: spec["source"], path: [...specPath, "source"] });
    if (Array.isArray(spec["sources"])) spec["sources"].forEach((s, i) => isRecord(s) && sources.push({ src: s, path: [...specPath, "sources", i] }));
    const refs = new Map<string, Record<string, unknown>>();
    for (const { src } of sources) if (typeof src["ref"] === "string") refs.set(src["ref"], src);
    for (const { src, path } of sources) {
      const p = str(src["path"]);
      if (p === undefined || p.includes("{{") || src["chart"] !== undefined) continue;
      const chartDir = resolvePath("", p);
      if (!thisRepo(str(src["repoURL"]), chartDir) || chartDir === undefined) continue;
      const helm = isRecord(src["helm"]) ? src["helm"] : {};
      const unresolved: string[] = [];
      const valueFiles: string[] = [];
      for (const v of Array.isArray(helm["valueFiles"]) ? helm["valueFiles"] : []) {
        if (typeof v !== "string") continue;
        const m = /^\$([^/]+)\/(.*)$/.exec(v);
        let resolved: string | undefined;
        if (m) {
          const refSrc = refs.get(m[1] as string);
          if (refSrc && (options.isThisRepo ? options.isThisRepo(str(refSrc["repoURL"]) ?? "") : true)) resolved = resolvePath("", m[2] as string);
        } else resolved = resolvePath(chartDir, v);
        if (resolved !== undefined && files.has(resolved)) valueFiles.push(resolved);
        else unresolved.push(v);
      }
      let values: Record<string, unknown> = {};
      if (typeof helm["values"] === "string") values = mergeValues(values, parseYamlValues(helm["values"]) ?? {});
      if (isRecord(helm["valuesObject"])) values = mergeValues(values, helm["valuesObject"]);
      for (const prm of Array.isArray(helm["parameters"]) ? helm["parameters"] : []) {
        if (isRecord(prm) && typeof prm["name"] === "string") setPath(values, prm["name"], prm["value"]);
      }
      sets.push({
        chart: chartDir,
        name: `${kind} ${name}`,
        valueFiles,
        ...(Object.keys(values).length > 0 ? { values } : {}),
        releaseName: str(helm["releaseName"]) ?? name,
        ...(str(destination["namespace"]) ? { namespace: str(destination["namespace"]) } : {}),
        declaredIn: { file: o.file, line: o.doc.sourceMap.lineOf(path), kind, name },
        ...(unresolved.length > 0 ? { unresolved } : {}),
      });
    }
  }

  // Flux: HelmRelease whose chart is a path of a GitRepository that is this repository.
  const gitRepos = new Map<string, string | undefined>();
  for (const o of objects) {
    if ((str(o.content["apiVersion"]) ?? "").startsWith("source.toolkit.fluxcd.io/") && o.content["kind"] === "GitRepository") {
      const { name, namespace } = meta(o.content);
      const spec = isRecord(o.content["spec"]) ? o.content["spec"] : {};
      gitRepos.set(`${namespace ?? ""}/${name}`, str(spec["url"]));
    }
  }
  const configValues = (kindName: string, name: string, namespace: string | undefined, key: string): string | undefined => {
    for (const o of objects) {
      if (o.content["kind"] !== kindName) continue;
      const m = meta(o.content);
      if (m.name !== name || (m.namespace ?? namespace) !== namespace) continue;
      const data = isRecord(o.content["data"]) ? o.content["data"] : {};
      const stringData = isRecord(o.content["stringData"]) ? o.content["stringData"] : {};
      let raw = str(stringData[key]) ?? str(data[key]);
      if (raw !== undefined && kindName === "Secret" && stringData[key] === undefined) raw = Buffer.from(raw, "base64").toString("utf8");
      return raw;
    }
    return undefined;
  };
  for (const o of objects) {
    if (!(str(o.content["apiVersion"]) ?? "").startsWith("helm.toolkit.fluxcd.io/") || o.content["kind"] !== "HelmRelease") continue;
    const { name, namespace } = meta(o.content);
    const spec = isRecord(o.content["spec"]) ? o.content["spec"] : {};
    const chart = isRecord(spec["chart"]) && isRecord(spec["chart"]["spec"]) ? spec["chart"]["spec"] : undefined;
    if (!chart) continue;
    const sourceRef = isRecord(chart["sourceRef"]) ? chart["sourceRef"] : {};
    if (sourceRef["kind"] !== "GitRepository") continue;
    const chartDir = resolvePath("", str(chart["chart"]) ?? "");
    const repoKey = `${str(sourceRef["namespace"]) ?? namespace ?? ""}/${str(sourceRef["name"]) ?? ""}`;
    const url = gitRepos.get(repoKey);
    if (!thisRepo(url, chartDir) || chartDir === undefined) continue;
    const unresolved: string[] = [];
    const valueFiles: string[] = [];
    for (const v of Array.isArray(chart["valuesFiles"]) ? chart["valuesFiles"] : []) {
      if (typeof v !== "string") continue;
      const p = resolvePath("", v);
      if (p !== undefined && files.has(p)) valueFiles.push(p);
      else unresolved.push(v);
    }
    let values: Record<string, unknown> = {};
    for (const vf of Array.isArray(spec["valuesFrom"]) ? spec["valuesFrom"] : []) {
      if (!isRecord(vf) || (vf["kind"] !== "ConfigMap" && vf["kind"] !== "Secret") || typeof vf["name"] !== "string") continue;
      const key = str(vf["valuesKey"]) ?? "values.yaml";
      const raw = configValues(vf["kind"], vf["name"], namespace, key);
      if (raw === undefined) {
        if (vf["optional"] !== true) unresolved.push(`${vf["kind"]}/${vf["name"]}`);
        continue;
      }
      const target = str(vf["targetPath"]);
      if (target) {
        const nested: Record<string, unknown> = {};
        setPath(nested, target, raw);
        values = mergeValues(values, nested);
      } else values = mergeValues(values, parseYamlValues(raw) ?? {});
    }
    if (isRecord(spec["values"])) values = mergeValues(values, spec["values"]);
    const targetNamespace = str(spec["targetNamespace"]);
    sets.push({
      chart: chartDir,
      name: `HelmRelease ${namespace ? `${namespace}/` : ""}${name}`,
      valueFiles,
      ...(Object.keys(values).length > 0 ? { values } : {}),
      releaseName: str(spec["releaseName"]) ?? (targetNamespace ? `${targetNamespace}-${name}` : name),
      ...((targetNamespace ?? namespace) ? { namespace: targetNamespace ?? namespace } : {}),
      declaredIn: { file: o.file, line: o.doc.line, kind: "HelmRelease", name },
      ...(unresolved.length > 0 ? { unresolved } : {}),
    });
  }
  return sets;
}


// Steps "render" and "evaluate" of a change: the roots the change touches are rendered and
// their objects judged (findings on the source lines); changed manifests that no render
// reads are judged as files. Shared by the pull-request and merge-group evaluations.
import { createHash } from "node:crypto";
import { globMatcher } from "../config/glob.js";
import { environmentsOf, type Config } from "../config/schema.js";
import type { RenderSummary } from "../evaluation/protocol.js";
import { tooLargeReport, type FileReport } from "../evaluation/report.js";
import type { PolicySet, WorkerPool } from "../evaluation/worker-pool.js";
import type { RepoReader, RepoRef } from "../github/types.js";
import { repositoryMatcher, type RenderTarget } from "../hydrate/plan.js";
import { BATCHED_READS } from "../limits.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import type { BlobCache } from "./blob-cache.js";
import { throughLinkReport, type JudgedFile } from "./judged-files.js";
import { mapLimit } from "./map-limit.js";
import { loadRenderInputs } from "./render-inputs.js";

/** A root rendered for this change, for the summary. */
export interface RenderedRoot {
  readonly label: string;
  readonly kind: "helm" | "kustomize";
  readonly environment?: string;
  readonly objects: number;
  readonly ms: number;
  readonly cached: boolean;
  readonly failed: boolean;
}

/** Outcomes of renders by the content of their inputs and the policies that judged them. */
export class RenderCache {
  private readonly entries = new Map<string, { reports: FileReport[]; render?: RenderSummary }>();
  constructor(private readonly max = 256) {}
  get(key: string) {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: { reports: FileReport[]; render?: RenderSummary }): void {
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export interface EvaluateChangeDeps {
  readonly reader: RepoReader;
  readonly blobs: BlobCache;
  readonly pool: WorkerPool;
  readonly renders: RenderCache;
}

/** The environment of a root: its own, else the config's environment whose globs match it. */
export function withEnvironment(target: RenderTarget, config: Pick<Config, "environments">): RenderTarget {
  if (target.environment) return target;
  const probe = target.kind === "kustomize" ? `${target.root ? `${target.root}/` : ""}kustomization.yaml` : (target.helm?.valueFiles.at(-1) ?? `${target.root}/Chart.yaml`);
  const env = environmentsOf(config).find((e) => globMatcher(e.paths)(probe));
  return env ? { ...target, environment: env.name } : target;
}

/**
 * A render error in a file every values set reads (a template, Chart.yaml) fails each of
 * them the same way: keep it once, saying how many renders it broke.
 */
function sameErrorOnce(reports: FileReport[]): FileReport[] {
  const seen = new Map<string, { finding: { message: string }; count: number }>();
  return reports.map((r) => ({
    ...r,
    findings: r.findings.filter((f) => {
      if (f.ruleId !== "gitops-gate/render-error") return true;
      const key = `${f.file}\0${f.line}\0${f.message.replace(/^render .*?: /, "")}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { finding: f, count: 1 });
        return true;
      }
      first.count++;
      first.finding.message = `${f.message.replace(/^render .*?: /, `render (${first.count} renders): `)}`;
      return false;
    }),
  }));
}

export async function evaluateChange(
  change: { headSha: string; files: readonly JudgedFile[]; changedPaths: readonly string[]; repo?: RepoRef },
  config: Pick<Config, "render" | "environments">,
  set: PolicySet,
  deps: EvaluateChangeDeps,
): Promise<{ reports: FileReport[]; renders: RenderedRoot[]; notes: string[] }> {
  const notes: string[] = [];
  let targets: RenderTarget[] = [];
  let rendered: ReadonlySet<string> = new Set();
  let files: ReadonlyMap<string, string | Uint8Array> = new Map();
  let shas: ReadonlyMap<string, string> = new Map();
  if (config.render.enabled && change.changedPaths.length > 0) {
    const inputs = await loadRenderInputs(
      { headSha: change.headSha, changed: change.changedPaths, options: { kubeVersion: config.render.kube_version, apiVersions: config.render.api_versions, roots: config.render.roots, ...(change.repo ? { isThisRepo: repositoryMatcher(change.repo.owner, change.repo.repo) } : {}) } },
      { reader: deps.reader, blobs: deps.blobs },
    );
    targets = inputs.plan.targets.map((t) => withEnvironment(t, config));
    rendered = inputs.plan.rendered;
    files = inputs.files;
    shas = inputs.shas;
    notes.push(...inputs.notes);
  }

  // Plain manifests no render reads: judged as files, as before.
  const standalone = change.files.filter((f) => !rendered.has(f.path));
  // All of them asked at once: the reader sends them as GraphQL queries of 50 blobs.
  const fileReports = mapLimit(standalone, BATCHED_READS, async (f) => {
    // The size from the tree: a file over the limit is never downloaded.
    if (f.size > DEFAULT_LIMITS.maxBytes) return tooLargeReport(f.path, f.format, f.size, DEFAULT_LIMITS.maxBytes);
    // Discovery for rendering may have read it already (the blob cache keeps it by id).
    let bytes = deps.blobs.get(f.blob);
    if (!bytes) {
      const blob = await deps.reader.readBlob(f.blob, DEFAULT_LIMITS.maxBytes, f.size);
      if ("tooLarge" in blob) return tooLargeReport(f.path, f.format, blob.tooLarge, DEFAULT_LIMITS.maxBytes);
      deps.blobs.set(f.blob, (bytes = blob.bytes));
    }
    return throughLinkReport(await deps.pool.evaluateFile({ path: f.path, format: f.format, bytes }, set), f);
  });

  // Each root once, its objects judged; the same inputs and policies are not rendered twice.
  const renders: RenderedRoot[] = [];
  const renderReports = Promise.all(
    targets.map(async (t) => {
      const key = createHash("sha256").update(JSON.stringify([set.id, t.id, t.environment ?? "", t.request, t.inputs.map((p) => [p, shas.get(p) ?? ""])])).digest("hex");
      const cached = deps.renders.get(key);
      const outcome = cached ?? (await deps.pool.render(t, Object.fromEntries(t.inputs.flatMap((p) => (files.has(p) ? [[p, files.get(p) as string | Uint8Array]] : []))), set));
      const failed = outcome.reports.some((r) => r.findings.some((f) => f.ruleId === "gitops-gate/render-error"));
      if (!cached && !failed) deps.renders.set(key, outcome);
      renders.push({ label: t.label, kind: t.kind, ...(t.environment ? { environment: t.environment } : {}), objects: outcome.render?.objects ?? 0, ms: outcome.render?.ms ?? 0, cached: Boolean(cached), failed });
      return outcome.reports;
    }),
  );
  const reports = [...(await fileReports), ...sameErrorOnce((await renderReports).flat())];
  renders.sort((a, b) => a.label.localeCompare(b.label));
  return { reports, renders, notes };
}

// A render root, rendered and judged: every object through every policy engine, each
// finding moved to the source line a person edits and labelled with the root that
// rendered it. A render that fails is an error finding at the line that caused it.
import { posix } from "node:path";
import type { HydrateEngine } from "../hydrate/engine.js";
import { RenderError } from "../hydrate/engine.js";
import { mapBack } from "../hydrate/map-back.js";
import type { RenderTarget } from "../hydrate/plan.js";
import type { SourceErrorCode } from "../hydrate/types.js";
import { parseFieldPath, SourceMap } from "../manifests/source-map.js";
import type { PolicyEngine } from "../policy/engine.js";
import type { Finding } from "../policy/types.js";
import { evaluateDocuments } from "./evaluate-file.js";
import type { RenderFiles, RenderSummary } from "./protocol.js";
import { errorFinding, type FileReport } from "./report.js";

export const RENDER_ERROR_RULE = "gitops-gate/render-error";

const REMEDIATION: Partial<Record<SourceErrorCode, string>> = {
  "remote-base": "gitops-gate renders from this repository only: vendor the remote base into the repository (or pin it as a folder here) and reference it by path.",
  "missing-dependency": "Vendor the chart's dependencies: run `helm dependency build` and commit the charts/ folder (gitops-gate never downloads charts).",
  "missing-file": "Add the missing file, or fix the path that names it.",
  "template-error": "Fix the template at this line; `helm template` fails the same way.",
  "invalid-values": "Fix the values so that they match the chart's values.schema.json.",
  "incompatible-kube-version": "Set render.kube_version in .github/gitops-gate.yml to the Kubernetes version you deploy to, or fix the chart's kubeVersion.",
  "not-allowed": "gitops-gate does not run exec plugins, lookups against a cluster or network fetches while rendering.",
};

function renderFindings(target: RenderTarget, error: RenderError): Finding[] {
  if (error.errors.length === 0) {
    return [errorFinding({ file: target.inputs[0] ?? target.root, line: 1, ruleId: RENDER_ERROR_RULE, title: "Render failed", message: `${error.message}` })];
  }
  return error.errors.map((e) => ({
    ...errorFinding({ file: e.file || target.root, line: e.line || 1, ...(e.column ? { column: e.column } : {}), ruleId: RENDER_ERROR_RULE, title: `Cannot render ${target.label}`, message: `render ${target.label}: ${e.message}` }),
    remediation: REMEDIATION[e.code] ?? "Fix the input at this line so that the render succeeds; an input that cannot be rendered is never a pass.",
  }));
}

function objectName(o: Record<string, unknown>): string {
  const meta = (o["metadata"] ?? {}) as Record<string, unknown>;
  return [o["kind"], meta["namespace"], meta["name"]].filter((x) => typeof x === "string" && x !== "").join("/");
}

export function renderAndEvaluate(
  target: RenderTarget,
  files: RenderFiles,
  hydrate: HydrateEngine,
  engines: readonly PolicyEngine[],
  options: { objects: boolean },
): { report: FileReport; render: RenderSummary } {
  const base = { path: target.label, format: target.kind };
  let result;
  try {
    result = hydrate.render({ ...target.request, files } as Parameters<HydrateEngine["render"]>[0]);
  } catch (e) {
    const error = e instanceof RenderError ? e : new RenderError(`render ${target.label}`, [], (e as Error).message);
    return {
      report: { ...base, status: "error", documents: 0, findings: renderFindings(target, error), waived: [] },
      render: { target: target.id, objects: 0, ms: 0, warnings: [], error: error.toData() },
    };
  }
  const map = new Map(Object.entries(files));
  const suffix = ` (rendered by ${target.label}${target.environment ? `, environment ${target.environment}` : ""})`;
  const findings: Finding[] = [];
  const waived: FileReport["waived"] = [];
  for (const [index, rendered] of result.objects.entries()) {
    const file = rendered.source.file ?? target.root;
    const doc = { index, line: 1, content: rendered.object, sourceMap: new SourceMap(1) };
    const report = evaluateDocuments({ path: file, format: target.kind, documents: [doc], conftestFile: { name: posix.basename(file), dir: posix.dirname(file) } }, engines);
    // On the line a person edits, labelled with the root (a waived result too: its rule may not be waivable).
    const place = (f: Finding): Finding => {
      const at = mapBack({ kind: target.kind, object: rendered.object, source: rendered.source, field: parseFieldPath(f.field), files: map, ...(target.helm ? { helm: target.helm } : {}) });
      return {
        ...f,
        file: at?.file ?? file,
        line: at?.line ?? 1,
        message: `${f.message}${suffix}`,
        details: { ...f.details, renderedBy: target.id, object: objectName(rendered.object), ...(target.environment ? { environment: target.environment } : {}) },
      };
    };
    findings.push(...report.findings.map(place));
    waived.push(...report.waived.map((w) => ({ ...w, waived: w.waived.map((m) => `${m}${suffix}`), findings: w.findings.map(place) })));
  }
  return {
    report: { ...base, status: findings.some((f) => f.kind === "error") ? "error" : result.objects.length ? "evaluated" : "empty", documents: result.objects.length, findings, waived },
    render: {
      target: target.id, objects: result.objects.length, ms: result.ms, warnings: result.warnings,
      ...(options.objects ? { manifests: result.objects.map((o) => ({ object: o.object, ...(o.source.file ? { file: o.source.file } : {}) })) } : {}),
    },
  };
}

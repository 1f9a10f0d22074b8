import type { Verdict } from "../evaluation/verdict.js";
import { MAX_ANNOTATION_MESSAGE, MAX_CHECK_OUTPUT, MAX_TITLE } from "../limits.js";
import type { Finding, PolicyProvenance } from "../policy/types.js";
import { code, link, plain, text } from "./escape.js";
import { hiddenData, readHiddenData } from "./hidden-data.js";
import { truncate } from "./truncate.js";

export interface CheckRunInput {
  readonly verdict: Verdict;
  readonly toolVersion: string;
  /** Every policy bundle that judged, with where it came from. */
  readonly policies: readonly PolicyProvenance[];
  /** Charts and overlays rendered for this change. */
  readonly renders?: ReadonlyArray<{ readonly label: string; readonly environment?: string; readonly objects: number; readonly ms: number; readonly cached: boolean; readonly failed: boolean }>;
  readonly configSources: readonly string[];
  readonly headSha: string;
  /** Extra lines for the summary (a config change that takes effect after merge, a skip reason). */
  readonly notes?: readonly string[];
}

export interface RenderedAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "failure" | "warning" | "notice";
  readonly title: string;
  readonly message: string;
}

export interface RenderedCheckRun {
  readonly conclusion: "success" | "failure";
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations: readonly RenderedAnnotation[];
}

/** What the merge pipeline reads back from a completed check run (see verdictFacts). */
export interface VerdictFacts {
  readonly v: 1;
  readonly conclusion: "success" | "failure";
  readonly headSha: string;
  readonly headline: string;
  readonly blocking: number;
  readonly denied: number;
  readonly warnings: number;
  readonly errors: number;
  readonly waived: number;
  /** Which policies judged: name, resolved commit and bundle digest of each. */
  readonly policies?: ReadonlyArray<{ readonly name: string; readonly commit?: string; readonly digest: string }>;
}

export const VERDICT_DATA = "verdict";

/** Annotations are shown as plain text: capped, without control characters. */
function annotation(f: Finding, blocking: boolean): RenderedAnnotation {
  const message = [f.message, f.remediation ? `Fix: ${f.remediation}` : "", f.docs ? `Docs: ${f.docs}` : ""].filter(Boolean).join("\n");
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    annotation_level: blocking ? "failure" : f.kind === "warn" ? "warning" : "notice",
    title: plain(`${f.title} [${f.ruleId}]`.replace(/\n/g, " "), MAX_TITLE),
    message: plain(message, MAX_ANNOTATION_MESSAGE),
  };
}

function titleOf(verdict: Verdict): string {
  const { blocking, counts } = verdict;
  if (blocking.length > 0) {
    return `${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"} in ${new Set(blocking.map((f) => f.file)).size} file(s)`;
  }
  if (counts.files === 0) return "No manifests changed";
  const rest = verdict.findings.length;
  return `Passed: ${counts.files} file(s), ${counts.documents} document(s)${rest ? `, ${rest} non-blocking finding(s)` : ""}`;
}

/** One policy source in the provenance list: enough to reproduce the verdict later. */
export function describePolicy(p: PolicyProvenance): string {
  const digest = `bundle sha256 ${code(`${p.digest.slice(0, 16)}…`)}`;
  if (!p.repo) return `${text(p.name)}: gitops-gate ${text(p.version ?? "?")}${p.packs ? ` (${p.packs.length ? p.packs.map((x) => text(x)).join(", ") : "none"})` : ""}, ${digest}`;
  return `${code(p.name)}: ${code(p.repo)} ${p.ref ? `${code(p.ref)} ` : ""}at ${code((p.commit ?? "").slice(0, 12))}${p.path ? ` (${code(`${p.path}/`)})` : ""}, ${digest}`;
}

/** The verdict → the check run: headline, counts, a table by file, provenance, annotations. */
export function renderCheckRun(input: CheckRunInput): RenderedCheckRun {
  const { verdict } = input;
  const { counts: s } = verdict;
  const failed = verdict.conclusion === "failure";
  const headline = failed ? `❌ gitops-gate: ${verdict.blocking.length} finding(s) block this change` : "✅ gitops-gate: nothing blocks this change";
  const facts: VerdictFacts = {
    v: 1, conclusion: verdict.conclusion, headSha: input.headSha, headline, blocking: verdict.blocking.length,
    denied: s.denied, warnings: s.warnings, errors: s.errors, waived: s.waived,
    policies: input.policies.map((p) => ({ name: p.name, ...(p.commit ? { commit: p.commit } : {}), digest: p.digest })),
  };
  const lines: string[] = [
    // First, so that truncation never cuts it.
    hiddenData(VERDICT_DATA, facts),
    `### ${headline}`,
    "",
    ...(input.notes ?? []).map((n) => `> ${n}`),
    ...(input.notes?.length ? [""] : []),
    `**${s.denied}** failure(s), **${s.warnings}** warning(s), **${s.errors}** error(s)${s.waived ? `, ${s.waived} exception(s)` : ""}` +
      (s.bySeverity.length ? ` · by severity: ${s.bySeverity.map(([sev, n]) => `${sev} ${n}`).join(", ")}` : ""),
    "",
  ];
  if (verdict.findings.length > 0) {
    lines.push("| File | Line | Rule | Blocks |", "|---|---:|---|---|");
    for (const { finding: f, blocks } of verdict.findings) {
      // link() escapes the title as text, which escapes `|` for the table as well.
      lines.push(`| ${code(f.file, { cell: true })} | ${f.line} | ${link(f.title, f.docs)} ${code(f.ruleId, { max: 100, cell: true })} | ${blocks ? "yes" : "no"} |`);
    }
    lines.push("");
  }
  lines.push(
    "<details><summary>What was evaluated</summary>",
    "",
    `- Head commit: ${code(input.headSha)}`,
    `- Files: ${s.files}, documents: ${s.documents}${s.emptyFiles ? `, ${s.emptyFiles} with nothing to evaluate` : ""}`,
    ...(input.renders?.length
      ? [
          "- Rendered (what Argo CD or Flux will apply):",
          ...input.renders.map((r) => `  - ${code(r.label)}${r.environment ? ` (environment ${text(r.environment, 100)})` : ""}: ${r.failed ? "failed, see the findings" : `${r.objects} object(s)`}${r.cached ? ", from the render cache" : `, ${Math.round(r.ms)} ms`}`),
        ]
      : []),
    "- Policies:",
    ...input.policies.map((p) => `  - ${describePolicy(p)}`),
    `- Config: ${input.configSources.map((s) => text(s, 400)).join(" over ")}`,
    `- Blocking: ${verdict.blockOn.map((b) => text(b)).join(", ")}`,
    "",
    "</details>",
  );
  const details = verdict.findings.length
    ? verdict.findings.map(({ finding: f }) => `- ${code(`${f.file}:${f.line}`)} **${text(f.title, 200)}** (${code(f.ruleId, { max: 100 })}, ${text(f.severity)}): ${text(f.message, 2000)}${f.remediation ? ` — ${text(f.remediation)}` : ""}`).join("\n")
    : undefined;
  return {
    conclusion: verdict.conclusion,
    title: truncate(titleOf(verdict), MAX_TITLE, "…"),
    summary: truncate(lines.join("\n"), MAX_CHECK_OUTPUT),
    ...(details ? { text: truncate(details, MAX_CHECK_OUTPUT) } : {}),
    annotations: verdict.findings.map(({ finding, blocks }) => annotation(finding, blocks)),
  };
}

/** The facts a completed check run of this App carries, read back from its summary. */
export function verdictFacts(summary: string): VerdictFacts | undefined {
  const data = readHiddenData(VERDICT_DATA, summary) as Partial<VerdictFacts> | undefined;
  if (!data || data.v !== 1 || (data.conclusion !== "success" && data.conclusion !== "failure")) return undefined;
  const n = (x: unknown): number => (typeof x === "number" && Number.isFinite(x) ? x : 0);
  return {
    v: 1, conclusion: data.conclusion, headSha: String(data.headSha ?? ""), headline: String(data.headline ?? ""),
    blocking: n(data.blocking), denied: n(data.denied), warnings: n(data.warnings), errors: n(data.errors), waived: n(data.waived),
    policies: (Array.isArray(data.policies) ? data.policies : [])
      .filter((p): p is { name: string; commit?: string; digest: string } => typeof p?.name === "string" && typeof p?.digest === "string")
      .map((p) => ({ name: p.name, digest: p.digest, ...(typeof p.commit === "string" ? { commit: p.commit } : {}) })),
  };
}

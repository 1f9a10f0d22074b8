import type { JudgedFinding, Verdict } from "../evaluation/verdict.js";
import type { WaiverInput } from "../waivers/apply.js";
import { MAX_ANNOTATION_MESSAGE, MAX_CHECK_OUTPUT, MAX_TITLE } from "../limits.js";
import type { PolicyProvenance } from "../policy/types.js";
import type { WaiverFact } from "../release/record.js";
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
  /** When compared with the base: findings the change introduces, and findings it kept. */
  readonly new?: number;
  readonly preExisting?: number;
  /** The waivers-file entries that waived findings of this change. */
  readonly waivers?: readonly WaiverFact[];
}

export type { WaiverFact } from "../release/record.js";

/** Waivers kept in the hidden data: enough for any release record, short of GitHub's limit. */
const MAX_WAIVER_FACTS = 50;

export const VERDICT_DATA = "verdict";

/** "waived until 2027-03-31 (owner @acme/sre): reason", for annotations (plain text). */
export function waiverNote(w: WaiverInput): string {
  return `waived until ${w.expires ?? "?"} (owner ${w.owner ?? "?"}): ${w.reason ?? ""}`;
}

/** The status column: new, pre-existing, or waived (with what waives it). */
export function statusOf(j: JudgedFinding): string {
  if (j.waiver) return `waived until ${j.waiver.expires ?? "?"} (${j.waiver.owner ?? "?"})`;
  return j.baseline ?? "";
}

/** Annotations are shown as plain text: capped, without control characters (baselines use the same). */
export function annotation(j: JudgedFinding): RenderedAnnotation {
  const { finding: f, blocks: blocking } = j;
  // Pre-existing and waived findings are listed, not pressed: a notice on the line.
  const quiet = Boolean(j.waiver) || j.baseline === "pre-existing";
  const lead = j.waiver ? `Waiver: ${waiverNote(j.waiver)}` : j.baseline === "pre-existing" ? "Pre-existing: the base branch has this finding too." : "";
  const message = [lead, f.message, f.remediation ? `Fix: ${f.remediation}` : "", f.docs ? `Docs: ${f.docs}` : ""].filter(Boolean).join("\n");
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    annotation_level: blocking ? "failure" : quiet ? "notice" : f.kind === "warn" ? "warning" : "notice",
    title: plain(`${f.title} [${f.ruleId}]${j.waiver ? " (waived)" : j.baseline === "pre-existing" ? " (pre-existing)" : ""}`.replace(/\n/g, " "), MAX_TITLE),
    message: plain(message, MAX_ANNOTATION_MESSAGE),
  };
}

/** The waivers in force for this change, for the hidden data (and from there the release record). */
export function waiverFacts(verdict: Verdict): WaiverFact[] {
  return verdict.waivers
    .filter((w) => w.state === "active" && w.waived > 0)
    .slice(0, MAX_WAIVER_FACTS)
    .map(({ entry: e, waived }) => ({ rule: e.rule ?? "", resources: e.resources, paths: e.paths, reason: e.reason ?? "", owner: e.owner ?? "", expires: e.expires ?? "", waived }));
}

/** Tables of the waivers in force and the waivers awaiting approval. */
function waiverLines(verdict: Verdict): string[] {
  const lines: string[] = [];
  const scope = (e: WaiverInput) => [...e.resources, ...e.paths].map((x) => code(x, { max: 300, cell: true })).join(", ");
  const active = verdict.waivers.filter((w) => w.state === "active" && w.waived > 0);
  if (active.length) {
    lines.push("#### Waivers in force", "", "| Rule | Resources / paths | Owner | Expires | Reason | Waives |", "|---|---|---|---|---|---:|");
    for (const { entry: e, waived } of active) lines.push(`| ${code(e.rule ?? "", { max: 200, cell: true })} | ${scope(e)} | ${text(e.owner ?? "", 200)} | ${text(e.expires ?? "", 40)} | ${text(e.reason ?? "", 500)} | ${waived} |`);
    lines.push("");
  }
  const pending = verdict.waivers.filter((w) => w.state === "pending");
  if (pending.length) {
    const who = verdict.waiverSet?.approvers;
    lines.push("#### Waivers awaiting approval", "", `These apply once a waiver approver${who ? ` (${text(who, 500)})` : ""} other than the author approves this pull request at its head commit:`, "");
    for (const { entry: e } of pending) lines.push(`- ${code(e.rule ?? "?", { max: 200 })} ${scope(e)}: owner ${text(e.owner ?? "?", 200)}, expires ${text(e.expires ?? "?", 40)}, “${text(e.reason ?? "", 500)}” (${code(verdict.waiverSet?.path ?? "")} line ${e.line})`);
    lines.push("");
  }
  return lines;
}

function titleOf(verdict: Verdict): string {
  const { blocking, counts } = verdict;
  if (blocking.length > 0) {
    return `${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"} in ${new Set(blocking.map((f) => f.file)).size} file(s)`;
  }
  if (counts.files === 0 && verdict.findings.length === 0) return "No manifests changed";
  const old = counts.preExisting ?? 0;
  const rest = verdict.nonBlocking.length - old;
  const parts = [old ? `${old} pre-existing finding(s)` : "", rest ? `${rest} non-blocking finding(s)` : "", counts.waived ? `${counts.waived} waived` : ""].filter(Boolean);
  return `Passed: ${counts.files} file(s), ${counts.documents} document(s)${parts.length ? `, ${parts.join(", ")}` : ""}`;
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
    ...(s.new !== undefined ? { new: s.new, preExisting: s.preExisting ?? 0 } : {}),
    waivers: waiverFacts(verdict),
  };
  const lines: string[] = [
    // First, so that truncation never cuts it.
    hiddenData(VERDICT_DATA, facts),
    `### ${headline}`,
    "",
    ...(input.notes ?? []).map((n) => `> ${n}`),
    ...(input.notes?.length ? [""] : []),
    `**${s.denied}** failure(s), **${s.warnings}** warning(s), **${s.errors}** error(s)` +
      (s.new !== undefined ? ` · **${s.new}** new, **${s.preExisting ?? 0}** pre-existing` : "") +
      (s.waived ? `, **${s.waived}** waived` : "") +
      (s.bySeverity.length ? ` · by severity: ${s.bySeverity.map(([sev, n]) => `${sev} ${n}`).join(", ")}` : ""),
    "",
    ...(verdict.mode === "new" && s.preExisting
      ? [`Only findings this change introduces block (\`verdict: new\`): the ${s.preExisting} pre-existing finding(s) were on the base branch already and are listed, not blocking.`, ""]
      : []),
  ];
  if (verdict.findings.length > 0) {
    lines.push("| File | Line | Rule | Status | Blocks |", "|---|---:|---|---|---|");
    for (const j of verdict.findings) {
      const f = j.finding;
      // link() and text() escape for the table as well (`|`, newlines).
      lines.push(`| ${code(f.file, { cell: true })} | ${f.line} | ${link(f.title, f.docs)} ${code(f.ruleId, { max: 100, cell: true })} | ${text(statusOf(j), 200)} | ${j.blocks ? "yes" : "no"} |`);
    }
    lines.push("");
  }
  lines.push(...waiverLines(verdict));
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
    `- Blocking: ${verdict.blockOn.map((b) => text(b)).join(", ")}${verdict.mode === "new" ? " (new findings only: `verdict: new`)" : ""}`,
    ...(verdict.exceptions.length ? [`- conftest exceptions honoured: ${verdict.exceptions.length} (${[...new Set(verdict.exceptions.map((w) => `${w.namespace}/${w.rule}`))].map((x) => code(x, { max: 200 })).join(", ")})`] : []),
    "",
    "</details>",
  );
  const details = verdict.findings.length
    ? verdict.findings
        .map((j) => {
          const f = j.finding;
          const status = statusOf(j);
          return `- ${code(`${f.file}:${f.line}`)} **${text(f.title, 200)}** (${code(f.ruleId, { max: 100 })}, ${text(f.severity)}${status ? `, ${text(status, 200)}` : ""}): ${text(f.message, 2000)}${f.remediation ? ` — ${text(f.remediation)}` : ""}`;
        })
        .join("\n")
    : undefined;
  return {
    conclusion: verdict.conclusion,
    title: truncate(titleOf(verdict), MAX_TITLE, "…"),
    summary: truncate(lines.join("\n"), MAX_CHECK_OUTPUT),
    ...(details ? { text: truncate(details, MAX_CHECK_OUTPUT) } : {}),
    annotations: verdict.findings.map(annotation),
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
    ...(typeof data.new === "number" ? { new: n(data.new), preExisting: n(data.preExisting) } : {}),
    waivers: (Array.isArray(data.waivers) ? data.waivers : []).flatMap((w): WaiverFact[] => {
      const strings = (x: unknown) => (Array.isArray(x) ? x.filter((v): v is string => typeof v === "string") : []);
      if (typeof w?.rule !== "string" || typeof w.owner !== "string" || typeof w.expires !== "string") return [];
      return [{ rule: w.rule, resources: strings(w.resources), paths: strings(w.paths), reason: String(w.reason ?? ""), owner: w.owner, expires: w.expires, waived: n(w.waived) }];
    }),
  };
}

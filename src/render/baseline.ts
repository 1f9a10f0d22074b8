// The baseline of the default branch (issue 15): the whole tree judged, as a
// `gitops-gate/baseline` check run on its head. Counts by rule and by file, the same
// annotations as a pull request's check, and what changed since the previous baseline (new
// and resolved findings). The finding keys travel as hidden data at the top of the run's
// text, so the next baseline diffs against them without trusting memory. Pure.
import { createHash } from "node:crypto";
import { baselineKey } from "../evaluation/baseline.js";
import type { Verdict } from "../evaluation/verdict.js";
import { MAX_BASELINE_ANNOTATIONS, MAX_CHECK_OUTPUT, MAX_TITLE } from "../limits.js";
import type { Finding, PolicyProvenance } from "../policy/types.js";
import { annotation, describePolicy, type RenderedAnnotation } from "./check-run.js";
import { code, link, plain, text } from "./escape.js";
import { hiddenData, readHiddenData } from "./hidden-data.js";
import { truncate } from "./truncate.js";

export const BASELINE_DATA = "baseline";
/** Room the hidden data may take in the run's text; the rest of the keys are counted, not kept. */
const KEYS_BUDGET = 60_000;
/** Rows of the by-rule and by-file tables. */
const MAX_ROWS = 50;
/** New and resolved findings listed by name. */
const MAX_LISTED = 100;

/** What a baseline keeps for the next one. */
export interface BaselineFacts {
  readonly v: 1;
  readonly headSha: string;
  readonly policies: ReadonlyArray<{ readonly name: string; readonly commit?: string; readonly digest: string }>;
  /** The config's blob at the head (its changes are a reason for a baseline). */
  readonly configSha: string | null;
  readonly total: number;
  /** Findings kept: [key digest, index in rules, index in files]. */
  readonly keys: ReadonlyArray<readonly [string, number, number]>;
  readonly rules: readonly string[];
  readonly files: readonly string[];
  /** More findings than `keys` holds (the diff is partial then). */
  readonly capped: boolean;
}

export interface BaselineDiff {
  readonly previous: { readonly headSha: string; readonly url: string } | undefined;
  readonly added: ReadonlyArray<{ readonly rule: string; readonly file: string }>;
  readonly resolved: ReadonlyArray<{ readonly rule: string; readonly file: string }>;
  /** Either side kept only part of its keys. */
  readonly partial: boolean;
}

/** A finding's identity across baselines (rule, resource or document, field), short. */
function digestOf(f: Finding, nth: number): string {
  return createHash("sha256").update(`${baselineKey(f)}\u0000${nth}`).digest("hex").slice(0, 12);
}

/** Keys of a set of findings; a second identical finding gets its own key. */
export function findingKeys(findings: readonly Finding[]): Array<{ key: string; rule: string; file: string }> {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = baselineKey(f);
    const nth = seen.get(base) ?? 0;
    seen.set(base, nth + 1);
    return { key: digestOf(f, nth), rule: f.ruleId, file: f.file };
  });
}

/** The facts to keep, within the budget of the run's text. */
export function baselineFacts(params: { headSha: string; policies: readonly PolicyProvenance[]; configSha: string | null; findings: readonly Finding[] }): BaselineFacts {
  const keys: Array<readonly [string, number, number]> = [];
  const rules: string[] = [];
  const files: string[] = [];
  const index = (list: string[], s: string) => {
    const i = list.indexOf(s);
    return i >= 0 ? i : list.push(s) - 1;
  };
  let size = 500;
  let capped = false;
  for (const k of findingKeys(params.findings)) {
    size += 24 + (rules.includes(k.rule) ? 0 : k.rule.length + 4) + (files.includes(k.file) ? 0 : k.file.length + 4);
    if (size > KEYS_BUDGET) {
      capped = true;
      break;
    }
    keys.push([k.key, index(rules, k.rule), index(files, k.file)]);
  }
  return {
    v: 1, headSha: params.headSha, configSha: params.configSha, total: params.findings.length, keys, rules, files, capped,
    policies: params.policies.map((p) => ({ name: p.name, ...(p.commit ? { commit: p.commit } : {}), digest: p.digest })),
  };
}

/** The facts a baseline run holds, read back from its text. */
export function readBaselineFacts(textOfRun: string): BaselineFacts | undefined {
  const d = readHiddenData(BASELINE_DATA, textOfRun) as Partial<BaselineFacts> | undefined;
  if (!d || d.v !== 1 || typeof d.headSha !== "string" || !Array.isArray(d.keys) || !Array.isArray(d.rules) || !Array.isArray(d.files)) return undefined;
  const str = (xs: unknown[]) => xs.map((x) => String(x));
  return {
    v: 1, headSha: d.headSha, configSha: typeof d.configSha === "string" ? d.configSha : null, total: Number(d.total) || 0, capped: Boolean(d.capped),
    rules: str(d.rules), files: str(d.files),
    keys: d.keys.filter((k): k is [string, number, number] => Array.isArray(k) && typeof k[0] === "string" && typeof k[1] === "number" && typeof k[2] === "number"),
    policies: (Array.isArray(d.policies) ? d.policies : []).filter((p) => typeof p?.name === "string" && typeof p.digest === "string"),
  };
}

/** New and resolved findings between the previous baseline's facts and this one's. */
export function diffBaselines(previous: BaselineFacts | undefined, current: BaselineFacts, where?: { url: string }): BaselineDiff {
  if (!previous) return { previous: undefined, added: [], resolved: [], partial: false };
  const named = (f: BaselineFacts) => new Map(f.keys.map(([k, r, file]) => [k, { rule: f.rules[r] ?? "?", file: f.files[file] ?? "?" }]));
  const before = named(previous);
  const now = named(current);
  return {
    previous: { headSha: previous.headSha, url: where?.url ?? "" },
    added: [...now].filter(([k]) => !before.has(k)).map(([, v]) => v),
    resolved: [...before].filter(([k]) => !now.has(k)).map(([, v]) => v),
    partial: previous.capped || current.capped,
  };
}

/** Whether the policies that judged differ (a source moved to a new commit, a pack changed). */
export function samePolicies(a: BaselineFacts["policies"], b: BaselineFacts["policies"]): boolean {
  const key = (ps: BaselineFacts["policies"]) => ps.map((p) => `${p.name}@${p.commit ?? ""}#${p.digest}`).sort().join("\n");
  return key(a) === key(b);
}

function table(title: string, counts: Map<string, number>, codeCell: boolean): string[] {
  if (counts.size === 0) return [];
  const rows = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return [
    `| ${title} | Findings |`, "|---|---:|",
    ...rows.slice(0, MAX_ROWS).map(([k, n]) => `| ${codeCell ? code(k, { cell: true }) : text(k, 300)} | ${n} |`),
    ...(rows.length > MAX_ROWS ? [`| … ${rows.length - MAX_ROWS} more | ${rows.slice(MAX_ROWS).reduce((s, [, n]) => s + n, 0)} |`] : []),
    "",
  ];
}

export interface RenderedBaseline {
  readonly conclusion: "success" | "neutral";
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotations: readonly RenderedAnnotation[];
}

/** The baseline check run. */
export function renderBaseline(input: {
  verdict: Verdict; facts: BaselineFacts; diff: BaselineDiff; policies: readonly PolicyProvenance[]; branch: string; reason: string; notes?: readonly string[];
}): RenderedBaseline {
  const { verdict, diff } = input;
  const findings = verdict.findings.map((j) => j.finding);
  const byRule = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const f of findings) {
    byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    byFile.set(f.file, (byFile.get(f.file) ?? 0) + 1);
  }
  const all = verdict.findings.map(annotation);
  const annotations = all.slice(0, MAX_BASELINE_ANNOTATIONS);
  const s = verdict.counts;
  const listed = (xs: BaselineDiff["added"]) => [...xs.slice(0, MAX_LISTED).map((x) => `- ${code(x.rule, { max: 100 })} in ${code(x.file)}`), ...(xs.length > MAX_LISTED ? [`- … and ${xs.length - MAX_LISTED} more`] : [])];
  const lines = [
    `### 📋 Baseline of ${code(input.branch, { max: 255 })} at ${code(input.facts.headSha.slice(0, 12))}: ${findings.length} finding(s) in ${byFile.size} file(s)`,
    "",
    ...(input.notes ?? []).map((n) => `> ${n}`),
    ...(input.notes?.length ? [""] : []),
    `Why now: ${text(input.reason, 300)}. The whole tree of the default branch, judged by the built-in and configured policies as a pull request would be; every finding is listed, whoever introduced it. This run reports and blocks nothing.`,
    "",
    `**${s.denied}** failure(s), **${s.warnings}** warning(s), **${s.errors}** error(s) · ${s.files} file(s), ${s.documents} document(s)`,
    "",
    "#### Since the previous baseline",
    "",
    ...(diff.previous
      ? [
          `Compared with the baseline at ${code(diff.previous.headSha.slice(0, 12))}${diff.previous.url ? ` (${link("check run", diff.previous.url)})` : ""}: **${diff.added.length}** new, **${diff.resolved.length}** resolved.${diff.partial ? " More findings than a baseline keeps: the comparison covers the findings kept." : ""}`,
          "",
          ...(diff.added.length ? ["New:", ...listed(diff.added), ""] : []),
          ...(diff.resolved.length ? ["Resolved:", ...listed(diff.resolved), ""] : []),
        ]
      : ["No previous baseline on this branch: this one is the first to compare with.", ""]),
    ...(findings.length ? ["#### By rule", "", ...table("Rule", byRule, true), "#### By file", "", ...table("File", byFile, true)] : []),
    ...(all.length > annotations.length ? [`> ${all.length} findings; the first ${annotations.length} are annotated (the limit a run publishes, see \`MAX_BASELINE_ANNOTATIONS\`), the rest are counted above.`, ""] : []),
    "<details><summary>Policies</summary>",
    "",
    ...input.policies.map((p) => `- ${describePolicy(p)}`),
    "",
    "</details>",
  ];
  const details = verdict.findings.map((j) => `- ${code(`${j.finding.file}:${j.finding.line}`)} ${code(j.finding.ruleId, { max: 100 })}: ${text(j.finding.message, 500)}`).join("\n");
  // The hidden data first: a cut of the text never loses it.
  const hidden = hiddenData(BASELINE_DATA, input.facts);
  return {
    conclusion: verdict.blocking.length ? "neutral" : "success",
    title: plain(truncate(`Baseline: ${findings.length} finding(s)${diff.previous ? `, ${diff.added.length} new, ${diff.resolved.length} resolved` : ""}`, MAX_TITLE, "…"), MAX_TITLE),
    summary: truncate(lines.join("\n"), MAX_CHECK_OUTPUT),
    text: truncate(`${hidden}\n${details}`, MAX_CHECK_OUTPUT),
    annotations,
  };
}

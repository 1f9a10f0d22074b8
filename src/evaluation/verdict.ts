// The verdict on a set of file reports, decided once: which findings block, which are new
// or were there before, which a waiver or a conftest exception waives, in which order they
// are read, and the counts every output shows. Renderers only format it.
import { exceptionName } from "../policy/build/rules.js";
import type { Finding, Severity, WaivedResult } from "../policy/types.js";
import { SEVERITIES } from "../policy/types.js";
import { ALWAYS_BLOCKING, applyWaivers, WAIVER_RULES, type WaiverInput, type WaiverSet, type WaiverStatus } from "../waivers/apply.js";
import { preExisting } from "./baseline.js";
import type { FileReport } from "./report.js";

/** Kinds (`deny`, `warn`) and severities that make a finding block. */
export type BlockOn = readonly ("deny" | "warn" | Severity)[];

/** The outcome of a run over many files, as every output format needs it. */
export interface Counts {
  readonly files: number;
  readonly documents: number;
  /** Findings not waived, by kind (pre-existing ones included). */
  readonly denied: number;
  readonly warnings: number;
  readonly errors: number;
  /** Waived by a conftest `exception` or by the waivers file. */
  readonly waived: number;
  readonly passedFiles: number;
  readonly emptyFiles: number;
  /** Findings per severity, most severe first, zeros left out. */
  readonly bySeverity: ReadonlyArray<readonly [Severity, number]>;
  /** When the change was compared with its base: findings not waived that it introduces, and that were there before. */
  readonly new?: number;
  readonly preExisting?: number;
}

/** A finding with the decisions taken about it. */
export interface JudgedFinding {
  readonly finding: Finding;
  readonly blocks: boolean;
  /** Set when the change was compared with its base. */
  readonly baseline?: "new" | "pre-existing";
  /** The waivers-file entry that waives it. */
  readonly waiver?: WaiverInput;
}

export interface Verdict {
  readonly conclusion: "success" | "failure";
  /** Every finding in reading order: by file, then line, then rule. Waived ones included. */
  readonly findings: readonly JudgedFinding[];
  readonly blocking: readonly Finding[];
  /** Findings that do not block, waived ones left out. */
  readonly nonBlocking: readonly Finding[];
  /** True when a file could not be parsed or evaluated (the CLI's exit code 2). */
  readonly hasErrors: boolean;
  readonly counts: Counts;
  readonly blockOn: BlockOn;
  /** `new`: pre-existing findings do not block; `all`: they do. */
  readonly mode: "new" | "all";
  readonly reports: readonly FileReport[];
  /** Results waived by conftest `exception` rules (those of rules that can be waived). */
  readonly exceptions: readonly WaivedResult[];
  /** The waivers-file entries that matter to this change: added or changed by it, or naming one of its findings. */
  readonly waivers: readonly WaiverStatus[];
  /** The waivers file as evaluated, when there was one. */
  readonly waiverSet?: WaiverSet;
}

export interface VerdictOptions {
  /** The base's reports (same policies, same roots): findings it had too are pre-existing. */
  readonly base?: { readonly reports: readonly FileReport[]; readonly renames?: ReadonlyMap<string, string> };
  /** `new` blocks only on findings the change introduces (needs `base`); default `all`. */
  readonly mode?: "new" | "all";
  readonly waivers?: WaiverSet;
  /** Rule ids nothing may waive (METADATA `custom.waivable: false`, config `waivers.never`). */
  readonly never?: ReadonlySet<string>;
}

/** Which findings block a merge by `block_on`: errors always; the rest by kind, or a deny by its severity. */
export function blocks(finding: Finding, blockOn: BlockOn): boolean {
  if (finding.kind === "error" || ALWAYS_BLOCKING.has(finding.ruleId)) return true;
  return blockOn.includes(finding.kind) || (finding.kind === "deny" && blockOn.includes(finding.severity));
}

function compare(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

/**
 * conftest exceptions, honoured unless the rule cannot be waived: then the finding stands,
 * with a blocking finding about the exception beside it.
 */
function exceptionsOf(reports: readonly FileReport[], cannotWaive: (f: Finding) => boolean): { findings: Finding[]; exceptions: WaivedResult[] } {
  const findings: Finding[] = [];
  const exceptions: WaivedResult[] = [];
  for (const r of reports) {
    findings.push(...r.findings);
    for (const w of r.waived) {
      const standing = w.findings.filter(cannotWaive);
      // The exception is honoured for what it may waive; what it may not stands (and an
      // exception left waiving nothing it found is not counted as one). Messages and
      // findings are index-aligned.
      if (!standing.length) exceptions.push(w);
      else if (standing.length < w.findings.length) {
        const keep = w.findings.map((f) => !cannotWaive(f));
        exceptions.push({ ...w, findings: w.findings.filter((_, i) => keep[i]), waived: w.waived.filter((_, i) => keep[i]) });
      }
      for (const f of standing) findings.push(f, {
        ruleId: WAIVER_RULES.exceptionNotAllowed, kind: "deny", severity: "high", title: "Rule cannot be waived by an exception",
        message: `A conftest \`exception\` in package \`${w.namespace}\` waives \`${f.ruleId}\`, which cannot be waived (config \`waivers.never\`, the rule's METADATA \`custom.waivable: false\`, or this result); the finding stands: ${f.message}`,
        file: f.file, line: f.line,
        ...(f.document !== undefined ? { document: f.document } : {}),
        ...(f.field ? { field: f.field } : {}),
        ...(f.resource ? { resource: f.resource } : {}),
        ...(f.details ? { details: f.details } : {}),
        remediation: `Remove \`${exceptionName(w.rule)}\` from the package's \`exception\` rule and fix the finding.`,
      });
    }
  }
  return { findings, exceptions };
}

function count(reports: readonly FileReport[], judged: readonly JudgedFinding[], exceptions: number, compared: boolean): Counts {
  let documents = 0, passedFiles = 0, emptyFiles = 0;
  for (const r of reports) {
    documents += r.documents;
    if (r.status === "empty") emptyFiles++;
    else if (r.status === "evaluated" && !r.findings.some((f) => f.kind !== "warn")) passedFiles++;
  }
  const standing = judged.filter((j) => !j.waiver);
  const findings = standing.map((j) => j.finding);
  const of = (kind: Finding["kind"]) => findings.filter((f) => f.kind === kind).length;
  const bySeverity = SEVERITIES.map((sev) => [sev, findings.filter((f) => f.severity === sev).length] as const).filter(([, n]) => n > 0);
  return {
    files: reports.length, documents, denied: of("deny"), warnings: of("warn"), errors: of("error"), waived: exceptions + (judged.length - standing.length),
    passedFiles, emptyFiles, bySeverity,
    ...(compared ? { new: standing.filter((j) => j.baseline === "new").length, preExisting: standing.filter((j) => j.baseline === "pre-existing").length } : {}),
  };
}

export function decideVerdict(reports: readonly FileReport[], blockOn: BlockOn, options: VerdictOptions = {}): Verdict {
  const never = options.never ?? new Set<string>();
  const cannotWaive = (f: Finding) => f.waivable === false || never.has(f.ruleId);
  // 1. conftest exceptions, unless the rule cannot be waived.
  const head = exceptionsOf(reports, cannotWaive);
  // 2. New or pre-existing, against the base judged the same way.
  const compared = options.base !== undefined;
  const before = options.base ? preExisting(head.findings, exceptionsOf(options.base.reports, cannotWaive).findings, options.base.renames) : new Set<Finding>();
  // 3. The waivers file: what it waives, and findings about the waivers themselves.
  const applied = options.waivers ? applyWaivers(head.findings, options.waivers, never) : undefined;
  // A finding about a waiver is new when the change adds or changes the waiver, or when the
  // waiver names a finding the change introduces; else it was the base's already.
  const problemBaseline = new Map(applied?.problems.map((p) => [p.finding, p.origin === "new" || p.names.some((f) => !before.has(f)) ? ("new" as const) : ("pre-existing" as const)]) ?? []);
  // 4. One decision per finding.
  const mode = compared ? (options.mode ?? "all") : "all";
  const all = [...head.findings, ...problemBaseline.keys()].sort(compare);
  const findings: JudgedFinding[] = all.map((finding) => {
    const waiver = applied?.waived.get(finding);
    const about = problemBaseline.get(finding);
    const baseline = !compared ? undefined : (about ?? (before.has(finding) ? "pre-existing" : "new"));
    const blocking = !waiver && blocks(finding, blockOn) && !(mode === "new" && baseline === "pre-existing");
    return { finding, blocks: blocking, ...(baseline ? { baseline } : {}), ...(waiver ? { waiver } : {}) };
  });
  const blocking = findings.filter((j) => j.blocks).map((j) => j.finding);
  return {
    conclusion: blocking.length > 0 ? "failure" : "success",
    findings,
    blocking,
    nonBlocking: findings.filter((j) => !j.blocks && !j.waiver).map((j) => j.finding),
    hasErrors: all.some((f) => f.kind === "error"),
    counts: count(reports, findings, head.exceptions.length, compared),
    blockOn,
    mode,
    reports,
    exceptions: head.exceptions,
    waivers: applied?.statuses.filter((s) => s.entry.origin === "new" || s.matched > 0) ?? [],
    ...(options.waivers ? { waiverSet: options.waivers } : {}),
  };
}

// Which findings the waivers file waives, and what is wrong with the waivers themselves.
// Pure: findings, entries (with where they come from and whether they were approved) and
// today's date in; the waived findings, each entry's state and the findings about waivers
// out. The verdict (evaluation/verdict.ts) calls this and decides what blocks.
import { globMatcher } from "../config/glob.js";
import type { Finding, RuleMetadata } from "../policy/types.js";
import type { WaiverEntry } from "./parse.js";

/** Findings about waivers, as rule ids. */
export const WAIVER_RULES = {
  invalid: "gitops-gate/waiver-invalid",
  expired: "gitops-gate/waiver-expired",
  unused: "gitops-gate/waiver-unused",
  pending: "gitops-gate/waiver-pending",
  notAllowed: "gitops-gate/waiver-not-allowed",
  exceptionNotAllowed: "gitops-gate/exception-not-allowed",
} as const;

/** Findings that block whatever `block_on` says: an unapproved or forbidden exception is never a pass. */
export const ALWAYS_BLOCKING: ReadonlySet<string> = new Set([WAIVER_RULES.pending, WAIVER_RULES.notAllowed, WAIVER_RULES.exceptionNotAllowed]);

export interface WaiverInput extends WaiverEntry {
  /** `base`: on the base branch as it is; `new`: added or changed by this change. */
  readonly origin: "base" | "new";
  /** A new entry counts only once approved (always true for `base`). */
  readonly approved: boolean;
}

export interface WaiverSet {
  /** The waivers file's path, where findings about waivers land. */
  readonly path: string;
  readonly entries: readonly WaiverInput[];
  /** `YYYY-MM-DD` (UTC). */
  readonly today: string;
  readonly maxDays: number;
  /** The file could not be read as a list of waivers: none applies. */
  readonly error?: { readonly line: number; readonly message: string };
  /** Who may approve new waivers, in words ("@acme/sre (CODEOWNERS)"), for the pending message. */
  readonly approvers?: string;
  /** Waiver approvers whose review approved the head commit. */
  readonly approvedBy?: readonly string[];
}

export type WaiverState = "active" | "pending" | "expired" | "too-long" | "invalid" | "not-allowed";

export interface WaiverStatus {
  readonly entry: WaiverInput;
  readonly state: WaiverState;
  /** Findings of this change the entry names. */
  readonly matched: number;
  /** Of those, the ones it waives. */
  readonly waived: number;
}

/** Rule ids nothing may waive: METADATA `custom.waivable: false`, and config `waivers.never`. */
export function nonWaivableRules(rules: readonly RuleMetadata[], never: readonly string[]): ReadonlySet<string> {
  return new Set([...rules.filter((r) => r.waivable === false).map((r) => r.id), ...never]);
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function scope(entry: WaiverEntry): (f: Finding) => boolean {
  const resource = entry.resources.length ? globMatcher(entry.resources) : undefined;
  const path = entry.paths.length ? globMatcher(entry.paths) : undefined;
  // Both given: the finding must be about one of the objects, in one of the files.
  return (f) => f.ruleId === entry.rule && (!resource || (f.resource !== undefined && resource(f.resource))) && (!path || path(f.file));
}

function stateOf(entry: WaiverInput, set: WaiverSet, never: ReadonlySet<string>): WaiverState {
  if (entry.problems.length || !entry.expires) return "invalid";
  if (entry.expires < set.today) return "expired";
  if (entry.expires > addDays(set.today, set.maxDays)) return "too-long";
  if (never.has(entry.rule as string)) return "not-allowed";
  return entry.origin === "new" && !entry.approved ? "pending" : "active";
}

function describe(e: WaiverEntry): string {
  const what = [...e.resources, ...e.paths].join(", ");
  return `waiver for \`${e.rule ?? "?"}\`${what ? ` (${what})` : ""}`;
}

/** A finding about a waiver, at its line in the waivers file. */
function about(set: WaiverSet, line: number, ruleId: string, kind: "deny" | "warn", title: string, message: string, remediation: string): Finding {
  return { ruleId, kind, severity: kind === "deny" ? "high" : "medium", title, message, file: set.path, line, remediation };
}

export interface WaiverOutcome {
  /** Findings waived, with the entry that waives each. */
  readonly waived: ReadonlyMap<Finding, WaiverInput>;
  /** Findings about waivers, with the origin of the entry each is about and the findings it names. */
  readonly problems: ReadonlyArray<{ readonly finding: Finding; readonly origin: "base" | "new"; readonly names: readonly Finding[] }>;
  readonly statuses: readonly WaiverStatus[];
}

/**
 * Applies the waivers to the findings of a change. An entry waives a finding of its rule in
 * its resources and/or paths when it is complete, not expired, at most `maxDays` ahead,
 * approved when new, and its rule (and that finding) can be waived. Entries this change adds
 * or changes are reported whatever their problem; entries already on the base branch only
 * when they name a finding of this change.
 */
export function applyWaivers(findings: readonly Finding[], set: WaiverSet, never: ReadonlySet<string>): WaiverOutcome {
  const waived = new Map<Finding, WaiverInput>();
  const problems: Array<{ finding: Finding; origin: "base" | "new"; names: readonly Finding[] }> = [];
  if (set.error) {
    const finding = about(set, set.error.line, WAIVER_RULES.invalid, "warn", "Waivers file cannot be read", `${set.error.message}; no waiver in it applies`, "Make the file a YAML list of waivers (- rule: …, reason: …, owner: …, expires: YYYY-MM-DD).");
    return { waived, problems: [{ finding, origin: "new", names: [] }], statuses: [] };
  }
  const judgeable = findings.filter((f) => f.kind !== "error" && !f.ruleId.startsWith("gitops-gate/"));
  const statuses: WaiverStatus[] = [];
  const named = new Map<WaiverInput, Finding[]>();
  const forbiddenHits = new Map<WaiverInput, Finding[]>();
  for (const entry of set.entries) {
    const state = stateOf(entry, set, never);
    const matches = entry.rule ? judgeable.filter(scope(entry)) : [];
    let count = 0;
    for (const f of matches) {
      if (state !== "active" || waived.has(f)) continue;
      if (f.waivable === false) forbiddenHits.set(entry, [...(forbiddenHits.get(entry) ?? []), f]);
      else {
        waived.set(f, entry);
        count++;
      }
    }
    statuses.push({ entry, state, matched: matches.length, waived: count });
    named.set(entry, matches);
  }
  for (const s of statuses) {
    const { entry, state } = s;
    const report = entry.origin === "new" || s.matched > 0;
    if (!report) continue;
    const at = (ruleId: string, kind: "deny" | "warn", title: string, message: string, remediation: string) =>
      problems.push({ finding: about(set, entry.line, ruleId, kind, title, message, remediation), origin: entry.origin, names: named.get(entry) ?? [] });
    const what = describe(entry);
    if (state === "invalid") at(WAIVER_RULES.invalid, "warn", "Waiver is incomplete", `The ${what} waives nothing: ${entry.problems.join("; ")}.`, "Give every waiver a rule, resources and/or paths, a reason, an owner and an expiry date.");
    else if (state === "expired") at(WAIVER_RULES.expired, "warn", "Waiver has expired", `The ${what} expired on ${entry.expires}; it no longer waives anything.`, "Fix what it waived, or renew it with a new expiry (reviewed like a new waiver).");
    else if (state === "too-long") at(WAIVER_RULES.invalid, "warn", "Waiver expires too far ahead", `The ${what} expires on ${entry.expires}, more than ${set.maxDays} days ahead (waivers.max_days); it waives nothing.`, `Set \`expires\` no later than ${addDays(set.today, set.maxDays)}.`);
    else if (state === "not-allowed") at(WAIVER_RULES.notAllowed, "deny", "Rule cannot be waived", `The ${what} is not allowed: \`${entry.rule}\` cannot be waived (config \`waivers.never\` or the rule's METADATA \`custom.waivable: false\`).`, "Remove the waiver and fix the finding.");
    else if (state === "pending") {
      at(WAIVER_RULES.pending, "deny", "Waiver awaits approval", `The ${what}, owned by ${entry.owner}, is added or changed by this pull request and applies only once a waiver approver${set.approvers ? ` (${set.approvers})` : ""} other than the author approves the pull request at its head commit.`, "Ask a waiver approver for an approving review; the check runs again when a review is submitted or dismissed.");
    }
    const forbidden = forbiddenHits.get(entry) ?? [];
    if (forbidden.length) {
      at(WAIVER_RULES.notAllowed, "deny", "Finding cannot be waived", `The ${what} names ${forbidden.length} finding(s) that cannot be waived (${forbidden.map((f) => `${f.file}:${f.line}`).join(", ")}): ${forbidden[0]?.message ?? ""}`, "Remove the waiver (or narrow it) and fix the finding.");
    }
    if ((state === "active" || state === "pending") && s.matched === 0 && entry.origin === "new") {
      at(WAIVER_RULES.unused, "warn", "Waiver matches nothing", `The ${what} matches no finding of this change: check the rule id, resources and paths.`, "Name the rule id and the object (Kind/namespace/name) or file the finding is about, or remove the waiver.");
    }
  }
  return { waived, problems, statuses };
}

import type { PackageStyle, RuleKind } from "../types.js";

// conftest's naming conventions: `deny`, `violation` and `warn`, each optionally with
// `_<name>` suffixes, and `exception` rules that list waived rule names.
const FAILURE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
const WARNING = /^warn(_[a-zA-Z0-9]+)*$/;

export function ruleKind(rule: string): RuleKind | undefined {
  if (FAILURE.test(rule)) return "deny";
  if (WARNING.test(rule)) return "warn";
  return undefined;
}

/**
 * The name an `exception` rule uses for a rule, as conftest's removeRulePrefix: `deny_run_as_root`
 * → `run_as_root`; a bare `deny`, `violation` or `warn` → "" (only `[""]` waives it).
 */
export function exceptionName(rule: string): string {
  if (rule === "deny" || rule === "violation" || rule === "warn") return "";
  return rule.replace(/^violation_/, "").replace(/^deny_/, "").replace(/^warn_/, "");
}

/** conftest's exception query for a rule: the message of every exception it reports. */
export function exceptionQuery(namespace: string, rule: string): string {
  return `data.${namespace}.exception[_][_] == ${JSON.stringify(exceptionName(rule))}`;
}

/** Gatekeeper templates only query `violation`; conftest packages query every convention. */
export function isQueried(style: PackageStyle, rule: string): boolean {
  return style === "gatekeeper" ? rule === "violation" : ruleKind(rule) !== undefined;
}

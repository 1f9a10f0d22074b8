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

/** The name an `exception` rule uses for a rule: `deny_run_as_root` → `run_as_root`. */
export function exceptionName(rule: string): string {
  return rule.replace(/^(deny|violation|warn)_/, "");
}

/** Gatekeeper templates only query `violation`; conftest packages query every convention. */
export function isQueried(style: PackageStyle, rule: string): boolean {
  return style === "gatekeeper" ? rule === "violation" : ruleKind(rule) !== undefined;
}

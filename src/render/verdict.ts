import type { Finding, Severity } from "../policy/types.js";

/** Which findings block a merge: errors always; the rest by kind or severity from config. */
export function blocks(finding: Finding, blockOn: readonly ("deny" | "warn" | Severity)[]): boolean {
  if (finding.kind === "error") return true;
  return blockOn.includes(finding.kind) || (finding.kind === "deny" && blockOn.includes(finding.severity));
}

import type { Finding, Severity } from "../policy/types.js";
import type { ReportInput } from "./summary.js";

// SARIF 2.1.0: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const LEVEL = { deny: "error", error: "error", warn: "warning" } as const;
// GitHub code scanning reads `security-severity` (0.0–10.0) to rank alerts.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "1.0" };

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  helpUri?: string;
  help?: { text: string };
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: Record<string, unknown>;
}

function ruleFromFinding(f: Finding): SarifRule {
  return {
    id: f.ruleId,
    name: f.rule ?? f.ruleId,
    shortDescription: { text: f.title },
    ...(f.docs ? { helpUri: f.docs } : {}),
    ...(f.remediation ? { help: { text: f.remediation } } : {}),
    defaultConfiguration: { level: LEVEL[f.kind] },
    properties: { severity: f.severity, "security-severity": SECURITY_SEVERITY[f.severity] },
  };
}

/** A SARIF 2.1.0 log: one run, rule metadata in `tool.driver.rules`, one result per finding. */
export function renderSarif(input: ReportInput): string {
  const rules = new Map<string, SarifRule>();
  for (const r of input.rules ?? []) {
    if (rules.has(r.id)) continue;
    rules.set(r.id, {
      id: r.id,
      name: r.rule,
      shortDescription: { text: r.title ?? r.id },
      ...(r.description ? { fullDescription: { text: r.description } } : {}),
      ...(r.docs ? { helpUri: r.docs } : {}),
      ...(r.remediation ? { help: { text: r.remediation } } : {}),
      defaultConfiguration: { level: r.kind === "deny" ? "error" : "warning" },
      properties: {
        namespace: r.namespace,
        ...(r.severity ? { severity: r.severity, "security-severity": SECURITY_SEVERITY[r.severity] } : {}),
      },
    });
  }
  const { verdict } = input;
  const exceptions = verdict.exceptions.flatMap((w) => w.findings);
  for (const f of [...verdict.findings.map((j) => j.finding), ...exceptions]) if (!rules.has(f.ruleId)) rules.set(f.ruleId, ruleFromFinding(f));
  const ruleIds = [...rules.keys()];
  const uri = (file: string) => file.split("/").map(encodeURIComponent).join("/");
  const result = (f: Finding, extra: Record<string, unknown>) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
    level: LEVEL[f.kind],
    message: { text: f.remediation ? `${f.message}. ${f.remediation}` : f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.file) }, region: { startLine: f.line, ...(f.column !== undefined ? { startColumn: f.column } : {}) } } }],
    ...extra,
    properties: {
      severity: f.severity,
      ...(f.field ? { field: f.field } : {}),
      ...(f.document !== undefined ? { document: f.document } : {}),
      ...(f.resource ? { resource: f.resource } : {}),
      ...(f.details ? { details: f.details } : {}),
    },
  });
  const results = [
    // Compared with a base: `new` or `unchanged` (code scanning's baseline states); waived: an external suppression with its reason.
    ...verdict.findings.map((j) =>
      result(j.finding, {
        ...(j.baseline ? { baselineState: j.baseline === "new" ? "new" : "unchanged" } : {}),
        ...(j.waiver
          ? {
              suppressions: [
                {
                  kind: "external", status: "accepted", justification: j.waiver.reason ?? "",
                  ...(verdict.waiverSet ? { location: { physicalLocation: { artifactLocation: { uri: uri(verdict.waiverSet.path) }, region: { startLine: j.waiver.line } } } } : {}),
                  properties: { owner: j.waiver.owner, expires: j.waiver.expires },
                },
              ],
            }
          : {}),
      }),
    ),
    // Results a conftest `exception` waived: suppressed in the policy, outside the file.
    ...verdict.exceptions.flatMap((w) =>
      w.findings.map((f) => result(f, { suppressions: [{ kind: "external", status: "accepted", justification: `conftest exception in package ${w.namespace} for ${w.rule}` }] })),
    ),
  ];
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "gitops-gate",
            version: input.toolVersion,
            informationUri: "https://github.com/gitops-gate/gitops-gate",
            rules: [...rules.values()],
          },
        },
        ...(input.bundleDigest ? { properties: { policyBundleSha256: input.bundleDigest } } : {}),
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

import { formatFieldPath, parseFieldPath, type SourceMap } from "../manifests/source-map.js";
import { exceptionName, ruleKind } from "./build/rules.js";
import type { BundleMetadata, Finding, RawEvaluation, RuleMetadata, Severity, WaivedResult } from "./types.js";

/** Where results of one evaluation land when they name no other place. */
export interface ResultTarget {
  readonly file: string;
  readonly document?: number;
  readonly line: number;
  readonly sourceMap?: SourceMap;
}

/** In combined mode a result may name its file (`file`) and document (`document`). */
export type TargetLookup = (file: string, document: number | undefined) => ResultTarget | undefined;

export interface Normalised {
  readonly findings: Finding[];
  readonly waived: WaivedResult[];
}

const DEFAULT_SEVERITY: Record<"deny" | "warn", Severity> = { deny: "high", warn: "low" };
// Fields a result uses to point somewhere; everything else is carried as details.
const LOCATION_KEYS = new Set(["msg", "field", "file", "document"]);

function waivedNames(value: unknown): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(value)) return names;
  for (const entry of value) {
    if (Array.isArray(entry)) for (const n of entry) if (typeof n === "string") names.add(n);
    if (typeof entry === "string") names.add(entry);
  }
  return names;
}

/** Rule output → items: a set or array of results, a single string, or `true` from `deny if …`. */
function items(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === false || value === undefined || value === null) return [];
  return [value];
}

export function ruleInfo(metadata: BundleMetadata, key: string): RuleMetadata {
  const known = metadata.rules[key];
  if (known) return known;
  const slash = key.lastIndexOf("/");
  const namespace = key.slice(0, slash);
  const rule = key.slice(slash + 1);
  return { key, namespace, rule, kind: ruleKind(rule) ?? "deny", id: `${namespace}.${rule}` };
}

/**
 * conftest semantics: results are strings or objects with `msg` (other fields carried
 * as details); a rule whose name an `exception` rule lists is waived, not passed.
 */
export function normalise(
  raw: RawEvaluation,
  metadata: BundleMetadata,
  target: ResultTarget,
  lookup?: TargetLookup,
): Normalised {
  const findings: Finding[] = [];
  const waived: WaivedResult[] = [];
  for (const [key, value] of Object.entries(raw.rules)) {
    const info = ruleInfo(metadata, key);
    const exempt = waivedNames(raw.exceptions[info.namespace]).has(exceptionName(info.rule));
    for (const item of items(value)) {
      let message: string;
      let fieldValue: unknown;
      let details: Record<string, unknown> | undefined;
      let where = target;
      if (typeof item === "string") message = item;
      else if (item === true) message = info.title ?? info.id;
      else if (typeof item === "object" && item !== null && !Array.isArray(item) && typeof (item as { msg?: unknown }).msg === "string") {
        const obj = item as Record<string, unknown>;
        message = obj["msg"] as string;
        fieldValue = obj["field"];
        if (lookup && typeof obj["file"] === "string") {
          const doc = typeof obj["document"] === "number" ? obj["document"] : undefined;
          where = lookup(obj["file"], doc) ?? target;
        }
        const rest = Object.entries(obj).filter(([k]) => !LOCATION_KEYS.has(k));
        if (rest.length > 0) details = Object.fromEntries(rest);
      } else {
        findings.push({
          ruleId: "gitops-gate/invalid-result",
          kind: "error",
          severity: "high",
          title: "Policy returned a result without a message",
          message: `rule ${key} returned ${JSON.stringify(item)?.slice(0, 200)}; results must be strings or objects with a string "msg"`,
          file: where.file,
          line: where.line,
          ...(where.document !== undefined ? { document: where.document } : {}),
        });
        continue;
      }
      if (exempt) {
        waived.push({
          file: where.file,
          ...(where.document !== undefined ? { document: where.document } : {}),
          namespace: info.namespace,
          rule: info.rule,
          message,
        });
        continue;
      }
      const path = parseFieldPath(fieldValue);
      const line = path && where.sourceMap ? where.sourceMap.lineOf(path) : where.line;
      findings.push({
        ruleId: info.id,
        kind: info.kind,
        severity: info.severity ?? DEFAULT_SEVERITY[info.kind],
        title: info.title ?? info.id,
        message,
        file: where.file,
        line,
        ...(where.document !== undefined ? { document: where.document } : {}),
        ...(path ? { field: formatFieldPath(path) } : {}),
        namespace: info.namespace,
        rule: info.rule,
        ...(info.remediation ? { remediation: info.remediation } : {}),
        ...(info.docs ? { docs: info.docs } : {}),
        ...(details ? { details } : {}),
      });
    }
  }
  return { findings, waived };
}

import { formatFieldPath, parseFieldPath, type SourceMap } from "../manifests/source-map.js";
import { exceptionName, exceptionQuery, ruleKind } from "./build/rules.js";
import type { ConstraintRef } from "./gatekeeper/input.js";
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

/** Members of a Rego collection as JSON gives it: array items, object values; nothing for a scalar. */
function membersOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null) return Object.values(value);
  return [];
}

/** How many solutions conftest's query `exception[_][_] == name` has: each one is an exception. */
function exceptionMatches(exceptions: unknown, name: string): number {
  let n = 0;
  for (const entry of membersOf(exceptions)) for (const x of membersOf(entry)) if (x === name) n++;
  return n;
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
  // conftest's exceptions: per rule of a namespace with `exception` rules, every match of
  // its exception query is one exception, and the rule's results are then not reported.
  const exempt = new Map<string, { count: number; messages: string[]; findings: Finding[] }>();
  for (const [ns, value] of Object.entries(raw.exceptions)) {
    const rules = new Set([...(metadata.namespaces[ns]?.rules ?? []), ...Object.keys(raw.rules).filter((k) => k.startsWith(`${ns}/`)).map((k) => k.slice(ns.length + 1))]);
    for (const rule of rules) {
      const count = exceptionMatches(value, exceptionName(rule));
      if (count > 0) exempt.set(`${ns}/${rule}`, { count, messages: [], findings: [] });
    }
  }
  for (const [key, value] of Object.entries(raw.rules)) {
    const info = ruleInfo(metadata, key);
    const exemption = exempt.get(key);
    const gatekeeper = metadata.namespaces[info.namespace]?.style === "gatekeeper";
    for (const entry of items(value)) {
      // A Gatekeeper package's results come as {result, constraint}: the violation, and the
      // Constraint it was evaluated for (null for a stand-in from data.parameters).
      const wrapped = gatekeeper && typeof entry === "object" && entry !== null && !Array.isArray(entry) && "result" in entry;
      const item: unknown = wrapped ? (entry as { result: unknown }).result : entry;
      const constraint = wrapped ? ((entry as { constraint?: ConstraintRef | null }).constraint ?? undefined) : undefined;
      let message: string;
      let fieldValue: unknown;
      let details: Record<string, unknown> | undefined;
      let where = target;
      // A `warn` Constraint warns; the title says which Constraint it is.
      const kind = constraint?.enforcementAction === "warn" ? "warn" : info.kind;
      const title = constraint ? `${info.title ?? info.id} (${constraint.kind} ${constraint.name})` : (info.title ?? info.id);
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
      if (constraint) details = { ...details, constraint };
      const path = parseFieldPath(fieldValue);
      const line = path && where.sourceMap ? where.sourceMap.lineOf(path) : where.line;
      // A result may say that it cannot be waived (a hostPath of `/`, where its rule can be).
      const waivable = info.waivable === false || details?.["waivable"] === false ? false : undefined;
      if (details && "waivable" in details) {
        delete details["waivable"];
        if (Object.keys(details).length === 0) details = undefined;
      }
      const finding: Finding = {
        ruleId: info.id,
        kind,
        severity: kind === info.kind ? (info.severity ?? DEFAULT_SEVERITY[kind]) : DEFAULT_SEVERITY[kind],
        title,
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
        ...(waivable === false ? { waivable } : {}),
      };
      if (exemption) {
        // Kept whole: the verdict judges it after all when its rule cannot be waived.
        exemption.messages.push(message);
        exemption.findings.push(finding);
        continue;
      }
      findings.push(finding);
    }
  }
  for (const [key, { count, messages, findings: exempted }] of exempt) {
    const info = ruleInfo(metadata, key);
    for (let i = 0; i < count; i++) {
      waived.push({
        file: target.file,
        ...(target.document !== undefined ? { document: target.document } : {}),
        line: target.line,
        namespace: info.namespace,
        rule: info.rule,
        message: exceptionQuery(info.namespace, info.rule),
        waived: messages,
        // The findings once, on the first of the rule's exceptions.
        findings: i === 0 ? exempted : [],
      });
    }
  }
  return { findings, waived };
}

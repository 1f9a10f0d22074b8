// A Constraint's `spec.match` against the object under review, as Gatekeeper's
// pkg/mutation/match Matches decides it: kinds, scope, namespaces, excludedNamespaces,
// labelSelector, namespaceSelector, name and source, every criterion given must hold.
// The object's Namespace (for namespaceSelector) comes from the repository's inventory.
import { groupVersion, isObject, metadataOf, type KubeObject } from "./review.js";

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/** The fields of a Constraint's `spec.match` gitops-gate reads. */
export interface ConstraintMatch {
  readonly kinds?: ReadonlyArray<{ readonly apiGroups?: readonly string[]; readonly kinds?: readonly string[] }>;
  readonly scope?: string;
  readonly namespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly labelSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly name?: string;
  readonly source?: string;
}

/** Looks up a Namespace object by name (from the inventory); undefined when unknown. */
export type NamespaceLookup = (name: string) => KubeObject | undefined;

/** pkg/wildcard: a leading and/or trailing `*` globs, anything else is exact. */
export function wildcardMatches(pattern: string, candidate: string): boolean {
  const starts = pattern.startsWith("*");
  const ends = pattern.endsWith("*") && pattern.length > 0;
  if (starts && ends) return candidate.includes(pattern.replace(/^\*/, "").replace(/\*$/, ""));
  if (starts) return candidate.endsWith(pattern.slice(1));
  if (ends) return candidate.startsWith(pattern.slice(0, -1));
  return pattern === candidate;
}

function labelsOf(obj: KubeObject | undefined): Record<string, string> {
  const labels = obj ? metadataOf(obj)["labels"] : undefined;
  if (!isObject(labels)) return {};
  return Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** metav1.LabelSelectorAsSelector(...).Matches: every matchLabels pair and every expression. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key] as string)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key] as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        // An operator Kubernetes refuses selects nothing.
        return false;
    }
  }
  return true;
}

function isNamespace(obj: KubeObject): boolean {
  return obj["kind"] === "Namespace" && groupVersion(obj["apiVersion"]).group === "";
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Whether one object (object or oldObject of the review) matches. */
function objectMatches(match: ConstraintMatch, obj: KubeObject, requestNamespace: string, lookup: NamespaceLookup): boolean {
  const meta = metadataOf(obj);
  const objNs = text(meta["namespace"]);
  const nsName = requestNamespace || objNs;
  const ns = nsName ? lookup(nsName) : undefined;
  const isNs = isNamespace(obj);
  const { group } = groupVersion(obj["apiVersion"]);
  const kind = text(obj["kind"]);

  // kinds
  if (match.kinds && match.kinds.length > 0) {
    const ok = match.kinds.some((k) => {
      const kinds = k.kinds ?? [];
      const groups = k.apiGroups ?? [];
      return (kinds.length === 0 || kinds.includes("*") || kinds.includes(kind)) && (groups.length === 0 || groups.includes("*") || groups.includes(group));
    });
    if (!ok) return false;
  }
  // scope
  const hasNamespace = objNs !== "" || ns !== undefined || requestNamespace !== "";
  if (match.scope === "Cluster" && !(isNs || !hasNamespace)) return false;
  if (match.scope === "Namespaced" && !(!isNs && hasNamespace)) return false;
  // namespaces / excludedNamespaces: the Namespace's own name, else the namespace the object is in.
  const effective = isNs ? text(meta["name"]) : nsName;
  if (match.namespaces && match.namespaces.length > 0 && effective !== "") {
    if (!match.namespaces.some((n) => wildcardMatches(n, effective))) return false;
  }
  if (match.excludedNamespaces && match.excludedNamespaces.length > 0 && effective !== "") {
    if (match.excludedNamespaces.some((n) => wildcardMatches(n, effective))) return false;
  }
  // labelSelector
  if (match.labelSelector && !selectorMatches(match.labelSelector, labelsOf(obj))) return false;
  // namespaceSelector: cluster-scoped objects other than Namespaces always match; a
  // Namespace by its own labels; a namespaced object by its Namespace's labels, when the
  // repository holds that Namespace (Gatekeeper's cluster always knows it; a repository
  // may not, and then the object is judged rather than let through).
  if (match.namespaceSelector) {
    if (isNs) {
      if (!selectorMatches(match.namespaceSelector, labelsOf(obj))) return false;
    } else if (nsName !== "" && ns && !selectorMatches(match.namespaceSelector, labelsOf(ns))) return false;
  }
  // name
  if (match.name) {
    const generateName = text(meta["generateName"]);
    const byGenerate = (match.name.endsWith("*") && !match.name.startsWith("*") && generateName.startsWith(match.name.slice(0, -1))) ||
      (match.name.startsWith("*") && match.name.endsWith("*") && generateName.includes(match.name.slice(1, -1)));
    if (!wildcardMatches(match.name, text(meta["name"])) && !byGenerate) return false;
  }
  // source: what a repository holds is the original object, never a generated one.
  if (match.source === "Generated") return false;
  return true;
}

/** matchAny: the Constraint applies when the object or the old object matches. */
export function constraintMatches(match: ConstraintMatch | undefined, objects: readonly KubeObject[], requestNamespace: string, lookup: NamespaceLookup): boolean {
  if (!match) return true;
  return objects.some((o) => objectMatches(match, o, requestNamespace, lookup));
}

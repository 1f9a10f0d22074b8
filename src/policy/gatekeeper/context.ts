// What a repository tells Gatekeeper templates: `data.inventory` (its objects, in the shape
// Gatekeeper syncs them: namespace[ns][groupVersion][kind][name], cluster[groupVersion][kind][name])
// and the Constraints (objects of a template's kind) with their parameters and match.
import type { ConstraintMatch } from "./match.js";
import { isAdmissionReview, isKubeObject, isObject, metadataOf, type KubeObject } from "./review.js";

/** A Constraint found in the repository. */
export interface GatekeeperConstraint {
  readonly kind: string;
  readonly name: string;
  /** spec.parameters, `{}` when absent. */
  readonly parameters: unknown;
  readonly match?: ConstraintMatch;
  /** spec.enforcementAction: deny (default), warn, dryrun. */
  readonly enforcementAction: string;
  /** The file it was read from. */
  readonly file?: string;
}

export interface Inventory {
  readonly namespace: Record<string, Record<string, Record<string, Record<string, KubeObject>>>>;
  readonly cluster: Record<string, Record<string, Record<string, KubeObject>>>;
}

export interface GatekeeperContext {
  /** `data.inventory`. */
  readonly inventory: Inventory;
  readonly constraints: readonly GatekeeperConstraint[];
  /** Objects read, for summaries. */
  readonly objects: number;
}

/** The group of every Constraint kind. */
export const CONSTRAINTS_GROUP = "constraints.gatekeeper.sh";

/**
 * Kinds Kubernetes keeps outside namespaces. An object of another kind that names no
 * namespace lands where `kubectl apply` puts it: in `default`.
 */
const CLUSTER_SCOPED = new Set([
  "APIService", "CertificateSigningRequest", "ClusterIssuer", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
  "ConstraintTemplate", "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
  "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "MutatingWebhookConfiguration", "Namespace", "Node",
  "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "SelfSubjectAccessReview",
  "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview", "TokenReview", "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "VolumeAttachment", "VolumeAttributesClass",
  "Config", "Assign", "AssignMetadata", "ModifySet", "AssignImage", "Provider", "ExpansionTemplate", "SyncSet",
]);

function clusterScoped(obj: KubeObject): boolean {
  const apiVersion = String(obj["apiVersion"]);
  return CLUSTER_SCOPED.has(String(obj["kind"])) || apiVersion.startsWith(`${CONSTRAINTS_GROUP}/`);
}

/** The objects of a parsed document: itself, or the items of a `*List`. */
function objectsOf(doc: unknown): KubeObject[] {
  if (isAdmissionReview(doc) || !isKubeObject(doc)) return [];
  if (String(doc["kind"]).endsWith("List") && Array.isArray(doc["items"])) return doc["items"].flatMap(objectsOf);
  return typeof metadataOf(doc)["name"] === "string" && metadataOf(doc)["name"] !== "" ? [doc] : [];
}

function put(tree: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let cur = tree;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(cur[k])) Object.defineProperty(cur, k, { value: {}, enumerable: true, writable: true, configurable: true });
    cur = cur[k] as Record<string, unknown>;
  }
  Object.defineProperty(cur, keys[keys.length - 1] as string, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Builds the inventory and finds the Constraints of the given kinds among the documents of
 * a repository (in a stable order: later objects with the same key win, as a later sync would).
 */
export function gatekeeperContext(documents: Iterable<{ readonly file: string; readonly content: unknown }>, constraintKinds: ReadonlySet<string>): GatekeeperContext {
  const inventory: Inventory = { namespace: {}, cluster: {} };
  // By kind and name: the same Constraint in a base and an overlay is one Constraint.
  const constraints = new Map<string, GatekeeperConstraint>();
  let objects = 0;
  for (const { file, content } of documents) {
    for (const obj of objectsOf(content)) {
      objects++;
      const meta = metadataOf(obj);
      const name = meta["name"] as string;
      const apiVersion = String(obj["apiVersion"]);
      const kind = String(obj["kind"]);
      const ns = typeof meta["namespace"] === "string" ? meta["namespace"] : "";
      if (ns === "" && clusterScoped(obj)) put(inventory.cluster, [apiVersion, kind, name], obj);
      else put(inventory.namespace, [ns || "default", apiVersion, kind, name], obj);
      if (apiVersion.startsWith(`${CONSTRAINTS_GROUP}/`) && constraintKinds.has(kind)) {
        const spec = isObject(obj["spec"]) ? obj["spec"] : {};
        constraints.set(`${kind}/${name}`, {
          kind,
          name,
          parameters: spec["parameters"] ?? {},
          ...(isObject(spec["match"]) ? { match: spec["match"] as ConstraintMatch } : {}),
          enforcementAction: typeof spec["enforcementAction"] === "string" ? spec["enforcementAction"] : "deny",
          file,
        });
      }
    }
  }
  const sorted = [...constraints.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return { inventory, constraints: sorted, objects };
}

// What Gatekeeper gives a template as `input.review`: an AdmissionRequest. A plain object
// becomes the request Gatekeeper's audit and gator build for it (no operation, no user);
// an AdmissionReview file is its `request`, with its operation, oldObject and userInfo.
// Field for field what Go's encoding/json makes of k8s.io/api/admission/v1's
// AdmissionRequest (pkg/target/target.go, pkg/gator/verify/runner.go in Gatekeeper).

export type KubeObject = Record<string, unknown>;

export interface GatekeeperReview {
  /** `input.review`. */
  readonly review: KubeObject;
  /** The objects Constraints are matched against: the object, the old object, or both. */
  readonly objects: readonly KubeObject[];
  /** The request's namespace (the object's, for a plain object), for namespace lookups. */
  readonly namespace: string;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function metadataOf(obj: KubeObject): Record<string, unknown> {
  return isObject(obj["metadata"]) ? obj["metadata"] : {};
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** apimachinery's ParseGroupVersion: `apps/v1` → apps, v1; `v1` → core. */
export function groupVersion(apiVersion: unknown): { group: string; version: string } {
  const s = text(apiVersion);
  const slash = s.indexOf("/");
  return slash < 0 ? { group: "", version: s } : { group: s.slice(0, slash), version: s.slice(slash + 1) };
}

/** A Kubernetes object as far as Gatekeeper is concerned: it names its apiVersion and kind. */
export function isKubeObject(doc: unknown): doc is KubeObject {
  return isObject(doc) && text(doc["apiVersion"]) !== "" && text(doc["kind"]) !== "";
}

/** An AdmissionReview (admission.k8s.io, any version), which gator reviews as its request. */
export function isAdmissionReview(doc: unknown): doc is KubeObject {
  return isObject(doc) && doc["kind"] === "AdmissionReview" && groupVersion(doc["apiVersion"]).group === "admission.k8s.io";
}

const EMPTY_RESOURCE = { group: "", version: "", resource: "" };

function gvkObject(v: unknown): { group: string; version: string; kind: string } {
  const o = isObject(v) ? v : {};
  return { group: text(o["group"]), version: text(o["version"]), kind: text(o["kind"]) };
}

function gvrObject(v: unknown): { group: string; version: string; resource: string } {
  if (!isObject(v)) return EMPTY_RESOURCE;
  return { group: text(v["group"]), version: text(v["version"]), resource: text(v["resource"]) };
}

/** unstructuredToAdmissionRequest: the request for an object that is not an AdmissionReview. */
export function objectReview(obj: KubeObject): GatekeeperReview {
  const { group, version } = groupVersion(obj["apiVersion"]);
  const meta = metadataOf(obj);
  const name = text(meta["name"]);
  const namespace = text(meta["namespace"]);
  return {
    review: {
      uid: "",
      kind: { group, version, kind: text(obj["kind"]) },
      resource: EMPTY_RESOURCE,
      ...(name ? { name } : {}),
      ...(namespace ? { namespace } : {}),
      operation: "",
      userInfo: {},
      object: obj,
      oldObject: null,
      options: null,
    },
    objects: [obj],
    namespace,
  };
}

/** The AdmissionRequest of an AdmissionReview, as gator's validateAndReviewAdmissionReviewRequest reads it. */
function requestReview(doc: KubeObject): GatekeeperReview {
  const request = doc["request"];
  if (!isObject(request)) throw new Error("AdmissionReview: request did not actually pass in an AdmissionRequest");
  let object = isObject(request["object"]) ? request["object"] : null;
  const oldObject = isObject(request["oldObject"]) ? request["oldObject"] : null;
  if (!object && !oldObject) throw new Error('AdmissionReview: AdmissionRequest does not contain an "object" or "oldObject" to review');
  const operation = text(request["operation"]);
  // setObjectOnDelete: a DELETE is judged on the object being deleted.
  if (operation === "DELETE") {
    if (!oldObject) throw new Error("AdmissionReview: a DELETE request needs its oldObject");
    object = oldObject;
  }
  const name = text(request["name"]);
  const namespace = text(request["namespace"]);
  const review: KubeObject = {
    uid: text(request["uid"]),
    kind: gvkObject(request["kind"]),
    resource: gvrObject(request["resource"]),
    ...(text(request["subResource"]) ? { subResource: request["subResource"] } : {}),
    ...(isObject(request["requestKind"]) ? { requestKind: gvkObject(request["requestKind"]) } : {}),
    ...(isObject(request["requestResource"]) ? { requestResource: gvrObject(request["requestResource"]) } : {}),
    ...(text(request["requestSubResource"]) ? { requestSubResource: request["requestSubResource"] } : {}),
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    operation,
    userInfo: isObject(request["userInfo"]) ? request["userInfo"] : {},
    object,
    oldObject,
    ...(typeof request["dryRun"] === "boolean" ? { dryRun: request["dryRun"] } : {}),
    options: isObject(request["options"]) ? request["options"] : null,
  };
  return { review, objects: [object, oldObject].filter((o): o is KubeObject => o !== null), namespace };
}

/**
 * The review of one document: its AdmissionRequest when it is an AdmissionReview, else the
 * request for the object itself. Undefined for a document that is not a Kubernetes object.
 * Throws for an AdmissionReview Gatekeeper would refuse.
 */
export function reviewOf(doc: unknown): GatekeeperReview | undefined {
  if (isAdmissionReview(doc)) return requestReview(doc);
  if (!isKubeObject(doc)) return undefined;
  return objectReview(doc);
}

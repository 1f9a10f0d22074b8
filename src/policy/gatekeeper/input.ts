// Per document, what the wrapper's Gatekeeper rules need (input.gatekeeper): the review,
// and for each Gatekeeper package the Constraints it runs with, each with its parameters.
import type { GatekeeperConstraint, Inventory } from "./context.js";
import { constraintMatches, type NamespaceLookup } from "./match.js";
import { isAdmissionReview, isKubeObject, isObject, objectReview, reviewOf, type KubeObject } from "./review.js";

/** A Gatekeeper-style package of a bundle. */
export interface GatekeeperPackage {
  readonly namespace: string;
  /** The kind of the Constraints that configure it; none for a Rego package that declares no kind. */
  readonly constraintKind?: string;
}

/** Which Constraint a result came from: carried into the finding's details. */
export interface ConstraintRef {
  readonly kind: string;
  readonly name: string;
  readonly enforcementAction: string;
  readonly file?: string;
}

export interface GatekeeperInput {
  readonly review?: KubeObject;
  /** Per package; `ref` is null for a stand-in (`data.parameters`) rather than a Constraint. */
  readonly constraints: Record<string, Array<{ readonly parameters: unknown; readonly ref: ConstraintRef | null }>>;
}

export interface GatekeeperSetup {
  readonly packages: readonly GatekeeperPackage[];
  readonly constraints: readonly GatekeeperConstraint[];
  /** `data.parameters`: a package's entry stands in for a Constraint when the repository has none. */
  readonly parameters: Record<string, unknown>;
  readonly inventory?: Inventory;
}

export function namespaceLookup(inventory: Inventory | undefined): NamespaceLookup {
  return (name) => {
    const ns = inventory?.cluster["v1"]?.["Namespace"]?.[name];
    return isObject(ns) ? ns : undefined;
  };
}

/**
 * The Gatekeeper input of one document. A package with a Constraint kind runs once per
 * Constraint of that kind whose match selects the object (dryrun Constraints are audit
 * only, so none); with no such Constraint in the repository, once with
 * `data.parameters.<package>` when that is set, else not at all (Gatekeeper enforces no
 * template without a Constraint). A package without a kind runs once per object with
 * `data.parameters.<package>` (or `{}`).
 */
export function gatekeeperInput(doc: unknown, setup: GatekeeperSetup): GatekeeperInput {
  const reviewed = reviewOf(doc) ?? (isObject(doc) ? objectReview(doc) : undefined);
  if (!reviewed) return { constraints: {} };
  const kube = isKubeObject(doc) || isAdmissionReview(doc);
  const lookup = namespaceLookup(setup.inventory);
  const out: GatekeeperInput["constraints"] = {};
  for (const pkg of setup.packages) {
    const configured = setup.parameters[pkg.namespace];
    if (!pkg.constraintKind) {
      out[pkg.namespace] = [{ parameters: configured ?? {}, ref: null }];
      continue;
    }
    if (!kube) continue;
    const ofKind = setup.constraints.filter((c) => c.kind === pkg.constraintKind);
    if (ofKind.length === 0) {
      if (configured !== undefined) out[pkg.namespace] = [{ parameters: configured, ref: null }];
      continue;
    }
    out[pkg.namespace] = ofKind
      .filter((c) => c.enforcementAction !== "dryrun" && constraintMatches(c.match, reviewed.objects, reviewed.namespace, lookup))
      .map((c) => ({ parameters: c.parameters, ref: { kind: c.kind, name: c.name, enforcementAction: c.enforcementAction, ...(c.file ? { file: c.file } : {}) } }));
  }
  return { review: reviewed.review, constraints: out };
}

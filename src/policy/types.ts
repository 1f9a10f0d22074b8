/** How a rule's results count: deny and violation block, warn informs. */
export type RuleKind = "deny" | "warn";

/** Most to least severe; renderers list counts in this order. */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Input convention of a policy package. */
export type PackageStyle = "conftest" | "gatekeeper";

/** What `# METADATA` says about one rule, extracted when the bundle is built. */
export interface RuleMetadata {
  /** `namespace/rule`, e.g. `kubernetes.images/deny_image_tag`. */
  readonly key: string;
  readonly namespace: string;
  readonly rule: string;
  readonly kind: RuleKind;
  /** Stable id shown to users: METADATA `custom.id`, else `namespace.rule`. */
  readonly id: string;
  readonly title?: string;
  readonly description?: string;
  readonly severity?: Severity;
  readonly remediation?: string;
  readonly docs?: string;
  /** Where the rule is defined, relative to the policy source root. */
  readonly location?: { readonly file: string; readonly row: number };
  /**
   * METADATA `custom.waivable: false`: no waivers file entry and no conftest `exception`
   * can waive the rule's findings.
   */
  readonly waivable?: false;
}

export interface NamespaceInfo {
  readonly style: PackageStyle;
  readonly rules: readonly string[];
  readonly hasExceptions: boolean;
  /**
   * Gatekeeper packages: the kind of the Constraints that configure it (a
   * ConstraintTemplate's CRD kind, or METADATA `custom.kind`). With a kind, the package is
   * evaluated once per Constraint of that kind the repository holds.
   */
  readonly constraintKind?: string;
  /** The ConstraintTemplate it comes from (metadata.name), when it was read from one. */
  readonly template?: string;
}

/** Travels inside the compiled bundle (`data.gitops_gate_bundle`). */
export interface BundleMetadata {
  readonly schemaVersion: 1;
  readonly opaVersion: string;
  /** sha256 over the policy sources that produced the bundle. */
  readonly sourceDigest: string;
  readonly namespaces: Readonly<Record<string, NamespaceInfo>>;
  readonly rules: Readonly<Record<string, RuleMetadata>>;
}

/** Where the CLI, the App and SARIF point a reader. */
export interface Finding {
  readonly ruleId: string;
  /** `deny` and `warn` come from policies; `error` means the file could not be judged, and blocks. */
  readonly kind: RuleKind | "error";
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  /** Index of the document within its file, when the finding is about one. */
  readonly document?: number;
  /** `spec.containers[0].image` form, when the policy named a field. */
  readonly field?: string;
  /**
   * The Kubernetes object the finding is about, `Kind/namespace/name` (`Kind/name` without a
   * namespace): what waivers name and what "the same resource" means across commits.
   */
  readonly resource?: string;
  /** False when nothing may waive this finding (its rule's METADATA, or the result said so). */
  readonly waivable?: false;
  readonly namespace?: string;
  readonly rule?: string;
  readonly remediation?: string;
  readonly docs?: string;
  /** Every other field the policy returned with the message (conftest metadata). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * An `exception` rule that waived a rule, as conftest reports it: one per match of
 * conftest's exception query (`data.<namespace>.exception[_][_] == "<name>"`), whether or
 * not the rule found anything, with the results it waived. Reported, never blocking.
 */
export interface WaivedResult {
  readonly file: string;
  readonly document?: number;
  /** The first line of the document the exception applied to. */
  readonly line?: number;
  readonly namespace: string;
  /** The rule it waived (`deny_run_as_root`). */
  readonly rule: string;
  /** conftest's exception message: the query that matched. */
  readonly message: string;
  /** The messages of the rule's results it waived; empty when the rule found nothing. */
  readonly waived: readonly string[];
  /**
   * The findings those results would have been: the verdict judges them after all when
   * their rule cannot be waived.
   */
  readonly findings: readonly Finding[];
}

/** What the wrapper entrypoints return for one input, before normalisation. */
export interface RawEvaluation {
  readonly rules: Readonly<Record<string, unknown>>;
  readonly exceptions: Readonly<Record<string, unknown>>;
}

/** Where a verdict's policies came from, so it can be reproduced with `gitops-gate check --policy`. */
export interface PolicyProvenance {
  /** `built-in packs`, or the source as config names it (`policy/`, `acme/policies@v3:kubernetes/`). */
  readonly name: string;
  /** sha256 of the compiled bundle. */
  readonly digest: string;
  readonly repo?: string;
  readonly ref?: string;
  /** The commit the ref resolved to. */
  readonly commit?: string;
  readonly path?: string;
  /** Built-in packs: the gitops-gate version and the packs kept. */
  readonly version?: string;
  readonly packs?: readonly string[];
}

import type { Severity } from "../policy/types.js";

/** `.github/gitops-gate.yml`, read from the base branch (never the PR head). */
export interface GateConfig {
  /** Globs of files that are evaluated, by format (`yaml`, `json`). */
  readonly paths: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  /** Glob → format, for files whose name does not say what they are (first match wins). */
  readonly formats: Readonly<Record<string, string>>;
  /** Policy namespaces to evaluate: `all`, or a list. */
  readonly namespaces: "all" | readonly string[];
  /** Merged into `data`: policy parameters such as `kubernetes.parameters.allowed_registries`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** A finding blocks the merge when its kind is listed (`deny`, `warn`) or its severity is. */
  readonly blockOn: readonly ("deny" | "warn" | Severity)[];
  /** Whether draft pull requests are evaluated (a skipped draft still gets a passing check). */
  readonly drafts: boolean;
  /** When the App keeps its one PR comment. */
  readonly comment: "always" | "on-failure" | "never";
  /** Environments by path globs, with who owns the rollback decision in each. */
  readonly environments: Readonly<Record<string, { readonly paths: readonly string[]; readonly owners: readonly string[] }>>;
  readonly release: {
    /** Branches whose merges get a release record; empty: the default branch. */
    readonly branches: readonly string[];
    /** A merge that changes no manifest: a short record, or none. */
    readonly withoutManifests: "short" | "none";
    /** Also an annotated tag `release/<environment>/pr-<number>` and a GitHub release per environment. */
    readonly tags: boolean;
  };
  readonly rollback: {
    /** Who may ask for a rollback PR besides users with write access and the owners. */
    readonly allowed: readonly string[];
  };
}

export const DEFAULT_CONFIG: GateConfig = {
  paths: { include: ["**/*.yaml", "**/*.yml", "**/*.json", "**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile", "**/*.tf", "**/*.template"], exclude: [".github/gitops-gate.yml", ".github/ISSUE_TEMPLATE/**", "**/node_modules/**", "**/package*.json", "**/tsconfig*.json"] },
  formats: {},
  namespaces: "all",
  parameters: {},
  blockOn: ["deny"],
  drafts: false,
  comment: "always",
  environments: {},
  release: { branches: [], withoutManifests: "short", tags: false },
  rollback: { allowed: [] },
};

export const CONFIG_PATH = ".github/gitops-gate.yml";

/** JSON Schema of the file; every property documented for users in the README. */
export const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    _extends: { type: "string", minLength: 1 },
    paths: {
      type: "object",
      additionalProperties: false,
      properties: {
        include: { type: "array", items: { type: "string", minLength: 1 } },
        exclude: { type: "array", items: { type: "string", minLength: 1 } },
      },
    },
    formats: {
      type: "object",
      additionalProperties: {
        enum: ["yaml", "json", "cloudformation", "serverless", "terraform", "terraform-plan", "dockerfile", "github-workflow", "helm-chart", "helm-values", "kustomize"],
      },
    },
    namespaces: { oneOf: [{ const: "all" }, { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 }] },
    parameters: { type: "object" },
    block_on: {
      type: "array",
      items: { enum: ["deny", "warn", "critical", "high", "medium", "low", "info"] },
    },
    drafts: { type: "boolean" },
    comment: { enum: ["always", "on-failure", "never"] },
    environments: {
      type: "object",
      additionalProperties: {
        oneOf: [
          { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
          {
            type: "object",
            additionalProperties: false,
            required: ["paths"],
            properties: {
              paths: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
              owners: { type: "array", items: { type: "string", pattern: "^@?[\\w.-]+(/[\\w.-]+)?$" } },
            },
          },
        ],
      },
    },
    release: {
      type: "object",
      additionalProperties: false,
      properties: {
        branches: { type: "array", items: { type: "string", minLength: 1 } },
        without_manifests: { enum: ["short", "none"] },
        tags: { type: "boolean" },
      },
    },
    rollback: {
      type: "object",
      additionalProperties: false,
      properties: { allowed: { type: "array", items: { type: "string", minLength: 1 } } },
    },
  },
} as const;

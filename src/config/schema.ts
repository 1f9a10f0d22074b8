// `.github/gitops-gate.yml`, defined once: the TypeScript type, the defaults and the JSON
// Schema (docs/config.schema.json, for editors) all come from this one TypeBox schema.
// Keys are spelled as users write them in YAML (snake_case), so no mapping layer exists
// to drift. See docs/decisions/0006-config-schema.md.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { FORMATS } from "../manifests/registry.js";
import { MAX_GLOB_LENGTH } from "./glob.js";
import { DEFAULT_KUBE_VERSION } from "../hydrate/types.js";
import { PACK_NAMES } from "../policy/packs.js";
import { SEVERITIES } from "../policy/types.js";

export const CONFIG_PATH = ".github/gitops-gate.yml";
/** Where waivers live unless `waivers.path` says otherwise. */
export const WAIVERS_PATH = ".github/gitops-gate-waivers.yml";

/** Globs are matched on every event: their length and number are bounded (see glob.ts). */
const Glob = Type.String({ minLength: 1, maxLength: MAX_GLOB_LENGTH });
const MAX_GLOBS = 100;
const Globs = (description: string, defaults: readonly string[]) => Type.Array(Glob, { description, default: [...defaults], maxItems: MAX_GLOBS });
/** A user (`@octocat`, `octocat`) or a team (`@acme/sre`). */
const Owner = Type.String({ pattern: "^@?[\\w.-]+(/[\\w.-]+)?$" });

const DEFAULT_INCLUDE = ["**/*.yaml", "**/*.yml", "**/*.json", "**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile", "**/*.tf", "**/*.template"];
const DEFAULT_EXCLUDE = [CONFIG_PATH, ".github/ISSUE_TEMPLATE/**", "**/node_modules/**", "**/package*.json", "**/tsconfig*.json"];

/** Kinds (`deny`, `warn`) and severities a finding may have; block_on lists some of them. */
export const BLOCK_ON_VALUES = ["deny", "warn", ...SEVERITIES] as const;

/** A folder path inside a repository: relative, `/`-separated, no `..`. */
const RepoPath = Type.String({ pattern: "^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\\\u0000]*$", description: "A folder of the repository, relative to its root." });
const RegoVersion = Type.Union([Type.Literal("v1"), Type.Literal("v0")], { description: "`v0` for Rego written before OPA 1.0." });

const PolicySource = Type.Union([
  Type.Object(
    {
      path: RepoPath,
      data: Type.Optional(Type.Array(RepoPath, { description: "YAML/JSON files or folders of this repository merged into `data` (as conftest --data)." })),
      rego_version: Type.Optional(RegoVersion),
    },
    { additionalProperties: false, description: "A Rego folder of this repository, read from the base branch." },
  ),
  Type.Object(
    {
      repo: Type.String({ pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", description: "`owner/name` of a repository the installation can read." }),
      ref: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: "Branch, tag or full commit SHA; default: the repository's default branch." })),
      path: Type.Optional(RepoPath),
      data: Type.Optional(Type.Array(RepoPath, { description: "YAML/JSON files or folders of that repository merged into `data`." })),
      rego_version: Type.Optional(RegoVersion),
    },
    { additionalProperties: false, description: "A Rego folder of another repository, read at `ref`." },
  ),
]);

const RenderRoot = Type.Union([
  Type.Object(
    {
      kustomize: RepoPath,
      environment: Type.Optional(Type.String({ minLength: 1, description: "The environment its objects deploy to (findings and release records say so)." })),
    },
    { additionalProperties: false, description: "A Kustomize folder to render when the change touches its inputs." },
  ),
  Type.Object(
    {
      helm: RepoPath,
      values: Type.Optional(Type.Array(RepoPath, { description: "Values files applied after the chart's values.yaml, in order (`helm template -f`)." })),
      release_name: Type.Optional(Type.String({ minLength: 1 })),
      namespace: Type.Optional(Type.String({ minLength: 1 })),
      name: Type.Optional(Type.String({ minLength: 1, description: "How findings name this values set." })),
      environment: Type.Optional(Type.String({ minLength: 1 })),
    },
    { additionalProperties: false, description: "A chart with a values set to render when the change touches its inputs." },
  ),
]);

const Environment = Type.Union([
  Type.Array(Glob, { minItems: 1, maxItems: MAX_GLOBS, description: "Path globs of the environment." }),
  Type.Object(
    {
      paths: Type.Array(Glob, { minItems: 1, maxItems: MAX_GLOBS, description: "Path globs of the environment." }),
      // Optional rather than defaulted: defaults do not reach into a union's branches.
      owners: Type.Optional(Type.Array(Owner, { description: "Who owns the rollback decision; else CODEOWNERS, else the merger." })),
    },
    { additionalProperties: false },
  ),
]);

export const ConfigSchema = Type.Object(
  {
    _extends: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 140,
        description: "`.github`, `repo` or `owner/repo` of the same account: a config merged underneath this one (followed up to 5 deep). Other owners only when the organisation's `.github` config sets `policies.allow_external`.",
      }),
    ),
    paths: Type.Object(
      {
        include: Globs("Globs of the changed files that are evaluated.", DEFAULT_INCLUDE),
        exclude: Globs("Globs of files never evaluated, even when included.", DEFAULT_EXCLUDE),
      },
      { additionalProperties: false, default: {}, description: "Which changed files are evaluated." },
    ),
    formats: Type.Record(Type.String({ maxLength: MAX_GLOB_LENGTH }), Type.Union(FORMATS.map((f) => Type.Literal(f))), {
      default: {},
      maxProperties: MAX_GLOBS,
      description: "Glob → format, for files whose name does not say what they are (first match wins).",
    }),
    policies: Type.Object(
      {
        builtin: Type.Union([Type.Literal("all"), Type.Literal("none"), Type.Array(Type.Union(PACK_NAMES.map((p) => Type.Literal(p))), { minItems: 1 })], {
          default: "all",
          description: "Built-in packs to run: `all`, `none`, or a list of pack names.",
        }),
        sources: Type.Array(PolicySource, { default: [], maxItems: 20, description: "Rego of your own, compiled by the App (never read from the pull request being judged)." }),
        allow_external: Type.Boolean({
          default: false,
          description: "Read only from the organisation's `.github` repository: lets `repo:` sources name repositories of other owners.",
        }),
      },
      { additionalProperties: false, default: {}, description: "Which policies judge a pull request." },
    ),
    render: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: "Render Helm charts and Kustomize overlays and judge what they produce." }),
        kube_version: Type.String({ pattern: "^v?\\d+\\.\\d+(\\.\\d+)?$", default: DEFAULT_KUBE_VERSION, description: "`.Capabilities.KubeVersion` for Helm (and Kustomize's helmCharts)." }),
        api_versions: Type.Array(Type.String({ minLength: 1 }), { default: [], description: "Extra `.Capabilities.APIVersions` (CRDs your clusters serve)." }),
        roots: Type.Array(RenderRoot, { default: [], maxItems: 200, description: "Roots to add or pin (value files, release name, environment) beside the ones found." }),
      },
      { additionalProperties: false, default: {}, description: "What Argo CD or Flux will apply: charts and overlays rendered, findings on the source lines." },
    ),
    namespaces: Type.Union([Type.Literal("all"), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
      default: "all",
      description: "Policy packages to evaluate: `all`, or a list.",
    }),
    parameters: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description: "Merged into `data`: policy parameters such as `kubernetes.parameters.allowed_registries`.",
    }),
    verdict: Type.Union([Type.Literal("new"), Type.Literal("all")], {
      default: "new",
      description:
        "`new`: only findings the change introduces block; findings its base already had (same rule, resource and field) are listed as pre-existing. `all`: every finding blocks as `block_on` says.",
    }),
    waivers: Type.Object(
      {
        path: Type.String({
          pattern: "^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\\\u0000]+$",
          default: WAIVERS_PATH,
          description: "The waivers file: a YAML list of entries with rule, resources and/or paths, reason, owner and expires.",
        }),
        approvers: Type.Array(Owner, {
          default: [],
          description: "Users or teams whose approving review makes a waiver the pull request adds or changes apply; empty: the CODEOWNERS of the waivers file.",
        }),
        max_days: Type.Integer({ minimum: 1, maximum: 3650, default: 90, description: "How far ahead a waiver may expire, in days." }),
        never: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description: "Rule ids no waiver and no conftest `exception` may waive, besides rules whose METADATA says `custom.waivable: false`.",
        }),
      },
      { additionalProperties: false, default: {}, description: "Exceptions as reviewed data, with a reason, an owner and an expiry." },
    ),
    block_on: Type.Array(Type.Union(BLOCK_ON_VALUES.map((v) => Type.Literal(v))), {
      default: ["deny"],
      description: "A finding blocks when its kind (`deny`, `warn`) or, for a deny, its severity is listed. Errors always block.",
    }),
    drafts: Type.Boolean({ default: false, description: "Evaluate draft pull requests (a skipped draft still gets a passing check)." }),
    comment: Type.Union([Type.Literal("always"), Type.Literal("on-failure"), Type.Literal("never")], {
      default: "always",
      description: "When the App keeps its one pull-request comment.",
    }),
    environments: Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Environment, {
      default: {},
      maxProperties: 50,
      description: "Environments by path globs, with who owns the rollback decision in each (release records).",
    }),
    release: Type.Object(
      {
        branches: Type.Array(Type.String({ minLength: 1 }), { default: [], description: "Release branches: their merges get a release record, direct pushes to them are reported as unreviewed, and the enforcement audit checks them; empty: the default branch." }),
        without_manifests: Type.Union([Type.Literal("short"), Type.Literal("none")], {
          default: "short",
          description: "A merge that changes no manifest gets a short record, or none.",
        }),
        tags: Type.Boolean({ default: false, description: "Also an annotated tag `release/<environment>/pr-<number>` and a GitHub release per environment." }),
      },
      { additionalProperties: false, default: {} },
    ),
    unreviewed: Type.Union([Type.Literal("failure"), Type.Literal("notice")], {
      default: "failure",
      description:
        "A direct push to a release branch that changes evaluated paths without a pull request: a failing `gitops-gate/unreviewed` check run on the commit (`failure`), or a neutral one (`notice`). Either way it is listed in the branch's `gitops-gate:unreviewed` issue.",
    }),
    baseline: Type.Union([Type.Literal("daily"), Type.Literal("never")], {
      default: "daily",
      description:
        "`daily`: the whole default branch is evaluated once a day (and when a policy source repository moves) into a `gitops-gate/baseline` check run on its head; `never`: only when the config or the policies on the default branch change.",
    }),
    enforcement: Type.Object(
      {
        require_up_to_date: Type.Boolean({
          default: false,
          description: "The enforcement audit also requires \"Require branches to be up to date before merging\" on the `gitops-gate` status check of each release branch.",
        }),
      },
      { additionalProperties: false, default: {}, description: "What the enforcement audit expects of the rulesets and branch protection of release branches." },
    ),
    rollback: Type.Object(
      {
        allowed: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description: "Who may ask for a rollback pull request besides users with write access and the rollback owners.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type PolicySourceConfig = Static<typeof PolicySource>;

/** The config after defaults: every key present. */
export type Config = Static<typeof ConfigSchema>;

/** An environment's globs and owners, whichever of the two forms the config used. */
export function environmentsOf(config: Pick<Config, "environments">): Array<{ name: string; paths: readonly string[]; owners: readonly string[] }> {
  return Object.entries(config.environments).map(([name, e]) =>
    Array.isArray(e) ? { name, paths: e, owners: [] } : { name, paths: e.paths, owners: e.owners ?? [] },
  );
}

/**
 * The schema users' editors validate against: the same schema, but nothing is required,
 * because every key has a default (docs/config.schema.json is generated from this).
 */
export function publishedSchema(): TSchema {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== "object") return node;
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== "required").map(([k, v]) => [k, strip(v)]));
  };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://gitops-gate.dev/schemas/config.json",
    title: "gitops-gate config (.github/gitops-gate.yml)",
    ...(strip(ConfigSchema) as object),
  } as TSchema;
}

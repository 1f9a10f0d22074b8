import { cloudformationParser, looksLikeCloudFormation, serverlessParser } from "./cloudformation.js";
import { CONFTEST_FORMATS } from "./conftest-wasm/formats.js";
import { dockerfileParser } from "./dockerfile.js";
import { terraformParser } from "./terraform/index.js";
import { jsonParser, yamlParser } from "./yaml.js";
import type { ManifestParser } from "./types.js";

/** A format that is YAML to the parser but its own kind to config and reports. */
function yamlKind(format: string): ManifestParser {
  return { format, parse: (text, limits) => yamlParser.parse(text, limits) };
}

// Formats that are plain YAML to read: workflows keep `on` a string key (YAML 1.2 core),
// Helm charts and values are data (no template rendering), Kustomize its kustomization.
const YAML_KINDS = ["github-workflow", "helm-chart", "helm-values", "kustomize"].map(yamlKind);

/** HCL2 files other than Terraform's own (`.hcl`, `.tfvars`): conftest's `hcl2` parser, which ours follows. */
const hcl2Parser: ManifestParser = { format: "hcl2", parse: (text, limits) => terraformParser.parse(text, limits) };

/** `terraform show -json` output: JSON to the parser, a plan to config and reports. */
const terraformPlanParser: ManifestParser = { format: "terraform-plan", parse: (text, limits) => jsonParser.parse(text, limits) };

const PARSERS: ReadonlyMap<string, ManifestParser> = new Map([
  ...YAML_KINDS.map((p) => [p.format, p] as const),
  [yamlParser.format, yamlParser],
  [jsonParser.format, jsonParser],
  [dockerfileParser.format, dockerfileParser],
  [cloudformationParser.format, cloudformationParser],
  [serverlessParser.format, serverlessParser],
  [terraformParser.format, terraformParser],
  [terraformPlanParser.format, terraformPlanParser],
  [hcl2Parser.format, hcl2Parser],
  ...CONFTEST_FORMATS.map((p) => [p.format, p] as const),
]);

export const FORMATS: readonly string[] = [...PARSERS.keys()];

/** Looks a parser up by format name; an unknown name is a programming or config error. */
export function parserFor(format: string): ManifestParser {
  const parser = PARSERS.get(format);
  if (!parser) throw new Error(`find parser ${JSON.stringify(format)}: unknown format (known: ${FORMATS.join(", ")})`);
  return parser;
}

/** conftest's parsers that a file's extension names directly (conftest's `parser.New(extension)`). */
const BY_EXTENSION = new Set(["cue", "cyclonedx", "dotenv", "edn", "groovy", "hcl1", "hcl2", "hocon", "ignore", "ini", "jsonc", "jsonnet", "nginx", "properties", "spdx", "textproto", "toml", "vcl", "xml", "codeowners"]);

/**
 * The format a path holds by its name, or undefined when it is not a manifest we read.
 * gitops-gate's own formats come first, as before (so `Dockerfile.yaml` stays YAML); the
 * formats read by conftest's parsers follow in conftest's order (parser.NewFromPath).
 */
export function detectFormat(path: string): string | undefined {
  const lower = path.toLowerCase();
  if (/(^|\/)serverless\.ya?ml$/.test(lower)) return "serverless";
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(lower)) return "github-workflow";
  if (/(^|\/)chart\.ya?ml$/.test(lower)) return "helm-chart";
  if (/(^|\/)values[\w.-]*\.ya?ml$/.test(lower)) return "helm-values";
  if (/(^|\/)kustomization\.ya?ml$/.test(lower)) return "kustomize";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".json")) return "json";
  // HCL2, in the shape conftest's parser gives (.tf.json is plain JSON to conftest too).
  if (lower.endsWith(".tf")) return "terraform";
  // CloudFormation's own extension; the content decides for .yaml and .json (see refineFormat).
  if (lower.endsWith(".template")) return "cloudformation";
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  // Dockerfile, Containerfile, Dockerfile.debug, api.Dockerfile
  if (/^(dockerfile|containerfile)(\.[\w.-]+)?$/.test(base) || base.endsWith(".dockerfile")) return "dockerfile";
  // Go's filepath.Ext: from the last dot of the base name (".env" has the extension "env").
  const dot = base.lastIndexOf(".");
  const ext = dot === -1 ? "" : base.slice(dot + 1);
  if (ext === "hcl" || ext === "tfvars") return "hcl2";
  if (ext === "gitignore" || ext === "dockerignore") return "ignore";
  // .env, .env.prod, prod.env
  if (base === ".env" || base.startsWith(".env.") || ext === "env") return "dotenv";
  if (base === "nginx.conf") return "nginx";
  // Jenkinsfile, Jenkinsfile.prod: Groovy's syntax tree, as conftest gives it.
  if (base === "jenkinsfile" || base.startsWith("jenkinsfile.")) return "groovy";
  if (ext === "textproto" || ext === "textpb") return "textproto";
  if (base === "codeowners") return "codeowners";
  if (BY_EXTENSION.has(ext)) return ext;
  return undefined;
}

/** The format a path's content shows: a CloudFormation template, or a Terraform plan. */
export function refineFormat(format: string, text: string): string {
  if ((format === "yaml" || format === "json") && looksLikeCloudFormation(text)) return "cloudformation";
  if (format === "json" && /"format_version"\s*:/.test(text) && /"(planned_values|resource_changes)"\s*:/.test(text)) return "terraform-plan";
  return format;
}

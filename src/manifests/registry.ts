import { cloudformationParser, looksLikeCloudFormation, serverlessParser } from "./cloudformation.js";
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
]);

export const FORMATS: readonly string[] = [...PARSERS.keys()];

/** Looks a parser up by format name; an unknown name is a programming or config error. */
export function parserFor(format: string): ManifestParser {
  const parser = PARSERS.get(format);
  if (!parser) throw new Error(`find parser ${JSON.stringify(format)}: unknown format (known: ${FORMATS.join(", ")})`);
  return parser;
}

/** The format a path holds by its name, or undefined when it is not a manifest we read. */
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
  return undefined;
}

/** The format a path's content shows: a CloudFormation template, or a Terraform plan. */
export function refineFormat(format: string, text: string): string {
  if ((format === "yaml" || format === "json") && looksLikeCloudFormation(text)) return "cloudformation";
  if (format === "json" && /"format_version"\s*:/.test(text) && /"(planned_values|resource_changes)"\s*:/.test(text)) return "terraform-plan";
  return format;
}

import { dockerfileParser } from "./dockerfile.js";
import { jsonParser, yamlParser } from "./yaml.js";
import type { ManifestParser } from "./types.js";

const PARSERS: ReadonlyMap<string, ManifestParser> = new Map([
  [yamlParser.format, yamlParser],
  [jsonParser.format, jsonParser],
  [dockerfileParser.format, dockerfileParser],
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
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".json")) return "json";
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  // Dockerfile, Containerfile, Dockerfile.debug, api.Dockerfile
  if (/^(dockerfile|containerfile)(\.[\w.-]+)?$/.test(base) || base.endsWith(".dockerfile")) return "dockerfile";
  return undefined;
}

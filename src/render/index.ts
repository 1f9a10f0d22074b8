import { renderGithub } from "./github-workflow.js";
import { renderJson } from "./json.js";
import { renderSarif } from "./sarif.js";
import type { ReportInput } from "./summary.js";
import { renderText } from "./text.js";

export type Outputter = (input: ReportInput) => string;

const OUTPUTS: ReadonlyMap<string, Outputter> = new Map([
  ["text", renderText],
  ["json", renderJson],
  ["sarif", renderSarif],
  ["github", renderGithub],
]);

export const OUTPUT_FORMATS: readonly string[] = [...OUTPUTS.keys()];

/** conftest's output registry: an unknown name fails loudly. */
export function outputter(name: string): Outputter {
  const out = OUTPUTS.get(name);
  if (!out) throw new Error(`select output ${JSON.stringify(name)}: unknown format (known: ${OUTPUT_FORMATS.join(", ")})`);
  return out;
}

export { summaryLine, type ReportInput } from "./summary.js";

// Facts the App reads back later (was the comment failing? how many warnings did the
// verdict accept?) travel as JSON inside an HTML comment of the Markdown we write, which
// GitHub does not display. Reading them back parses JSON, never our own prose.

import { commentJson } from "./escape.js";

const PREFIX = "<!-- gitops-gate:";

/** `<!-- gitops-gate:<name> {json} -->`; `<` and `>` are escaped so no value can end the comment. */
export function hiddenData(name: string, data: unknown): string {
  return `${PREFIX}${name} ${commentJson(data)} -->`;
}

/** The data stored under `name` in `text`, or undefined when absent or not valid JSON. */
export function readHiddenData(name: string, text: string): unknown {
  const start = text.indexOf(`${PREFIX}${name} `);
  if (start < 0) return undefined;
  const from = start + PREFIX.length + name.length + 1;
  const end = text.indexOf(" -->", from);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(from, end)) as unknown;
  } catch {
    return undefined;
  }
}

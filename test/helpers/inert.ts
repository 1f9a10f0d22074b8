// The one check of "nothing in this Markdown is live": no mention or reference GitHub
// would link, no HTML but the folds (and, where the renderer writes it, gitops-gate's own
// hidden data comment), no link or image from the input, no heading or list it started.
import { liveReferences, markdownParts } from "./markdown.js";

export function expectInert(markdown: string, options: { allowed?: readonly string[]; hiddenData?: boolean } = {}): void {
  const allowed = options.allowed ?? [];
  expect(liveReferences(markdown).filter((r) => !allowed.includes(r))).toEqual([]);
  const { live } = markdownParts(markdown);
  expect(live).not.toMatch(options.hiddenData ? /(^|[^\\])<(?!\/?(details|summary)>|!-- gitops-gate:)/ : /(^|[^\\])<(?!\/?(details|summary)>)/);
  expect(live).not.toMatch(/(^|[^\\])!?\[(click|img)/);
  expect(markdown).not.toMatch(/^\s*(#+ heading|[-*] item)/m);
}

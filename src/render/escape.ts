// User content in the Markdown we write (file paths, rule messages from user policies,
// config values, branch names, comment text), escaped for the context it goes into. A
// path with a backtick must not end our code span and make `@org/team` a live mention;
// a message must not open a link, a table cell or an HTML comment. Mentions (`@x`) and
// references (`#12`, `GH-12`) from user content are neutralised with a word joiner
// (U+2060, invisible) so GitHub neither links nor notifies; lengths are capped.
// CommonMark: https://spec.commonmark.org/0.31.2/#code-spans, GFM tables:
// https://github.github.com/gfm/#tables-extension-

/** Invisible, and breaks GitHub's mention and reference autolinking. */
const JOINER = "\u2060";

/** Caps a string at `max` characters (code points), marking the cut with "…". */
export function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Control characters (newlines included) as spaces: inline contexts are one line. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
}

/**
 * `@user`, `@org/team`, `#12`, `owner/repo#12` and `GH-12` made inert. An `@` after a
 * letter or digit (`a@b.example`, `repo@v1`) is no mention on GitHub and is left alone.
 */
export function defuse(s: string): string {
  return s.replace(/(?<!\w)@(?=[A-Za-z0-9])/g, `@${JOINER}`).replace(/#(?=\d)/g, `#${JOINER}`).replace(/\b(GH)-(?=\d)/gi, `$1${JOINER}-`);
}

/**
 * Inline code that nothing can break out of: a fence one backtick longer than the longest
 * run inside, padded when the content starts or ends with a backtick or a space. In a
 * table cell pass `cell: true`: GFM splits cells at `|` even inside code, unless escaped.
 */
export function code(s: string, options: { max?: number; cell?: boolean } = {}): string {
  const body = oneLine(cap(s, options.max ?? 300)) || " ";
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? " " : "";
  const out = `${fence}${pad}${body}${pad}${fence}`;
  return options.cell ? out.replace(/\|/g, "\\|") : out;
}

/**
 * Plain text inside a line of Markdown (a list item after its marker, a sentence, a
 * heading, link text, a table cell): one line; the characters that open inline syntax
 * (code, emphasis, links and images, HTML and entities, strikethrough, table cells)
 * backslash-escaped, as CommonMark allows for any ASCII punctuation; mentions and
 * references neutralised; capped. Never put it at the start of a line, where `#`, `-`
 * or `1.` would start a block.
 */
export function text(s: string, max = 1000): string {
  // `_` inside a word (`allow_external`) never opens emphasis: it stays as written.
  return defuse(oneLine(cap(s, max)).replace(/[\\`*[\]<>&|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\$&"));
}

/** Text in a table cell: `text` escapes `|` already; named for the reader of the renderer. */
export const cell = text;

/** An http(s) URL safe as a link destination, or undefined (then no link is written). */
export function url(s: string | null | undefined): string | undefined {
  if (!s || s.length > 2000 || !/^https?:\/\/[^\s]+$/i.test(s)) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return undefined;
  return s.replace(/[()<>`"' \\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** `[label](url)` with the label escaped, or the label alone when the URL is not one. */
export function link(label: string, href: string | null | undefined, max = 200): string {
  const safe = url(href);
  return safe ? `[${text(label, max)}](${safe})` : text(label, max);
}

/** GitHub logins: 1-39 letters, digits and single inner hyphens (apps end in `[bot]`). */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;
/** A user or a team as configs and CODEOWNERS name them. */
const OWNER = /^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\/[A-Za-z0-9._-]{1,100})?$/;

/** A user we mean to mention (the merger, the commenter): `@login` when it is a login, else inert code. */
export function mention(login: string): string {
  return LOGIN.test(login) ? `@${login}` : code(login, { max: 100 });
}

/** A rollback owner (`@user` or `@org/team` from config or CODEOWNERS): mentioned when it is one, else inert code. */
export function owner(name: string): string {
  return OWNER.test(name) ? `@${name.replace(/^@/, "")}` : code(name, { max: 100 });
}

/** A fenced code block that no line of `s` can close: the fence outgrows every backtick run. */
export function codeBlock(s: string, max = 4000): string {
  const body = cap(s, max);
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${body}\n${fence}`;
}

/**
 * JSON inside an HTML comment (`<!-- … -->`): `<` and `>` as JSON escapes, so no value can
 * end the comment (`-->`, `--!>`) or open a tag; the JSON parses back unchanged.
 */
export function commentJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
}

/** Plain text where GitHub shows text as is (annotation titles and messages, pull request titles): capped, no control characters but newlines. */
export function plain(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return cap(s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " "), max);
}

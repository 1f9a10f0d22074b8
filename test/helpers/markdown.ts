// What GitHub would make live in Markdown we write: enough of CommonMark and GFM to tell
// text from code. Blocks split at blank lines; table rows split into cells at unescaped
// pipes first (as GFM does, even inside backticks); then code spans per CommonMark (a run
// of n backticks closes at the next run of exactly n) and HTML comments are set aside.

/** The cells of a table row, split where GFM splits them. */
function cells(row: string): string[] {
  return row.replace(/^\s*\|/, "").replace(/\|\s*$/, "").split(/(?<!\\)\|/);
}

function inlines(text: string): { live: string; code: string[] } {
  const code: string[] = [];
  let live = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === "\\" && i + 1 < text.length) {
      live += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end >= 0) {
        i = end + 3;
        continue;
      }
    }
    if (text[i] !== "`") {
      live += text[i];
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === "`") n++;
    const run = "`".repeat(n);
    let close = -1;
    for (let j = i + n; j < text.length; ) {
      if (text[j] !== "`") {
        j++;
        continue;
      }
      let m = 0;
      while (text[j + m] === "`") m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      live += run;
      i += n;
      continue;
    }
    code.push(text.slice(i + n, close).replace(/\n/g, " "));
    i = close + n;
  }
  return { live, code };
}

/** Text outside code spans and HTML comments, and the code spans' contents. */
export function markdownParts(markdown: string): { live: string; code: string[] } {
  const out = { live: "", code: [] as string[] };
  // An HTML comment inside a code span is text: comments are set aside inline, where the
  // first construct to begin wins (CommonMark), as code spans are.
  for (const block of markdown.split(/\n\s*\n/)) {
    const lines = block.split("\n");
    const table = lines.length >= 2 && lines.every((l) => l.trimStart().startsWith("|"));
    const pieces = table ? lines.flatMap(cells) : [block];
    for (const piece of pieces) {
      const { live, code } = inlines(piece);
      out.live += `${live}\n`;
      out.code.push(...code);
    }
  }
  return out;
}

/** `@user`, `@org/team` and `#123` references GitHub would link (and notify) in live text. */
export function liveReferences(markdown: string): string[] {
  const { live } = markdownParts(markdown);
  return [...live.matchAll(/(?<!\w)(@[A-Za-z0-9][\w-]*(?:\/[\w.-]+)?|#\d+)/g)].map((m) => m[1] as string);
}

/** Strings a hostile repository, config or comment can carry into Markdown: code spans,
 * table pipes, headings, HTML comments and tags, links and images, escapes, mentions and
 * references, and one far past every length cap. */
export const HOSTILE: readonly string[] = [
  "a`b ``c``` @mallory/red-team #4242",
  "x | y || z @mallory",
  "line1\nline2\n\n# heading\n- item @mallory/red-team",
  "<!-- hidden #4242",
  "--> shown <img src=x onerror=alert(1)> <a href=https://evil.example>a</a>",
  "[click](https://evil.example) ![img](https://evil.example/x.png) <https://evil.example>",
  "\\`escaped\\` *bold* _em_ ~~s~~ &amp; &#64;mallory \\",
  "GH-4242 acme/deploy#4242 @mallory",
  `${"a".repeat(100_000)} @mallory`,
];

// Globs from configs and CODEOWNERS are written by whoever controls a repository, and they
// are matched on the App's one event loop. picomatch compiles them to backtracking regular
// expressions: `**/a*a*a*a*a*a*a*a*b.yml` against a 56-character path took seconds and held
// every other installation's webhook. This matcher has no backtracking: a path is split into
// segments, a set of pattern positions is carried across them (`**` stays or moves on), and
// each segment is matched by a wildcard walk that is at most O(pattern × segment). With the
// lengths capped below, one match takes at most about 256 × path-length steps per
// alternative of its braces.
//
// Syntax (picomatch's, with `dot: true`): `*` any run within a segment, `?` one character,
// `**` as a whole segment any number of segments, `[abc]`, `[a-z]`, `[!abc]`/`[^abc]`,
// `{a,b}` and `{1..3}` alternatives, `\` escapes, a leading `!` negates, a leading `./` is
// dropped. `[!abc]` negates as in bash (picomatch reads it as `!`, `a`, `b` or `c`).
// Extglobs (`@(a|b)`, `+(a)`, `!(a)`) are refused: use braces.

/** Longest glob accepted (config schema and CODEOWNERS lines). */
export const MAX_GLOB_LENGTH = 256;
/** Alternatives one glob's braces may expand to. */
export const MAX_GLOB_ALTERNATIVES = 64;

type Token = { readonly kind: "char"; readonly c: string } | { readonly kind: "any" } | { readonly kind: "star" } | { readonly kind: "class"; readonly negated: boolean; readonly ranges: ReadonlyArray<readonly [string, string]> };
/** A segment of a pattern: `**`, or tokens matched against one path segment. */
type Segment = "**" | readonly Token[];

export class GlobError extends Error {}

/** Why a glob is refused, or undefined when it compiles. */
export function globProblem(glob: string): string | undefined {
  try {
    compileGlob(glob);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The index of the brace closing the one at `open`, or -1. */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Top-level commas of a brace body. */
function splitAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

function range(body: string): string[] | undefined {
  const m = /^(-?\d+)\.\.(-?\d+)$|^([a-zA-Z])\.\.([a-zA-Z])$/.exec(body);
  if (!m) return undefined;
  const [from, to] = m[1] !== undefined ? [Number(m[1]), Number(m[2])] : [(m[3] as string).charCodeAt(0), (m[4] as string).charCodeAt(0)];
  if (Math.abs(to - from) + 1 > MAX_GLOB_ALTERNATIVES) throw new GlobError(`the range {${body}} expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives`);
  const step = from <= to ? 1 : -1;
  const out: string[] = [];
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) out.push(m[1] !== undefined ? String(i) : String.fromCharCode(i));
  return out;
}

/** `{a,b}` and `{1..3}` expanded, outermost first; at most MAX_GLOB_ALTERNATIVES results. */
export function expandBraces(glob: string): string[] {
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === "\\") {
      i++;
      continue;
    }
    if (glob[i] !== "{") continue;
    const close = closingBrace(glob, i);
    if (close < 0) return [glob];
    const body = glob.slice(i + 1, close);
    const options = range(body) ?? splitAlternatives(body);
    // `{a}` is literal, as in picomatch and bash.
    if (options.length < 2) continue;
    const out: string[] = [];
    for (const o of options) {
      for (const rest of expandBraces(glob.slice(0, i) + o + glob.slice(close + 1))) {
        out.push(rest);
        if (out.length > MAX_GLOB_ALTERNATIVES) throw new GlobError(`its braces expand to more than ${MAX_GLOB_ALTERNATIVES} alternatives`);
      }
    }
    return out;
  }
  return [glob];
}

function tokens(segment: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "\\" && i + 1 < segment.length) out.push({ kind: "char", c: segment[++i] as string });
    else if (c === "?") out.push({ kind: "any" });
    else if (c === "*") {
      if (out.at(-1)?.kind !== "star") out.push({ kind: "star" });
    } else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) {
        out.push({ kind: "char", c });
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      const ranges: Array<[string, string]> = [];
      for (let j = 0; j < body.length; j++) {
        const from = body[j] as string;
        if (body[j + 1] === "-" && j + 2 < body.length) {
          ranges.push([from, body[j + 2] as string]);
          j += 2;
        } else ranges.push([from, from]);
      }
      out.push({ kind: "class", negated, ranges });
      i = end;
    } else out.push({ kind: "char", c });
  }
  return out;
}

function compileOne(glob: string): Segment[] {
  const segments: Segment[] = glob.replace(/^\.\//, "").split("/").map((s) => (s === "**" ? "**" : tokens(s)));
  // picomatch's one quirk kept for compatibility: a trailing `/**` after a segment with a
  // `*` needs at least one more segment (`deploy/*/**` does not match the file `deploy/a`),
  // while after a literal segment it needs none (`deploy/**` matches `deploy`).
  const before = segments.at(-2);
  if (segments.at(-1) === "**" && before !== undefined && before !== "**" && before.some((t) => t.kind === "star")) {
    segments.splice(-1, 0, [{ kind: "star" }]);
  }
  return segments;
}

function tokenMatches(t: Token, c: string): boolean {
  if (t.kind === "char") return t.c === c;
  if (t.kind === "any") return true;
  if (t.kind === "star") return false;
  const inside = t.ranges.some(([from, to]) => c >= from && c <= to);
  return inside !== t.negated;
}

/**
 * One path segment against a segment's tokens: the classic wildcard walk that returns to
 * the last `*` on a mismatch. Each `*` is passed once, so the walk is O(tokens × segment).
 */
function segmentMatches(ts: readonly Token[], s: string): boolean {
  let t = 0;
  let i = 0;
  let starT = -1;
  let starI = 0;
  while (i < s.length) {
    const token = ts[t];
    if (token && token.kind === "star") {
      starT = t++;
      starI = i;
    } else if (token && tokenMatches(token, s[i] as string)) {
      t++;
      i++;
    } else if (starT >= 0) {
      t = starT + 1;
      i = ++starI;
    } else return false;
  }
  while (ts[t]?.kind === "star") t++;
  return t === ts.length;
}

/** Segments of a path against a pattern's: a set of pattern positions, never backtracking. */
function pathMatches(pattern: readonly Segment[], parts: readonly string[]): boolean {
  // Positions reachable before reading a path segment; `**` may be passed over for free.
  const close = (set: Set<number>): Set<number> => {
    for (const p of [...set]) for (let q = p; pattern[q] === "**"; q++) set.add(q + 1);
    return set;
  };
  let at = close(new Set([0]));
  for (const part of parts) {
    const next = new Set<number>();
    for (const p of at) {
      const seg = pattern[p];
      if (seg === undefined) continue;
      if (seg === "**") next.add(p);
      else if (segmentMatches(seg, part)) next.add(p + 1);
    }
    if (next.size === 0) return false;
    at = close(next);
  }
  return at.has(pattern.length);
}

/** A glob → a matcher of `/`-separated paths; throws GlobError for a glob it refuses. */
export function compileGlob(glob: string): (path: string) => boolean {
  if (glob.length > MAX_GLOB_LENGTH) throw new GlobError(`it is ${glob.length} characters, over the limit of ${MAX_GLOB_LENGTH}`);
  const negated = glob.startsWith("!") && !glob.startsWith("!(");
  const body = negated ? glob.slice(1) : glob;
  const ext = /(^|[^\\])[@!+*?]\(/.exec(body);
  if (ext) throw new GlobError(`extglob patterns such as \`${ext[0].slice(ext[1]?.length ?? 0)}…)\` are not supported; use braces: {a,b}`);
  const alternatives = expandBraces(body).map(compileOne);
  return (path) => {
    const parts = path.split("/");
    const hit = alternatives.some((a) => pathMatches(a, parts));
    return hit !== negated;
  };
}

/** Any of the globs matches (a list as picomatch takes it); no globs: nothing matches. */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map(compileGlob);
  return (path) => matchers.some((m) => m(path));
}

// conftest's --namespace patterns: Go's path.Match over package names, where `*` matches
// any run of characters (a package name has no `/`, so dots included), `?` one character,
// `[...]` a class (`^` negates, `a-z` ranges, `\` escapes). A pattern without `*?[` is a
// literal name (conftest keeps such lists as they are).

/** conftest's hasWildcard: does any pattern contain a glob metacharacter. */
export function hasWildcard(patterns: readonly string[]): boolean {
  return patterns.some((p) => /[*?[]/.test(p));
}

class BadPattern extends Error {}

/** Go's getEsc: one (possibly escaped) character of a class, and the index after it. */
function getEsc(pattern: readonly string[], i: number): [string, number] {
  let c = pattern[i];
  if (c === undefined || c === "-" || c === "]") throw new BadPattern();
  if (c === "\\") {
    c = pattern[++i];
    if (c === undefined) throw new BadPattern();
  }
  i++;
  if (i >= pattern.length) throw new BadPattern();
  return [c, i];
}

/** One class `[...]` at `i` (after `[`) against rune `c`: [matched, index after `]`]. */
function matchClass(pattern: readonly string[], i: number, c: string): [boolean, number] {
  let negated = false;
  if (pattern[i] === "^") {
    negated = true;
    i++;
  }
  let matched = false;
  for (let n = 0; ; n++) {
    if (pattern[i] === "]" && n > 0) return [matched !== negated, i + 1];
    let lo: string;
    [lo, i] = getEsc(pattern, i);
    let hi = lo;
    if (pattern[i] === "-") [hi, i] = getEsc(pattern, i + 1);
    const r = c.codePointAt(0) as number;
    if ((lo.codePointAt(0) as number) <= r && r <= (hi.codePointAt(0) as number)) matched = true;
  }
}

function matchFrom(pattern: readonly string[], pi: number, name: readonly string[], ni: number): boolean {
  while (pi < pattern.length) {
    const p = pattern[pi] as string;
    if (p === "*") {
      while (pattern[pi] === "*") pi++;
      if (pi === pattern.length) return true;
      for (let k = ni; k <= name.length; k++) if (matchFrom(pattern, pi, name, k)) return true;
      return false;
    }
    if (ni >= name.length) {
      // Go still reports a malformed class later in the pattern.
      validate(pattern, pi);
      return false;
    }
    const c = name[ni] as string;
    if (p === "?") {
      pi++;
      ni++;
    } else if (p === "[") {
      const [ok, next] = matchClass(pattern, pi + 1, c);
      if (!ok) {
        validate(pattern, next);
        return false;
      }
      pi = next;
      ni++;
    } else {
      let lit = p;
      if (p === "\\") {
        lit = pattern[pi + 1] as string;
        if (lit === undefined) throw new BadPattern();
        pi++;
      }
      if (lit !== c) {
        validate(pattern, pi + 1);
        return false;
      }
      pi++;
      ni++;
    }
  }
  return ni === name.length;
}

/** path.Match reports ErrBadPattern for a malformed rest even after a mismatch. */
function validate(pattern: readonly string[], from: number): void {
  for (let i = from; i < pattern.length; i++) {
    if (pattern[i] === "\\") {
      if (i + 1 >= pattern.length) throw new BadPattern();
      i++;
    } else if (pattern[i] === "[") {
      [, i] = matchClass(pattern, i + 1, "\u0000");
      i--;
    }
  }
}

/** path.Match(pattern, name); throws for a malformed pattern, as conftest fails the run. */
export function namespaceMatches(pattern: string, name: string): boolean {
  try {
    return matchFrom([...pattern], 0, [...name], 0);
  } catch (e) {
    if (e instanceof BadPattern) throw new Error(`filter namespaces: match pattern ${JSON.stringify(pattern)}: syntax error in pattern`, { cause: e });
    throw e;
  }
}

/** conftest's filterNamespaces: the available namespaces (in their order) that match a pattern. */
export function filterNamespaces(available: readonly string[], patterns: readonly string[]): string[] {
  return available.filter((ns) => patterns.some((p) => namespaceMatches(p, ns)));
}

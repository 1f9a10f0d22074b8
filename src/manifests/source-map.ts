/** A segment of a field path: a mapping key or a sequence index. */
export type PathSegment = string | number;

const SEP = "\u0000";

function keyOf(path: readonly PathSegment[]): string {
  return path.join(SEP);
}

/**
 * Field path → 1-based line for one document. A path that does not exist (a policy
 * reporting a missing field) resolves to its nearest existing ancestor, so a finding
 * about `resources.limits` lands on the container that lacks it.
 */
export class SourceMap {
  private readonly lines = new Map<string, number>();

  constructor(private readonly rootLine: number) {}

  set(path: readonly PathSegment[], line: number): void {
    const key = keyOf(path);
    if (!this.lines.has(key)) this.lines.set(key, line);
  }

  /** The line of `path`, or of its deepest existing ancestor, or of the document. */
  lineOf(path: readonly PathSegment[]): number {
    for (let n = path.length; n > 0; n--) {
      const line = this.lines.get(keyOf(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return this.rootLine;
  }

  /** True when the exact path exists in the document. */
  has(path: readonly PathSegment[]): boolean {
    return this.lines.has(keyOf(path));
  }

  get size(): number {
    return this.lines.size;
  }
}

/**
 * Parses a field path as policies write it: an array of segments, or a string in
 * `spec.containers[0].image` form (keys with dots or brackets go in `["..."]`).
 */
export function parseFieldPath(field: unknown): PathSegment[] | undefined {
  if (Array.isArray(field)) {
    return field.every((s) => typeof s === "string" || (typeof s === "number" && Number.isInteger(s)))
      ? (field as PathSegment[])
      : undefined;
  }
  if (typeof field !== "string" || field === "") return undefined;
  const out: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3].replace(/\\(.)/g, "$1"));
    else if (m[4] !== undefined) out.push(m[4]);
  }
  return out.length > 0 ? out : undefined;
}

/** Renders a path the way people read it: `spec.containers[0].image`. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

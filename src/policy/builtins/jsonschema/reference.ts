/**
 * xeipuuv/gojsonreference and gojsonpointer (the versions OPA 1.22.3 pins): a reference is
 * a URL whose fragment is a JSON pointer.
 */
import { parseURL, resolveReference, urlString, URLError, type URL } from "../uri.js";
import { DocError, isMap, type J } from "./doc.js";

export class JsonReference {
  private constructor(
    readonly url: URL,
    readonly tokens: readonly string[] | undefined,
    readonly hasFullUrl: boolean,
    readonly hasFragmentOnly: boolean,
    readonly hasFileScheme: boolean,
    readonly hasFullFilePath: boolean,
  ) {}

  /** NewJsonReference; throws DocError with url.Parse's message. */
  static parse(s: string): JsonReference {
    let url: URL;
    try {
      url = parseURL(s);
    } catch (e) {
      if (e instanceof URLError) throw new DocError(e.message);
      throw e;
    }
    const full = url.scheme !== "" && url.host !== "";
    const fragmentOnly = !full && url.path === "" && url.rawQuery === "" && url.fragment !== "";
    // NewJsonPointer: "" is the whole document; anything not starting with "/" is ignored.
    const tokens = url.fragment === "" || url.fragment[0] !== "/" ? undefined : url.fragment.slice(1).split("/");
    return new JsonReference(url, tokens, full, fragmentOnly, url.scheme === "file", url.path.startsWith("/"));
  }

  toString(): string {
    return urlString(this.url);
  }

  isCanonical(): boolean {
    return (this.hasFileScheme && this.hasFullFilePath) || (!this.hasFileScheme && this.hasFullUrl);
  }

  /** The same reference without its fragment. */
  withoutFragment(): JsonReference {
    return JsonReference.parse(urlString({ ...this.url, fragment: "", rawFragment: "" }));
  }

  /** Inherits: the child resolved against this reference (its fragment dropped). */
  inherits(child: JsonReference): JsonReference {
    const base = { ...this.url, fragment: "", rawFragment: "" };
    return JsonReference.parse(urlString(resolveReference(base, child.url)));
  }

  /** JsonPointer.Get. */
  get(document: J): J {
    if (this.tokens === undefined) return document;
    let node = document;
    for (const token of this.tokens) {
      if (isMap(node)) {
        const key = token.replaceAll("~1", "/").replaceAll("~0", "~");
        if (!node.has(key)) throw new DocError(`Object has no key '${key}'`);
        node = node.get(key)!;
      } else if (Array.isArray(node)) {
        if (!/^[+-]?\d+$/.test(token) || !Number.isSafeInteger(Number(token))) throw new DocError(`Invalid array index '${token}'`);
        const index = Number(token);
        if (index < 0 || index >= node.length) throw new DocError(`Out of bound array[0,${node.length}] index '${index}'`);
        node = node[index]!;
      } else throw new DocError(`Invalid token reference '${token}'`);
    }
    return node;
  }
}

// Syntax tree → the JSON that hcl2json (convert.go) makes of it, which is what conftest
// hands policies, plus the line of every block and value on the way. Blocks nest by type
// and labels, bodies go in arrays (repeated blocks append); literals are JSON values;
// templates are re-rendered ("a-${var.x}", "%{if c}…%{endif}"); any other expression is
// its source text in `${…}`; tuples and objects are converted element by element.
import type { LineIndex } from "../lines.js";
import type { PathSegment } from "../source-map.js";
import { HclError } from "./error.js";
import type { Block, Body, Expr, Span } from "./syntax.js";
import { VALID_NUMBER } from "./tokens.js";

type Obj = Record<string, unknown>;

export interface Converted {
  readonly content: Obj;
  /** Field paths with their lines: blocks keep their first header, values their last definition. */
  readonly places: Iterable<readonly [readonly PathSegment[], number]>;
}

export function convert(src: string, lines: LineIndex, body: Body): Converted {
  const converter = new Converter(src, lines);
  const content = converter.body(body, []);
  return { content, places: converter.entries.values() };
}

class Converter {
  /** Path key → [path, line]. */
  readonly entries = new Map<string, [readonly PathSegment[], number]>();

  constructor(
    private readonly src: string,
    private readonly lines: LineIndex,
  ) {}

  private record(path: readonly PathSegment[], offset: number, overwrite: boolean): void {
    const key = path.join("\u0000");
    if (overwrite || !this.entries.has(key)) this.entries.set(key, [[...path], this.lines.lineOf(offset)]);
  }

  body(body: Body, path: readonly PathSegment[]): Obj {
    const out: Obj = {};
    for (const block of body.blocks) this.block(block, out, path);
    for (const attr of body.attributes) {
      const p = [...path, attr.name];
      this.record(p, attr.s, true);
      setKey(out, attr.name, this.expr(attr.expr, p));
    }
    return out;
  }

  /** Adds a block's body to the array at out[type][label]…, creating the levels it lacks. */
  private block(block: Block, out: Obj, base: readonly PathSegment[]): void {
    let target = out;
    let key = block.type;
    const path: PathSegment[] = [...base];
    for (const label of block.labels) {
      target = this.labelLevel(block, target, key);
      path.push(key);
      this.record(path, block.s, false);
      key = label;
    }
    path.push(key);
    const list = Object.hasOwn(target, key) ? target[key] : undefined;
    if (list !== undefined && !Array.isArray(list)) {
      throw new HclError("syntax", block.s, `Invalid HCL for ${JSON.stringify(key)} block: cannot have blocks with and without labels`);
    }
    const index = list === undefined ? 0 : list.length;
    this.record(path, block.s, false);
    this.record([...path, index], block.s, false);
    const value = this.body(block.body, [...path, index]);
    if (list === undefined) setKey(target, key, [value]);
    else list.push(value);
  }

  /** The object at target[key], made when missing; a block with fewer labels there is an error. */
  private labelLevel(block: Block, target: Obj, key: string): Obj {
    if (!Object.hasOwn(target, key)) {
      const inner: Obj = {};
      setKey(target, key, inner);
      return inner;
    }
    const inner = target[key];
    if (!isObj(inner)) {
      throw new HclError("syntax", block.s, `Unable to convert block to JSON: ${[block.type, ...block.labels].join(".")} (blocks of one type must all have the same number of labels)`);
    }
    return inner;
  }

  private rangeSource(e: Span): string {
    // hcl2json takes a ")" right after an expression into it.
    const end = this.src[e.e] === ")" ? e.e + 1 : e.e;
    return this.src.slice(e.s, end);
  }

  private wrap(e: Span): string {
    return "${" + this.rangeSource(e) + "}";
  }

  expr(e: Expr, path: readonly PathSegment[]): unknown {
    switch (e.k) {
      case "num":
        return toNumber(e.text, false, e.s);
      case "bool":
        return e.v;
      case "null":
        return null;
      case "str":
        return e.v;
      case "unary":
        return this.unary(e);
      case "tmpl":
        return this.template(e);
      case "wrap":
        return this.expr(e.inner, path);
      case "tuple":
        return e.items.map((item, i) => {
          const p = [...path, i];
          this.record(p, item.s, true);
          return this.expr(item, p);
        });
      case "object":
        return this.object(e, path);
      default:
        return this.wrap(e);
    }
  }

  /** `-1` and `!true` are values; an operator on anything but a literal is source text. */
  private unary(e: Extract<Expr, { k: "unary" }>): unknown {
    const v = e.val;
    if (v.k !== "num" && v.k !== "bool" && v.k !== "null") return this.wrap(e);
    if (e.op === "-" && v.k === "num") return toNumber(v.text, true, v.s);
    if (e.op === "!" && v.k === "bool") return !v.v;
    throw new HclError("syntax", e.s, `Invalid operand: unsuitable value for unary ${e.op}`);
  }

  /** Keys written as traversals (`a.b = 1`) are their text; any other key is rendered. */
  private object(e: Extract<Expr, { k: "object" }>, path: readonly PathSegment[]): Obj {
    const out: Obj = {};
    for (const item of e.items) {
      const key = item.key.k === "trav" ? this.rangeSource(item.key) : this.stringPart(item.key);
      const p = [...path, key];
      this.record(p, item.key.s, true);
      setKey(out, key, this.expr(item.value, p));
    }
    return out;
  }

  private template(e: Extract<Expr, { k: "tmpl" }>): string {
    const [only] = e.parts;
    if (e.parts.length === 1 && only) {
      // A lone literal: the template's value, escaped. A lone null cannot be rendered.
      if (only.k === "null") throw new HclError("syntax", only.s, "Invalid template interpolation value: null");
      if (only.k === "str" || only.k === "num" || only.k === "bool") return this.stringPart(only);
    }
    return e.parts.map((p) => this.stringPart(p)).join("");
  }

  /** One part of a template as hcl2json writes it back into a string. */
  private stringPart(e: Expr): string {
    switch (e.k) {
      case "null":
        return "null";
      case "num":
        return escapeLiteral(decimalString(e.text, e.s));
      case "bool":
        return String(e.v);
      case "str":
        return escapeLiteral(e.v);
      case "tmpl":
        return this.template(e);
      case "wrap":
        return this.stringPart(e.inner);
      case "cond":
        return this.conditional(e);
      case "join": {
        const names = e.keyVar ? `${e.keyVar}, ${e.valVar}` : e.valVar;
        return `%{for ${names} in ${this.rangeSource(e.coll)}}${this.stringPart(e.body)}%{endfor}`;
      }
      default:
        return this.wrap(e);
    }
  }

  private conditional(e: Extract<Expr, { k: "cond" }>): string {
    let t: string;
    try {
      t = this.stringPart(e.t);
    } catch (err) {
      // hcl2json drops the whole conditional when its true branch fails to render.
      if (isSyntaxError(err)) return "";
      throw err;
    }
    let f = "";
    try {
      f = this.stringPart(e.f);
    } catch (err) {
      // …and only the else branch when that one fails.
      if (!isSyntaxError(err)) throw err;
    }
    return `%{if ${this.rangeSource(e.cond)}}${t}${f.length > 0 ? `%{else}${f}` : ""}%{endif}`;
  }
}

function isSyntaxError(err: unknown): boolean {
  return err instanceof HclError && err.reason === "syntax";
}

function setKey(obj: Obj, key: string, value: unknown): void {
  // Own data property even for "__proto__": the document is data, never a prototype.
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toNumber(text: string, negate: boolean, at: number): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new HclError("number-range", at, `number ${text} is out of range for a 64-bit float`);
  return negate ? -n : n;
}

/** A number as cty renders it in a string: plain decimal, no exponent, no trailing zeros. */
function decimalString(text: string, at: number): string {
  const m = VALID_NUMBER.exec(text) as RegExpExecArray;
  const frac = m[2] ?? "";
  let digits = ((m[1] as string) + frac).replace(/^0+/, "");
  let exp = Number(m[3] ?? 0) - frac.length;
  if (digits === "") return "0";
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  // Bounds what a short literal can blow up to: 1e999999 would be a megabyte of zeros.
  if (Math.abs(exp) > 10_000) throw new HclError("number-range", at, `number ${text} is too large to render`);
  if (exp >= 0) return digits + "0".repeat(exp);
  const point = digits.length + exp;
  return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${"0".repeat(-point)}${digits}`;
}

function escapeLiteral(s: string): string {
  // Function replacers: in a replacement string "$$" would mean a single "$".
  return s.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
}

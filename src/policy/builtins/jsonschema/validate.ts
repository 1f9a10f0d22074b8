/**
 * gojsonschema's validation.go: the same traversal, scores (which anyOf/oneOf/contains
 * branch's errors are reported), error types, contexts and descriptions.
 */
import { bigFloatString, ratCmp, ratIsInt, ratOf, ratQuoIsInt } from "../go/bigrat.js";
import { runeCount } from "../go/strconv.js";
import { GoRegexp } from "../re2/regexp.js";
import { isMap, JNum, keysOf, marshalWithoutNumber, type J, type JMap } from "./doc.js";
import { isFormat } from "./formats.js";
import { template, T, type Details } from "./messages.js";
import type { Sub } from "./sub.js";

export interface ResultError {
  type: string;
  context: string;
  field: string;
  description: string;
}

class Result {
  errors: ResultError[] = [];
  score = 0;

  add(type: keyof typeof TYPES, context: string, details: Details = {}): void {
    const field = context.startsWith("(Root).") ? context.slice("(Root).".length) : context;
    const description = template(T[TYPES[type]], { ...details, field, context: details["context"] ?? context });
    this.errors.push({ type, context, field, description });
    this.score -= 2;
  }

  merge(other: Result): void {
    this.errors.push(...other.errors);
    this.score += other.score;
  }

  get valid(): boolean {
    return this.errors.length === 0;
  }
}

/** Error types and their message formats. */
const TYPES = {
  false: "false", required: "required", invalid_type: "invalidType", number_any_of: "numberAnyOf", number_one_of: "numberOneOf",
  number_all_of: "numberAllOf", number_not: "numberNot", missing_dependency: "missingDependency", internal: "internal", const: "const",
  enum: "enum", array_no_additional_items: "arrayNoAdditionalItems", array_min_items: "arrayMinItems", array_max_items: "arrayMaxItems",
  unique: "unique", contains: "arrayContains", array_min_properties: "arrayMinProperties", array_max_properties: "arrayMaxProperties",
  additional_property_not_allowed: "additionalPropertyNotAllowed", invalid_property_name: "invalidPropertyName", string_gte: "stringGTE",
  string_lte: "stringLTE", pattern: "doesNotMatchPattern", format: "doesNotMatchFormat", multiple_of: "multipleOf", number_gte: "numberGTE",
  number_gt: "numberGT", number_lte: "numberLTE", number_lt: "numberLT", condition_then: "conditionThen", condition_else: "conditionElse",
} as const satisfies Record<string, keyof typeof T>;

const child = (context: string, head: string): string => `${context}.${head}`;

function typeString(types: readonly string[]): string {
  return types.length > 1 ? `[${types.join(",")}]` : types[0]!;
}

function subValidate(s: Sub, node: J, context: string): Result {
  const r = new Result();
  validateRecursive(s, node, r, context);
  return r;
}

function validateRecursive(s: Sub, node: J, result: Result, context: string): void {
  if (s.pass !== undefined) {
    if (!s.pass) result.add("false", context);
    return;
  }
  if (s.refSchema) return validateRecursive(s.refSchema, node, result, context);
  const typed = s.types.length > 0;
  const wrongType = (given: string): boolean => {
    if (!typed || s.types.includes(given)) return false;
    result.add("invalid_type", context, { expected: typeString(s.types), given });
    return true;
  };
  if (node === null) {
    if (wrongType("null")) return;
    validateSchema(s, node, result, context);
    validateCommon(s, node, result, context);
  } else if (node instanceof JNum) {
    const r = ratOf(node.text);
    const isInt = r !== undefined && ratIsInt(r);
    const valid = s.types.includes("number") || (isInt && s.types.includes("integer"));
    if (typed && !valid) {
      result.add("invalid_type", context, { expected: typeString(s.types), given: isInt ? "integer" : "number" });
      return;
    }
    validateSchema(s, node, result, context);
    validateNumber(s, node, result, context);
    validateCommon(s, node, result, context);
  } else if (Array.isArray(node)) {
    if (wrongType("array")) return;
    validateSchema(s, node, result, context);
    validateArray(s, node, result, context);
    validateCommon(s, node, result, context);
  } else if (isMap(node)) {
    if (wrongType("object")) return;
    validateSchema(s, node, result, context);
    validateObject(s, node, result, context);
    validateCommon(s, node, result, context);
    for (const p of s.props) if (node.has(p.property)) validateRecursive(p, node.get(p.property)!, result, child(context, p.property));
  } else if (typeof node === "boolean") {
    if (wrongType("boolean")) return;
    validateSchema(s, node, result, context);
    validateCommon(s, node, result, context);
  } else {
    if (wrongType("string")) return;
    validateSchema(s, node, result, context);
    validateCommon(s, node, result, context);
    validateString(s, node, result, context);
  }
  result.score++;
}

function validateSchema(s: Sub, node: J, result: Result, context: string): void {
  if (s.anyOf.length > 0) {
    let ok = false;
    let best: Result | undefined;
    for (const a of s.anyOf) {
      if (ok) continue;
      const r = subValidate(a, node, context);
      ok = r.valid;
      if (!ok && (!best || r.score > best.score)) best = r;
    }
    if (!ok) {
      result.add("number_any_of", context);
      if (best) result.merge(best);
    }
  }
  if (s.oneOf.length > 0) {
    let n = 0;
    let best: Result | undefined;
    for (const o of s.oneOf) {
      const r = subValidate(o, node, context);
      if (r.valid) n++;
      else if (n === 0 && (!best || r.score > best.score)) best = r;
    }
    if (n !== 1) {
      result.add("number_one_of", context);
      if (n === 0) result.merge(best!);
    }
  }
  if (s.allOf.length > 0) {
    let n = 0;
    for (const a of s.allOf) {
      const r = subValidate(a, node, context);
      if (r.valid) n++;
      result.merge(r);
    }
    if (n !== s.allOf.length) result.add("number_all_of", context);
  }
  if (s.not && subValidate(s.not, node, context).valid) result.add("number_not", context);
  if (s.dependencies && s.dependencies.size > 0 && isMap(node)) {
    for (const key of keysOf(node)) {
      const dep = s.dependencies.get(key);
      if (dep === undefined) continue;
      if (Array.isArray(dep)) {
        for (const d of dep) if (!node.has(d)) result.add("missing_dependency", context, { dependency: d });
      } else validateRecursive(dep, node, result, context);
    }
  }
  if (s.if) {
    const r = subValidate(s.if, node, context);
    if (s.then && r.valid) {
      const t = subValidate(s.then, node, context);
      if (!t.valid) {
        result.add("condition_then", context);
        result.merge(t);
      }
    }
    if (s.else && !r.valid) {
      const e = subValidate(s.else, node, context);
      if (!e.valid) {
        result.add("condition_else", context);
        result.merge(e);
      }
    }
  }
  result.score++;
}

function validateCommon(s: Sub, node: J, result: Result, context: string): void {
  if (s.const !== undefined && marshalWithoutNumber(node) !== s.const) result.add("const", context, { allowed: s.const });
  if (s.enum !== undefined && !s.enum.includes(marshalWithoutNumber(node))) result.add("enum", context, { allowed: s.enum.join(", ") });
  if (s.format !== "" && !isFormat(s.format, node)) result.add("format", context, { format: s.format });
  result.score++;
}

function validateArray(s: Sub, value: J[], result: Result, context: string): void {
  if (s.itemsSingle) {
    value.forEach((v, i) => result.merge(subValidate(s.items[0]!, v, child(context, String(i)))));
  } else if (s.items.length > 0) {
    const n = Math.min(s.items.length, value.length);
    for (let i = 0; i < n; i++) result.merge(subValidate(s.items[i]!, value[i]!, child(context, String(i))));
    if (s.items.length < value.length) {
      if (s.additionalItems === false) result.add("array_no_additional_items", context);
      else if (s.additionalItems !== undefined && s.additionalItems !== true) {
        for (let i = s.items.length; i < value.length; i++) result.merge(subValidate(s.additionalItems, value[i]!, child(context, String(i))));
      }
    }
  }
  if (s.minItems !== undefined && value.length < s.minItems) result.add("array_min_items", context, { min: s.minItems });
  if (s.maxItems !== undefined && value.length > s.maxItems) result.add("array_max_items", context, { max: s.maxItems });
  if (s.uniqueItems) {
    const seen = new Map<string, number>();
    value.forEach((v, j) => {
      const text = marshalWithoutNumber(v);
      const i = seen.get(text);
      if (i !== undefined) result.add("unique", context, { type: "array", i, j });
      seen.set(text, j);
    });
  }
  if (s.contains) {
    let ok = false;
    let best: Result | undefined;
    for (let i = 0; i < value.length; i++) {
      const r = subValidate(s.contains, value[i]!, child(context, String(i)));
      if (r.valid) {
        ok = true;
        break;
      }
      if (!best || r.score > best.score) best = r;
    }
    if (!ok) {
      result.add("contains", context);
      if (best) result.merge(best);
    }
  }
  result.score++;
}

function validateObject(s: Sub, value: JMap, result: Result, context: string): void {
  if (s.minProperties !== undefined && value.size < s.minProperties) result.add("array_min_properties", context, { min: s.minProperties });
  if (s.maxProperties !== undefined && value.size > s.maxProperties) result.add("array_max_properties", context, { max: s.maxProperties });
  for (const r of s.required) {
    if (value.has(r)) result.score++;
    else result.add("required", context, { property: r });
  }
  for (const key of keysOf(value)) {
    const found = s.props.some((p) => p.property === key);
    let matched = false;
    for (const [pattern, ps] of s.patternProperties ?? []) {
      if (!ps || !patternMatches(pattern, key)) continue;
      matched = true;
      result.merge(subValidate(ps, value.get(key)!, child(context, key)));
    }
    if (matched) result.score++;
    if (found || matched) continue;
    const ap = s.additionalProperties;
    if (ap === false) result.add("additional_property_not_allowed", context, { property: key });
    else if (ap !== undefined && ap !== true) result.merge(subValidate(ap, value.get(key)!, child(context, key)));
  }
  if (s.propertyNames) {
    for (const key of keysOf(value)) {
      const r = subValidate(s.propertyNames, key, context);
      if (!r.valid) {
        result.add("invalid_property_name", context, { property: key });
        result.merge(r);
      }
    }
  }
  result.score++;
}

function validateString(s: Sub, value: string, result: Result, context: string): void {
  if (s.minLength !== undefined && runeCount(value) < s.minLength) result.add("string_gte", context, { min: s.minLength });
  if (s.maxLength !== undefined && runeCount(value) > s.maxLength) result.add("string_lte", context, { max: s.maxLength });
  if (s.pattern && !s.pattern.matchString(value)) result.add("pattern", context, { pattern: s.pattern.expr });
  result.score++;
}

function validateNumber(s: Sub, value: JNum, result: Result, context: string): void {
  const r = ratOf(value.text)!;
  if (s.multipleOf && !ratQuoIsInt(r, s.multipleOf)) result.add("multiple_of", context, { multiple: bigFloatString(s.multipleOf) });
  if (s.maximum && ratCmp(r, s.maximum) === 1) result.add("number_lte", context, { max: bigFloatString(s.maximum) });
  if (s.exclusiveMaximum && ratCmp(r, s.exclusiveMaximum) >= 0) result.add("number_lt", context, { max: bigFloatString(s.exclusiveMaximum) });
  if (s.minimum && ratCmp(r, s.minimum) === -1) result.add("number_gte", context, { min: bigFloatString(s.minimum) });
  if (s.exclusiveMinimum && ratCmp(r, s.exclusiveMinimum) <= 0) result.add("number_gt", context, { min: bigFloatString(s.exclusiveMinimum) });
  result.score++;
}

function patternMatches(pattern: string, key: string): boolean {
  return GoRegexp.compile(pattern).matchString(key);
}

/** Schema.Validate: the errors in gojsonschema's order. */
export function validate(root: Sub, document: J): ResultError[] {
  const r = new Result();
  validateRecursive(root, document, r, "(Root)");
  return r.errors;
}

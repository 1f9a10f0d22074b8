/** gojsonschema's parseSchema from `type` on: each keyword in Go's order, with its errors. */
import { RegexpSyntaxError } from "../re2/parse.js";
import { GoRegexp } from "../re2/regexp.js";
import { isMap, JNum, keysOf, marshalWithoutNumber, type J, type JMap } from "./doc.js";
import { DRAFT4, DRAFT6, DRAFT7, fail, getSlice, getString, HYBRID, integerOf, invalidType, numberOf, template, T } from "./messages.js";
import type { Sub } from "./sub.js";

type Child = (node: J, property: string, parent: Sub) => Sub;

const TYPES = ["array", "boolean", "integer", "number", "null", "object", "string"];

function addType(types: string[], t: string): void {
  if (!TYPES.includes(t)) fail(template(T.notAValidType, { given: `/${t}/`, expected: `[${TYPES.join(" ")}]` }));
  if (types.includes(t)) fail(template(T.duplicated, { type: t }));
  types.push(t);
}

const isSchemaNode = (x: J): boolean => typeof x === "boolean" || isMap(x);

function compileRegexp(expr: string, message: string): GoRegexp {
  try {
    return GoRegexp.compile(expr);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) return fail(message);
    throw e;
  }
}

function parseStructure(m: JMap, s: Sub, draft: number, child: Child): void {
  if (m.has("type")) {
    const typ = m.get("type")!;
    if (typeof typ === "string") addType(s.types, typ);
    else if (Array.isArray(typ)) {
      for (const t of typ) {
        if (typeof t !== "string") invalidType("type", "string/Array Of Strings");
        addType(s.types, t as string);
      }
    } else invalidType("type", "string/Array Of Strings");
  }
  if (m.has("properties")) {
    const props = m.get("properties")!;
    if (!isMap(props)) fail(template(T.mustBeOfType, { key: "Properties", type: "object" }));
    for (const k of keysOf(props as JMap)) s.props.push(child((props as JMap).get(k)!, k, s));
  }
  if (m.has("additionalProperties")) {
    const v = m.get("additionalProperties")!;
    if (typeof v === "boolean") s.additionalProperties = v;
    else if (isMap(v)) s.additionalProperties = child(v, "additionalProperties", s);
    else invalidType("boolean/Valid Schema", "additionalProperties");
  }
  if (m.has("patternProperties")) {
    const pp = m.get("patternProperties")!;
    if (!isMap(pp)) invalidType("Valid Schema", "patternProperties");
    if ((pp as JMap).size > 0) {
      s.patternProperties = new Map();
      for (const k of keysOf(pp as JMap)) {
        compileRegexp(k, template(T.regexPattern, { pattern: k }));
        s.patternProperties.set(k, child((pp as JMap).get(k)!, k, s));
      }
    }
  }
  if (m.has("propertyNames") && draft >= DRAFT6) {
    const v = m.get("propertyNames")!;
    if (!isSchemaNode(v)) fail(template(T.invalidType, { expected: "Valid Schema", given: "patternProperties" }));
    s.propertyNames = child(v, "propertyNames", s);
  }
  if (m.has("dependencies")) parseDependencies(m.get("dependencies")!, s, child);
  if (m.has("items")) {
    const items = m.get("items")!;
    if (Array.isArray(items)) {
      for (const el of items) {
        if (!isSchemaNode(el)) invalidType("Valid Schema/Array Of Schemas", "items");
        s.items.push(child(el, "items", s));
        s.itemsSingle = false;
      }
    } else if (isSchemaNode(items)) {
      s.items.push(child(items, "items", s));
      s.itemsSingle = true;
    } else invalidType("Valid Schema/Array Of Schemas", "items");
  }
  if (m.has("additionalItems")) {
    const v = m.get("additionalItems")!;
    if (typeof v === "boolean") s.additionalItems = v;
    else if (isMap(v)) s.additionalItems = child(v, "additionalItems", s);
    else invalidType("boolean/Valid Schema", "additionalItems");
  }
}

function parseDependencies(node: J, s: Sub, child: Child): void {
  if (!isMap(node)) fail(template(T.mustBeOfType, { key: "dependencies", type: "object" }));
  s.dependencies = new Map();
  for (const k of keysOf(node as JMap)) {
    const v = (node as JMap).get(k)!;
    if (Array.isArray(v)) {
      const names: string[] = [];
      for (const x of v) {
        if (typeof x !== "string") fail(template(T.mustBeOfType, { key: "Dependency", type: "Schema Or Array Of Strings" }));
        names.push(x as string);
        s.dependencies.set(k, names);
      }
    } else if (isSchemaNode(v)) s.dependencies.set(k, child(v, k, s));
    else fail(template(T.mustBeOfType, { key: "Dependency", type: "Schema Or Array Of Strings" }));
  }
}

function parseNumbers(m: JMap, s: Sub, draft: number): void {
  if (m.has("multipleOf")) {
    const v = numberOf(m.get("multipleOf"));
    if (!v) return invalidType("Number", "multipleOf");
    if (v.n <= 0n) fail(template(T.greaterThanZero, { number: "multipleOf" }));
    s.multipleOf = v;
  }
  for (const [key, exclusive] of [["minimum", "exclusiveMinimum"], ["maximum", "exclusiveMaximum"]] as const) {
    if (m.has(key)) {
      const v = numberOf(m.get(key));
      if (!v) fail(template(T.mustBeOfA, { x: key, y: "Number" }));
      s[key] = v;
    }
    if (!m.has(exclusive)) continue;
    const x = m.get(exclusive)!;
    const useBoolean = (b: boolean): void => {
      if (!s[key]) fail(template(T.cannotBeUsedWithout, { x: exclusive, y: key }));
      if (b) [s[exclusive], s[key]] = [s[key], undefined];
    };
    if (draft === DRAFT4) {
      if (typeof x !== "boolean") invalidType("boolean", exclusive);
      useBoolean(x as boolean);
    } else if (draft === HYBRID) {
      if (typeof x === "boolean") useBoolean(x);
      else if (x instanceof JNum) s[exclusive] = numberOf(x);
      else invalidType("boolean/number", exclusive);
    } else if (x instanceof JNum) s[exclusive] = numberOf(x);
    else invalidType("number", exclusive);
  }
}

type Count = "minLength" | "maxLength" | "minProperties" | "maxProperties" | "minItems" | "maxItems";

function count(m: JMap, s: Sub, key: Count): void {
  if (!m.has(key)) return;
  const v = integerOf(m.get(key));
  if (v === undefined) return fail(template(T.mustBeOfAn, { x: key, y: "integer" }));
  if (v < 0) fail(template(T.mustBeGTEZero, { key }));
  s[key] = v;
}

function parseValues(m: JMap, s: Sub, draft: number, child: Child): void {
  count(m, s, "minProperties");
  count(m, s, "maxProperties");
  if (s.minProperties !== undefined && s.maxProperties !== undefined && s.minProperties > s.maxProperties) {
    fail(template(T.keyCannotBeGreaterThan, { key: "minProperties", y: "maxProperties" }));
  }
  for (const r of getSlice(m, "required") ?? []) {
    if (typeof r !== "string") invalidType("string", "required");
    if (s.required.includes(r as string)) fail(template(T.keyItemsMustBeUnique, { key: "required" }));
    s.required.push(r as string);
  }
  count(m, s, "minItems");
  count(m, s, "maxItems");
  if (m.has("uniqueItems")) {
    const u = m.get("uniqueItems");
    if (typeof u !== "boolean") fail(template(T.mustBeOfA, { x: "uniqueItems", y: "boolean" }));
    s.uniqueItems = u as boolean;
  }
  if (m.has("contains") && draft >= DRAFT6) s.contains = child(m.get("contains")!, "contains", s);
  if (m.has("const") && draft >= DRAFT6) s.const = marshalWithoutNumber(m.get("const")!);
  const e = getSlice(m, "enum");
  if (e) {
    s.enum = [];
    for (const v of e) {
      const text = marshalWithoutNumber(v);
      if (s.enum.includes(text)) fail(template(T.keyItemsMustBeUnique, { key: "enum" }));
      s.enum.push(text);
    }
  }
  for (const key of ["oneOf", "anyOf", "allOf"] as const) for (const v of getSlice(m, key) ?? []) s[key].push(child(v, key, s));
  const conditional: Array<"not" | "if" | "then" | "else"> = draft >= DRAFT7 ? ["not", "if", "then", "else"] : ["not"];
  for (const key of conditional) {
    if (!m.has(key)) continue;
    const v = m.get(key)!;
    if (!isSchemaNode(v)) fail(template(T.mustBeOfAn, { x: key, y: "object" }));
    s[key] = child(v, key, s);
  }
}

/** Every keyword after `$ref`, in the order gojsonschema parses them. */
export function parseKeywords(m: JMap, s: Sub, draft: number, child: Child): void {
  parseStructure(m, s, draft, child);
  parseNumbers(m, s, draft);
  count(m, s, "minLength");
  count(m, s, "maxLength");
  if (s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) fail(template(T.cannotBeGT, { x: "minLength", y: "maxLength" }));
  const pattern = getString(m, "pattern");
  if (pattern !== undefined) s.pattern = compileRegexp(pattern, template(T.mustBeValidRegex, { key: "pattern" }));
  const format = getString(m, "format");
  if (format !== undefined) s.format = format;
  parseValues(m, s, draft, child);
}


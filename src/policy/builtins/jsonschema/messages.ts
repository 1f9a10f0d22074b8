/**
 * gojsonschema's DefaultLocale messages and their rendering (text/template with a map of
 * details: a missing key prints "<no value>"), draft numbers, and small parsing helpers.
 */
import { ratOf, type Rat } from "../go/bigrat.js";
import { DocError, JNum, type J, type JMap } from "./doc.js";
import { META_SCHEMA_TEXT } from "./metaschemas.js";

export const DRAFT4 = 4;
export const DRAFT6 = 6;
export const DRAFT7 = 7;
export const HYBRID = 2147483647;

/** Meta-schemas by URL (without the empty fragment), with their draft. */
export const META_SCHEMAS = new Map(META_SCHEMA_TEXT.map(([draft, url, text]) => [url, { draft, text }]));

export const T = {
  false: "False always fails validation",
  required: "{{.property}} is required",
  invalidType: "Invalid type. Expected: {{.expected}}, given: {{.given}}",
  numberAnyOf: "Must validate at least one schema (anyOf)",
  numberOneOf: "Must validate one and only one schema (oneOf)",
  numberAllOf: "Must validate all the schemas (allOf)",
  numberNot: "Must not validate the schema (not)",
  missingDependency: "Has a dependency on {{.dependency}}",
  internal: "Internal Error {{.error}}",
  const: "{{.field}} does not match: {{.allowed}}",
  enum: "{{.field}} must be one of the following: {{.allowed}}",
  arrayNoAdditionalItems: "No additional items allowed on array",
  arrayMinItems: "Array must have at least {{.min}} items",
  arrayMaxItems: "Array must have at most {{.max}} items",
  unique: "{{.type}} items[{{.i}},{{.j}}] must be unique",
  arrayContains: "At least one of the items must match",
  arrayMinProperties: "Must have at least {{.min}} properties",
  arrayMaxProperties: "Must have at most {{.max}} properties",
  additionalPropertyNotAllowed: "Additional property {{.property}} is not allowed",
  invalidPropertyPattern: 'Property "{{.property}}" does not match pattern {{.pattern}}',
  invalidPropertyName: 'Property name of "{{.property}}" does not match',
  stringGTE: "String length must be greater than or equal to {{.min}}",
  stringLTE: "String length must be less than or equal to {{.max}}",
  doesNotMatchPattern: "Does not match pattern '{{.pattern}}'",
  doesNotMatchFormat: "Does not match format '{{.format}}'",
  multipleOf: "Must be a multiple of {{.multiple}}",
  numberGTE: "Must be greater than or equal to {{.min}}",
  numberGT: "Must be greater than {{.min}}",
  numberLTE: "Must be less than or equal to {{.max}}",
  numberLT: "Must be less than {{.max}}",
  regexPattern: "Invalid regex pattern '{{.pattern}}'",
  greaterThanZero: "{{.number}} must be strictly greater than 0",
  mustBeOfA: "{{.x}} must be of a {{.y}}",
  mustBeOfAn: "{{.x}} must be of an {{.y}}",
  cannotBeUsedWithout: "{{.x}} cannot be used without {{.y}}",
  cannotBeGT: "{{.x}} cannot be greater than {{.y}}",
  mustBeOfType: "{{.key}} must be of type {{.type}}",
  mustBeValidRegex: "{{.key}} must be a valid regex",
  mustBeGTEZero: "{{.key}} must be greater than or equal to 0",
  keyCannotBeGreaterThan: "{{.key}} cannot be greater than {{.y}}",
  keyItemsMustBeUnique: "{{.key}} items must be unique",
  referenceMustBeCanonical: "Reference {{.reference}} must be canonical",
  notAValidType: "has a primitive type that is NOT VALID -- given: {{.given}} Expected valid values are:{{.expected}}",
  duplicated: "{{.type}} type is duplicated",
  errorFormat: "{{.field}}: {{.description}}",
  parseError: "Expected: {{.expected}}, given: Invalid JSON",
  conditionThen: 'Must validate "then" as "if" was valid',
  conditionElse: 'Must validate "else" as "if" was not valid',
} as const;

export type Details = Record<string, string | number>;

/** formatErrorDescription: `{{.key}}` replaced by the detail's text. */
export function template(format: string, details: Details): string {
  return format.replace(/\{\{\.(\w+)\}\}/g, (_, k: string) => (k in details ? String(details[k]) : "<no value>"));
}

export const fail = (msg: string): never => {
  throw new DocError(msg);
};

export const invalidType = (expected: string, given: string): never => fail(template(T.invalidType, { expected, given }));

export function getString(m: JMap, key: string): string | undefined {
  if (!m.has(key)) return undefined;
  const v = m.get(key);
  return typeof v === "string" ? v : invalidType("string", key);
}

export function getSlice(m: JMap, key: string): J[] | undefined {
  if (!m.has(key)) return undefined;
  const v = m.get(key);
  return Array.isArray(v) ? v : fail(template(T.mustBeOfAn, { x: key, y: "array" }));
}

/** mustBeNumber. */
export const numberOf = (x: J | undefined): Rat | undefined => (x instanceof JNum ? ratOf(x.text) : undefined);

/** mustBeInteger: an integral number that json.Number.Int64 accepts. */
export function integerOf(x: J | undefined): number | undefined {
  const r = numberOf(x);
  if (!r || r.d !== 1n || !/^[+-]?\d+$/.test((x as JNum).text)) return undefined;
  const v = BigInt((x as JNum).text);
  return v >= -(1n << 63n) && v < 1n << 63n ? Number(v) : undefined;
}

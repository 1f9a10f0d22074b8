// json.verify_schema and json.match_schema: every keyword gojsonschema knows, drafts 4/6/7
// and the hybrid default, $ref/$id/definitions, formats, and the schema errors it reports.
// Where Go ranges over a map (object keys, properties), several errors come in random
// order in OPA: those cases compare the sorted error list.
import type { Case } from "../harness.js";

const j = JSON.stringify;
const match = (doc: unknown, schema: unknown): Case => ({ call: "json.match_schema", args: [j(doc), j(schema)] });
const matchText = (doc: string, schema: string): Case => ({ call: "json.match_schema", args: [j(doc), j(schema)] });
const sorted = (doc: unknown, schema: unknown): Case => ({ call: "sort", args: [`json.match_schema(${j(doc)}, ${j(schema)})[1]`] });
const verify = (schema: unknown): Case => ({ call: "json.verify_schema", args: [j(schema)] });
const verifyText = (schema: string): Case => ({ call: "json.verify_schema", args: [j(schema)] });

const REMOTE = "OPA fetches remote references (and reports the network's error); gitops-gate refuses them";

const D4 = "http://json-schema.org/draft-04/schema#";
const D6 = "http://json-schema.org/draft-06/schema#";
const D7 = "http://json-schema.org/draft-07/schema#";

const PERSON = {
  type: "object",
  required: ["name", "age"],
  properties: { name: { type: "string", minLength: 2, maxLength: 5 }, age: { type: "integer", minimum: 0, exclusiveMaximum: 150 }, tags: { type: "array", items: { type: "string" }, uniqueItems: true, maxItems: 3 } },
  additionalProperties: false,
};

const TYPES = ["string", "integer", "number", "boolean", "null", "array", "object", ["string", "null"], ["integer", "boolean"]];
const VALUES: unknown[] = ["x", 1, 1.5, 1.0, -0, 1e300, true, null, [], [1], {}, { a: 1 }];

const NUMBERS: Array<[unknown, object]> = [
  [5, { minimum: 5 }], [4.9, { minimum: 5 }], [5, { exclusiveMinimum: 5 }], [5.5, { exclusiveMinimum: 5 }], [10, { maximum: 9.99 }],
  [10, { exclusiveMaximum: 10 }], [0.3, { multipleOf: 0.1 }], [0.35, { multipleOf: 0.1 }], [7, { multipleOf: 2 }], [1e21, { maximum: 1e20 }],
  [123456789, { maximum: 1000000 }], [0.00001, { minimum: 0.0001 }], [-3, { minimum: -2.5, maximum: 2.5 }],
  [0, { exclusiveMinimum: 0.1 }], [2, { multipleOf: 0.7 }],
  [5, { minimum: 5, exclusiveMinimum: true }], [5, { $schema: D4, minimum: 5, exclusiveMinimum: true }], [5, { $schema: D4, maximum: 5, exclusiveMaximum: true }],
  [5, { $schema: D6, exclusiveMinimum: 5 }], [5, { $schema: D7, exclusiveMaximum: 4.5 }], ["5", { minimum: 6 }],
];

const STRINGS: Array<[unknown, object]> = [
  ["ab", { minLength: 3 }], ["abcd", { maxLength: 3 }], ["日本語", { maxLength: 3 }], ["日本語!", { maxLength: 3 }], ["abc", { pattern: "^a.c$" }],
  ["abd", { pattern: "^a.c$" }], ["ABC", { pattern: "(?i)^abc$" }], ["x", { pattern: "\\d+" }], [5, { pattern: "x", minLength: 3 }],
];

const FORMATS: Array<[string, string[]]> = [
  ["date", ["2024-02-29", "2023-02-29", "2024-1-2", "x"]],
  ["time", ["12:34:56", "12:34:56Z", "12:34:56+02:00", "25:00:00", "12:34"]],
  ["date-time", ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123+01:00", "2024-01-02", "03:04:05", "2024-01-02 03:04:05"]],
  ["hostname", ["example.com", "a-b.c", "-ab.com", "a_b.com", "x".repeat(64)]],
  ["email", ["a@b.c", "Name <a@b.c>", "a@b", "a@[1.2.3.4]", "a@[1.2.3]", "@b.c", "a..b@c.d", '"a b"@c.d', "a@b.c (comment)", "group: a@b.c;", "a@b.c, d@e.f", "nope"]],
  ["ipv4", ["1.2.3.4", "256.1.1.1", "::1", "::ffff:1.2.3.4"]],
  ["ipv6", ["::1", "2001:db8::1", "1.2.3.4", "fe80::1%eth0"]],
  ["uri", ["https://example.com/a?b#c", "/relative", "mailto:a@b.c", "http://a b.com", "a\\b:c", "http://[::1]:80/"]],
  ["uri-reference", ["/relative", "#frag", "http://x/%zz", "a\\b"]],
  ["uri-template", ["http://x/{id}", "http://x/{id", "/a/{b}/{c}"]],
  ["uuid", ["123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000", "123e4567e89b12d3a456426614174000"]],
  ["regex", ["^a+$", "(", "", "(?<n>x)", "(?=x)"]],
  ["json-pointer", ["", "/a/b", "/a~1b", "a", "/a~2"]],
  ["relative-json-pointer", ["0", "1/a", "2#", "01", "-1"]],
  ["unknown-format", ["anything"]],
];

const REFS = {
  definitions: { pos: { type: "integer", minimum: 1 }, list: { type: "array", items: { $ref: "#/definitions/pos" } }, "a b": { const: 1 }, "x/y": { const: 2 } },
  type: "object",
  properties: { p: { $ref: "#/definitions/pos" }, l: { $ref: "#/definitions/list" }, s: { $ref: "#/definitions/a%20b" }, t: { $ref: "#/definitions/x~1y" }, self: { $ref: "#" } },
};

const TREE = { $id: "http://example.com/tree.json", type: "object", properties: { value: { type: "number" }, children: { type: "array", items: { $ref: "tree.json" } } } };

export const JSON_SCHEMA_CASES: readonly Case[] = [
  // the whole shape
  match({ name: "Al", age: 30 }, PERSON), sorted({ name: "A", age: -1 }, PERSON), sorted({ name: "Alexander", age: 200.5 }, PERSON),
  match({ age: 1 }, PERSON), match({}, PERSON), match({ name: "Al", age: 1, tags: ["a", "a", "b", "b"] }, PERSON), match({ name: "Al", age: 1, extra: true }, PERSON),
  sorted({ name: "Al", age: 1, x: 1, y: 2 }, PERSON), sorted({ name: 1, age: "x", tags: [1, "a"] }, PERSON), match([1, 2], PERSON), match("str", PERSON), match(null, PERSON),
  matchText('{"name":"Al","age":30}', j(PERSON)), matchText('{"name":"Al","age":30.0}', j(PERSON)), matchText("[1,2", j(PERSON)), matchText("{}", "{bad"),
  // types
  ...TYPES.flatMap((type) => VALUES.map((v) => match(v, { type }))),
  matchText("1.0", '{"type":"integer"}'), matchText("1e2", '{"type":"integer"}'), matchText("-0.0", '{"type":"integer"}'), matchText("1.5e1", '{"type":"integer"}'),
  // numbers and strings
  ...NUMBERS.map(([v, s]) => match(v, s)), ...STRINGS.map(([v, s]) => match(v, s)),
  matchText("1", '{"minimum":1.333333333333333333333}'), matchText("12345678901234567890123", '{"maximum":12345678901234567890122}'),
  matchText("0.1", '{"multipleOf":0.0000000000000000000000000001}'), matchText("1", '{"maximum":0.1e-30}'), matchText("1", '{"maximum":-1e25}'),
  // formats
  ...FORMATS.flatMap(([format, values]) => values.map((v) => match(v, { format }))), match(5, { format: "email" }),
  // arrays
  match([1, "a"], { items: [{ type: "integer" }, { type: "string" }] }), match([1, 2, 3], { items: [{ type: "integer" }], additionalItems: false }),
  match([1, "x", "y"], { items: [{ type: "integer" }], additionalItems: { type: "integer" } }), match([1], { items: [{ type: "integer" }, { type: "string" }] }),
  match([], { minItems: 1 }), match([1, 2, 3], { maxItems: 2 }), match([1, 1.0, "1"], { uniqueItems: true }), match([{ a: 1, b: 2 }, { b: 2, a: 1 }], { uniqueItems: true }),
  match([1, 2], { contains: { type: "string" } }), match([1, "x"], { contains: { type: "string" } }), match([], { contains: true }), match([1, 2], { contains: { minimum: 5 } }),
  match([1, 2], { items: false }), match([], { items: false }), match([1], { items: true, additionalItems: false }),
  // objects
  match({ a: 1 }, { minProperties: 2 }), match({ a: 1, b: 2, c: 3 }, { maxProperties: 2 }), match({ foo: 1 }, { patternProperties: { "^f": { type: "string" } } }),
  match({ foo: "x", bar: 1 }, { patternProperties: { "^f": { type: "string" } }, additionalProperties: false }), match({ bar: 1 }, { additionalProperties: { type: "string" } }),
  match({ ab: 1 }, { propertyNames: { maxLength: 1 } }), match({ a: 1 }, { propertyNames: false }), match({ a: 1 }, { dependencies: { a: ["b"] } }),
  match({ a: 1, b: 1 }, { dependencies: { a: ["b"] } }), match({ a: 1 }, { dependencies: { a: { required: ["c"] } } }), match({ a: 1 }, { dependencies: { a: ["b", "c"] } }),
  match({ a: 1 }, { required: ["a", "b"] }), sorted({ aa: 1, bb: "x" }, { patternProperties: { a: { type: "string" }, b: { type: "integer" } } }),
  // combinators and conditions
  match(5, { anyOf: [{ type: "string" }, { maximum: 4 }] }), match(3, { anyOf: [{ type: "string" }, { maximum: 4 }] }),
  match(5, { oneOf: [{ type: "integer" }, { minimum: 4 }] }), match(5, { oneOf: [{ type: "string" }, { maximum: 4, minimum: 5 }] }), match(5, { oneOf: [{ type: "integer" }, { type: "string" }] }),
  match(5, { allOf: [{ type: "integer" }, { maximum: 4 }, { minimum: 6 }] }), match(5, { not: { type: "integer" } }), match("x", { not: { type: "integer" } }),
  match(5, { if: { minimum: 3 }, then: { multipleOf: 2 }, else: { maximum: 0 } }), match(1, { if: { minimum: 3 }, then: { multipleOf: 2 }, else: { maximum: 0 } }),
  match(4, { if: { minimum: 3 }, then: { multipleOf: 2 } }), match(5, { $schema: D6, if: { minimum: 3 }, then: { multipleOf: 2 } }),
  match("x", { const: "y" }), match(1, { const: 1.0 }), match({ a: [1, "<&>"] }, { const: { a: [1, "<&>"] } }), match(2, { enum: [1, "2", null, [2], { a: 2 }] }),
  match("x", { enum: ["x"] }), match(1e21, { enum: [1, 2] }), match(5, { $schema: D4, const: 6 }),
  match(1, true), match(1, false), match(1, {}), match({ a: 1 }, { properties: { a: false } }),
  // references
  match({ p: 1, l: [1, 2], s: 1, t: 2 }, REFS), sorted({ p: 0, l: [1, -1], s: 2, t: 3 }, REFS), match({ self: { p: "x" } }, REFS),
  match({ value: 1, children: [{ value: 2, children: [{ value: "x" }] }] }, TREE), match({ a: 1 }, { $ref: "#/definitions/missing" }),
  match({}, { $ref: "other.json" }), { call: "json.match_schema", args: [j({}), j({ $ref: "http://example.invalid/remote.json" })], anyError: REMOTE }, match({ type: "object" }, { $ref: D7 }), match({ type: 5 }, { $ref: D7 }),
  match({ minLength: -1 }, { $ref: D4 }), match({ minimum: 1, exclusiveMinimum: true }, { $ref: "http://json-schema.org/draft-04/schema" }), match(1, { $ref: "#/definitions/x/0" , definitions: { x: [{ type: "string" }] } }),
  match(1, { $ref: "#/definitions/x/5", definitions: { x: [{}] } }), match(1, { $ref: "#/definitions/x/a", definitions: { x: [{}] } }), match(1, { $ref: "#/definitions/x/y", definitions: { x: 1 } }),
  match(1, { $ref: "#/definitions/a", definitions: { a: { type: "string" } }, type: "integer" }), match(1, { $id: "http://x.y/a.json", $ref: "#/definitions/a", definitions: { a: { type: "string" } } }),
  match(1, { $schema: 5 }), match(1, { $schema: "http://unknown/schema#" }),
  // wrong operands
  { call: "json.match_schema", args: ["1", j({})] }, { call: "json.match_schema", args: [j({}), "1"] }, { call: "json.match_schema", args: [j({}), j("[")] },
  { call: "json.match_schema", args: ["{1: 2}", j({})] }, { call: "json.match_schema", args: [j({}), "{1: 2}"] }, { call: "json.match_schema", args: ["{1, 2}", j({})] },
  // schemas gojsonschema refuses
  verify(PERSON), verify(true), verify({}), verifyText("[1]"), verifyText("5"), verifyText('"x"'), verifyText("{"), verifyText("true"), verifyText("null"),
  { call: "json.verify_schema", args: ["5"] }, { call: "json.verify_schema", args: ["{1: 2}"] },
  verify({ type: "strin" }), verify({ type: ["string", "string"] }), verify({ type: 5 }), verify({ type: [5] }), verify({ properties: 5 }), verify({ properties: { a: 5 } }),
  verify({ additionalProperties: 5 }), verify({ patternProperties: 5 }), verify({ patternProperties: { "(": {} } }), verify({ propertyNames: 5 }), verify({ dependencies: 5 }),
  verify({ dependencies: { a: [5] } }), verify({ dependencies: { a: 5 } }), verify({ items: 5 }), verify({ items: [5] }), verify({ additionalItems: 5 }),
  verify({ multipleOf: 0 }), verify({ multipleOf: "x" }), verify({ minimum: "x" }), verify({ maximum: "x" }), verify({ exclusiveMinimum: "x" }), verify({ exclusiveMinimum: true }),
  verify({ $schema: D4, exclusiveMaximum: 5 }), verify({ $schema: D4, exclusiveMaximum: true }), verify({ $schema: D7, exclusiveMaximum: true }),
  verify({ minLength: -1 }), verify({ minLength: 1.5 }), verify({ maxLength: 1.0 }), verify({ minLength: 3, maxLength: 2 }), verify({ pattern: "(" }), verify({ pattern: 5 }),
  verify({ format: 5 }), verify({ minProperties: "x" }), verify({ maxProperties: -2 }), verify({ minProperties: 3, maxProperties: 2 }), verify({ required: "a" }),
  verify({ required: [5] }), verify({ required: ["a", "a"] }), verify({ minItems: -1 }), verify({ maxItems: "x" }), verify({ uniqueItems: "x" }), verify({ contains: 5 }),
  verify({ enum: [1, 1.0] }), verify({ enum: 5 }), verify({ oneOf: {} }), verify({ anyOf: [5] }), verify({ allOf: [{ type: "x" }] }), verify({ not: 5 }), verify({ if: 5 }),
  verify({ $schema: D6, if: 5 }), verify({ definitions: 5 }), verify({ definitions: { a: 5 } }), verify({ title: 5 }), verify({ description: 5 }), verify({ $id: 5 }),
  verify({ $ref: 5 }), verify({ $ref: "#/nope" }), verify({ $ref: "rel.json" }), { call: "array.slice", args: [`json.verify_schema(${j({ $ref: "http://example.invalid/z.json" })})`, "0", "1"] }, verify({ $id: "http://a/b", definitions: { x: { $id: "http://a/b" } } }),
  verify({ $schema: D4, id: "http://a/c", type: "object" }), verify({ $schema: D4, type: "any" }), verify({ $schema: D4, minimum: 1, exclusiveMinimum: "x" }), verify({ $ref: "http://x y" }),
];

/**
 * json.verify_schema and json.match_schema (v1/topdown/jsonschema.go) on a port of OPA's
 * gojsonschema fork. Remote `$ref`s (anything but the embedded draft meta-schemas) are not
 * fetched: gitops-gate evaluates without network access, so they fail as OPA fails when
 * `allow_net` excludes the host.
 */
import { BuiltinError, type Registry } from "../types.js";
import { RObject, type Value } from "../value.js";
import { DocError, fromValue, parseJSONText, type J } from "./doc.js";
import { Schema } from "./schema.js";
import { validate } from "./validate.js";

/** astValueToJSONSchemaLoader, then LoadJSON. */
function load(v: Value | undefined): J {
  if (typeof v === "string") return parseJSONText(v);
  if (v instanceof RObject || Array.isArray(v)) return fromValue(v);
  throw new DocError("wrong type, expected string or object");
}

function compile(document: J): Schema {
  return new Schema(document);
}

export const JSON_SCHEMA: Registry = {
  "json.verify_schema": ([schema]) => {
    try {
      compile(load(schema));
      return [true, null];
    } catch (e) {
      if (e instanceof DocError) return [false, `jsonschema: ${e.message}`];
      throw e;
    }
  },
  "json.match_schema": ([document, schema]) => {
    let errors;
    try {
      const doc = load(document);
      errors = validate(compile(load(schema)).root, doc);
    } catch (e) {
      if (e instanceof DocError) throw new BuiltinError(e.message);
      throw e;
    }
    const list = errors.map((e) => RObject.of({ error: `${e.field}: ${e.description}`, type: e.type, field: e.field, desc: e.description }));
    return [list.length === 0, list];
  },
};

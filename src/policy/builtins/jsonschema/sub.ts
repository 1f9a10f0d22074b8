/** A parsed (sub)schema: gojsonschema's SubSchema. */
import type { Rat } from "../go/bigrat.js";
import type { GoRegexp } from "../re2/regexp.js";
import type { JsonReference } from "./reference.js";

export interface Sub {
  draft: number | undefined;
  id?: JsonReference;
  property: string;
  parent?: Sub;
  pass?: boolean;
  types: string[];
  ref?: JsonReference;
  refSchema?: Sub;
  items: Sub[];
  itemsSingle: boolean;
  props: Sub[];
  multipleOf?: Rat;
  maximum?: Rat;
  exclusiveMaximum?: Rat;
  minimum?: Rat;
  exclusiveMinimum?: Rat;
  minLength?: number;
  maxLength?: number;
  pattern?: GoRegexp;
  format: string;
  minProperties?: number;
  maxProperties?: number;
  required: string[];
  dependencies?: Map<string, string[] | Sub>;
  additionalProperties?: boolean | Sub;
  patternProperties?: Map<string, Sub>;
  propertyNames?: Sub;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains?: Sub;
  const?: string;
  enum?: string[];
  oneOf: Sub[];
  anyOf: Sub[];
  allOf: Sub[];
  not?: Sub;
  if?: Sub;
  then?: Sub;
  else?: Sub;
  additionalItems?: boolean | Sub;
}

export function sub(property: string, parent: Sub | undefined, ref?: JsonReference): Sub {
  return { draft: undefined, property, parent, ref, types: [], items: [], itemsSingle: false, props: [], format: "", required: [], uniqueItems: false, oneOf: [], anyOf: [], allOf: [] };
}

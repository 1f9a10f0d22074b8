// CloudFormation and SAM templates: YAML short-form intrinsics (`!Ref`, `!Sub`, …) become
// their long form (`{"Ref": …}`, `{"Fn::Sub": …}`), never dropped or turned into plain
// strings, so a policy can tell a reference from a literal. Unknown tags and two tags on
// one node stay parse errors with a line (js-yaml refuses both).
import { CORE_SCHEMA, defineMappingTag, defineScalarTag, defineSequenceTag, mergeTag } from "js-yaml";
import type { Schema, TagDefinition } from "js-yaml";
import { jsonParser, parseStream } from "./yaml.js";
import type { ManifestParser } from "./types.js";

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
// and the rule functions of https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
const FUNCTIONS = [
  "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
  "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString",
  "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
];

function wrap(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function keyOf(name: string): string {
  if (name === "Ref") return "Ref";
  if (name === "Condition") return "Condition";
  return `Fn::${name}`;
}

function tagsFor(name: string): TagDefinition[] {
  const tag = `!${name}`;
  const key = keyOf(name);
  return [
    defineScalarTag(tag, {
      identify: () => false,
      // `!GetAtt Resource.Attribute` is the dotted short form of ["Resource", "Attribute"].
      resolve: (source) => {
        if (name === "GetAtt") {
          const dot = source.indexOf(".");
          return wrap(key, dot === -1 ? [source] : [source.slice(0, dot), source.slice(dot + 1)]);
        }
        return wrap(key, source);
      },
    }),
    defineSequenceTag<unknown[], Record<string, unknown>>(tag, {
      identify: () => false,
      create: () => [],
      addItem: (carrier, item) => void carrier.push(item),
      finalize: (carrier) => wrap(key, carrier),
    }),
    defineMappingTag<Map<unknown, unknown>, Record<string, unknown>>(tag, {
      identify: () => false,
      create: () => new Map(),
      addPair: (carrier, k, v) => {
        carrier.set(k, v);
        return "";
      },
      has: (carrier, k) => carrier.has(k),
      keys: (result) => Object.keys(result),
      get: (result, k) => result[String(k)],
      finalize: (carrier) => {
        const obj: Record<string, unknown> = {};
        for (const [k, v] of carrier) Object.defineProperty(obj, String(k), { value: v, enumerable: true, writable: true, configurable: true });
        return wrap(key, obj);
      },
    }),
  ];
}

export const CFN_SCHEMA: Schema = CORE_SCHEMA.withTags(mergeTag, ...["Ref", "Condition", ...FUNCTIONS].flatMap(tagsFor));

export const cloudformationParser: ManifestParser = {
  format: "cloudformation",
  parse: (text, limits) => (/^\s*[{[]/.test(text) ? jsonParser.parse(text, limits) : parseStream(text, limits, CFN_SCHEMA)),
};

/**
 * serverless.yml (Serverless Framework): YAML whose `resources` section takes the same
 * intrinsic tags; `${…}` variables stay strings, resolved by nobody here.
 */
export const serverlessParser: ManifestParser = {
  format: "serverless",
  parse: (text, limits) => parseStream(text, limits, CFN_SCHEMA),
};

/**
 * A CloudFormation or SAM template, recognised by content: a top-level
 * `AWSTemplateFormatVersion`, or `Resources` whose entries have `AWS::` types.
 */
export function looksLikeCloudFormation(text: string): boolean {
  if (/^\s*["']?AWSTemplateFormatVersion["']?\s*:/m.test(text)) return true;
  const json = /^\s*\{/.test(text);
  const resources = json ? /"Resources"\s*:/.test(text) : /^Resources\s*:/m.test(text);
  return resources && /["']?Type["']?\s*:\s*["']?AWS::/.test(text);
}

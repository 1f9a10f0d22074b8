/**
 * Which of OPA's builtins a compiled policy may call, and why the others are refused.
 * Pure data: the registry of implementations is in ./index.ts.
 */

/**
 * Builtins that OPA 1.22.3's wasm compiler implements inside the module
 * (internal/compiler/wasm/wasm.go `builtinsFunctions`); they never reach the host.
 */
export const NATIVE_WASM_BUILTINS: readonly string[] = [
  "abs", "all", "and", "any", "array.concat", "array.flatten", "array.reverse", "array.slice",
  "base64.decode", "base64.encode", "base64.is_valid", "base64url.decode", "base64url.encode",
  "bits.and", "bits.lsh", "bits.negate", "bits.or", "bits.rsh", "bits.xor", "ceil", "concat",
  "contains", "count", "div", "endswith", "equal", "floor", "format_int", "glob.match",
  "graph.reachable", "gt", "gte", "indexof", "internal.member_2", "internal.member_3",
  "internal.template_string", "intersection", "is_array", "is_boolean", "is_null", "is_number",
  "is_object", "is_set", "is_string", "json.filter", "json.is_valid", "json.marshal", "json.remove",
  "json.unmarshal", "lower", "lt", "lte", "max", "min", "minus", "mul", "neq", "net.cidr_contains",
  "net.cidr_intersects", "net.cidr_overlap", "numbers.range", "object.filter", "object.get",
  "object.keys", "object.remove", "object.union", "object.union_n", "or", "plus", "product",
  "re_match", "regex.find_all_string_submatch_n", "regex.is_valid", "regex.match", "rem", "replace",
  "round", "set_diff", "sort", "split", "startswith", "strings.replace_n", "strings.reverse",
  "substring", "sum", "to_number", "trim", "trim_left", "trim_prefix", "trim_right", "trim_space",
  "trim_suffix", "type_name", "union", "upper", "walk",
];

/**
 * Builtins the compiler itself removes or rewrites, so a policy may use them without
 * a host implementation: `=` and `:=`; `print` (erased by `opa build`; kept as
 * `internal.print` only when print statements are enabled, which we implement anyway);
 * `rego.metadata.rule`/`chain` (replaced by the annotations when the policy is compiled).
 */
export const COMPILER_BUILTINS: readonly string[] = ["eq", "assign", "print", "rego.metadata.rule", "rego.metadata.chain"];

/** Builtins that are refused when a policy is compiled, with the reason given to the user. */
export const REFUSED_BUILTINS: Readonly<Record<string, string>> = {
  "http.send": "it sends HTTP requests; gitops-gate evaluates policies without network access",
  "net.lookup_ip_addr": "it resolves host names over the network; gitops-gate evaluates policies without network access",
  "opa.runtime": "it describes a running OPA server (config, environment, version), which gitops-gate is not",
  "rego.parse_module": "it needs OPA's Rego parser at evaluation time, which the WebAssembly target does not carry",
  "internal.test_case": "it exists only for `opa test`",
  "graphql.is_valid": "gitops-gate has no GraphQL parser compatible with OPA's (gqlparser)",
  "graphql.parse": "gitops-gate has no GraphQL parser compatible with OPA's (gqlparser)",
  "graphql.parse_and_verify": "gitops-gate has no GraphQL parser compatible with OPA's (gqlparser)",
  "graphql.parse_query": "gitops-gate has no GraphQL parser compatible with OPA's (gqlparser)",
  "graphql.parse_schema": "gitops-gate has no GraphQL parser compatible with OPA's (gqlparser)",
  "graphql.schema_is_valid": "gitops-gate has no GraphQL parser compatible with OPA's (gqlparser)",
  "strings.render_template": "it runs Go's text/template, which gitops-gate does not reproduce",
};

/** Refused builtins a user may still declare (see unavailable.ts): each call then fails. */
const DECLARABLE = new Set(["http.send", "net.lookup_ip_addr", "opa.runtime"]);

/** The message for a refused (or unknown) builtin, for compile errors. */
export function refusalReason(name: string): string {
  const reason = REFUSED_BUILTINS[name];
  if (reason && DECLARABLE.has(name)) {
    return `${name} is not supported by gitops-gate: ${reason} (with --show-builtin-errors, or a --capabilities file that declares it, the policy compiles and each call fails its file with a builtin error)`;
  }
  if (reason) return `${name} is not supported by gitops-gate: ${reason}`;
  return `${name} is not a builtin gitops-gate supports (not in OPA's builtin list for this version, or not implemented)`;
}

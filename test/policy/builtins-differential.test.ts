// Every host builtin against the pinned OPA: a generated table of cases per namespace,
// each table evaluated once by `opa eval` and case by case by gitops-gate's wasm engine,
// compared exactly (values in Rego syntax; undefined results with their builtin errors).
import { findOpa } from "../../src/policy/build/opa.js";
import { CRYPTO_CASES, X509_REQUEST_CASES, X509_VERIFY_CASES } from "./builtins/cases/crypto.js";
import { JSON_SCHEMA_CASES } from "./builtins/cases/jsonschema.js";
import { JWT_CASES } from "./builtins/cases/jwt.js";
import { AWS_CASES, MISC_CASES, NET_CASES, URI_CASES, V0_CASES } from "./builtins/cases/misc.js";
import { REGEX_CASES } from "./builtins/cases/regex.js";
import { SPRINTF_CASES } from "./builtins/cases/sprintf.js";
import { STRINGS_CASES } from "./builtins/cases/strings.js";
import { TIME_CASES } from "./builtins/cases/time.js";
import { YAML_CASES } from "./builtins/cases/yaml.js";
import { describe as explain, differential, type Case } from "./builtins/harness.js";

// Every row has all three fields: with fewer, jest.each would pass its `done` callback as the options.
const TABLES: ReadonlyArray<readonly [string, readonly Case[], { v0?: boolean }]> = [
  ["sprintf", SPRINTF_CASES, {}],
  ["strings", STRINGS_CASES, {}],
  ["regex", REGEX_CASES, {}],
  ["misc", MISC_CASES, {}],
  ["time", TIME_CASES, {}],
  ["net", NET_CASES, {}],
  ["yaml", YAML_CASES, {}],
  ["jwt", JWT_CASES, {}],
  ["uri", URI_CASES, {}],
  ["aws", AWS_CASES, {}],
  ["crypto", CRYPTO_CASES, {}],
  ["x509 requests and key pairs", X509_REQUEST_CASES, {}],
  ["json schema", JSON_SCHEMA_CASES, {}],
  ["x509 chains", X509_VERIFY_CASES, {}],
  ["deprecated (v0)", V0_CASES, { v0: true }],
];

describe("builtins agree with OPA", () => {
  test.each(TABLES)("%s", async (_name, cases, options) => {
    const { mismatches } = await differential(await findOpa(), cases, options);
    if (mismatches.length > 0) {
      throw new Error(`${mismatches.length} of ${cases.length} cases differ:\n${mismatches.slice(0, 40).map(explain).join("\n")}`);
    }
  }, 300_000);
});

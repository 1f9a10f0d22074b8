/**
 * Every builtin gitops-gate implements on the host, by name. Each namespace's module
 * holds OPA's exact semantics for its builtins (see the differential test,
 * test/policy/builtins-differential.test.ts); catalog.ts says what is native to the
 * wasm module and what is refused.
 */
import { AWS } from "./aws.js";
import { COLLECTIONS } from "./collections.js";
import { CRYPTO } from "./crypto.js";
import { X509_REQUESTS } from "./x509req.js";
import { JSON_SCHEMA } from "./jsonschema/index.js";
import { X509_VERIFY } from "./x509verify.js";
import { ENCODING } from "./encoding.js";
import { HASHES } from "./hashes.js";
import { JSON_BUILTINS } from "./json.js";
import { JWT_BASIC } from "./jwt.js";
import { JWT_SIGN } from "./jwtsign.js";
import { NET } from "./net.js";
import { REGEX } from "./regex.js";
import { RUNTIME } from "./runtime.js";
import { SEMVER } from "./semver.js";
import { TIME } from "./time.js";
import { UNITS } from "./units.js";
import { URI } from "./uri.js";
import { YAML_BUILTINS } from "./yaml.js";
import { SPRINTF } from "./sprintf.js";
import { STRINGS } from "./strings.js";
import type { Registry } from "./types.js";

export const HOST_BUILTINS: Registry = Object.freeze({
  ...SPRINTF,
  ...STRINGS,
  ...REGEX,
  ...UNITS,
  ...SEMVER,
  ...ENCODING,
  ...JSON_BUILTINS,
  ...COLLECTIONS,
  ...HASHES,
  ...RUNTIME,
  ...TIME,
  ...NET,
  ...YAML_BUILTINS,
  ...JWT_BASIC,
  ...JWT_SIGN,
  ...URI,
  ...AWS,
  ...CRYPTO,
  ...X509_REQUESTS,
  ...JSON_SCHEMA,
  ...X509_VERIFY,
});

export { UNAVAILABLE_BUILTINS, UNAVAILABLE_BUILTIN_NAMES } from "./unavailable.js";
export { NATIVE_WASM_BUILTINS, COMPILER_BUILTINS, REFUSED_BUILTINS, refusalReason } from "./catalog.js";
export type { BuiltinContext, BuiltinImpl, Registry } from "./types.js";

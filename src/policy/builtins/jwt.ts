/**
 * io.jwt.* (v1/topdown/tokens.go) on node:crypto. Keys are PEM certificates or public keys
 * (as Go's x509 reads them) or JWKs / JWK sets; signatures RS*, PS*, ES*, EdDSA, HS*.
 * Differences: messages about malformed JWKs and JSON are Node's and not lestrrat-go/jwx's
 * and Go's; ES and PS signatures made by encode_sign are random, as OPA's are.
 */
import { constants, createHmac, createPrivateKey, createPublicKey, createSecretKey, timingSafeEqual, verify, X509Certificate, type KeyObject } from "node:crypto";
import { base64UrlDecodeOPA, Base64Error } from "./go/base64.js";
import { bytesOf, stringOf } from "./go/utf8.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { RObject, type Value } from "./value.js";
import { parseValue } from "./valuetext.js";

const ALGS = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"]);
const HASH: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function decodeJWT(v: Value | undefined): Token {
  const s = str(v, 1);
  if (!s.includes(".")) throw new BuiltinError("encoded JWT had no period separators");
  const parts = s.split(".");
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! };
}

function b64url(s: string, what?: string): string {
  try {
    return stringOf(base64UrlDecodeOPA(s, bytesOf(s)));
  } catch (e) {
    if (!(e instanceof Base64Error)) throw e;
    throw new BuiltinError(what ? `${what}: ${e.message}` : e.message);
  }
}

/** util.UnmarshalJSON into a Rego value (numbers keep their text; a later duplicate key wins). */
export function jsonUnmarshal(s: string): Value {
  try {
    JSON.parse(s);
  } catch (e) {
    throw new BuiltinError(s.trim() === "" ? "unexpected end of JSON input" : (e as Error).message);
  }
  return parseValue(s.trim());
}

function jsonObject(s: string): RObject {
  let v: Value;
  try {
    v = jsonUnmarshal(s);
  } catch (e) {
    throw new BuiltinError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!(v instanceof RObject)) throw new BuiltinError("decoded JSON type was not an Object");
  return v;
}

function decodeHeader(t: Token): RObject {
  const h = b64url(t.header, "JWT header had invalid encoding");
  let header: RObject;
  try {
    header = jsonObject(h);
  } catch (e) {
    throw new BuiltinError(`bad JWT header: ${(e as Error).message}`);
  }
  if (header.has("enc")) throw new BuiltinError("JWT is a JWE object, which is not supported");
  return header;
}

function decodeSignature(t: Token): Buffer {
  return Buffer.from(bytesOf(b64url(t.signature)));
}

function decode(v: Value | undefined): Value {
  const t = decodeJWT(v);
  const header = decodeHeader(t);
  const p = b64url(t.payload, "JWT payload had invalid encoding");
  const cty = header.get("cty");
  if (cty === "JWT") return decode(p.replace(/^["']+|["']+$/g, ""));
  const payload = jsonObject(p);
  const sig = b64url(t.signature, "JWT signature had invalid encoding");
  return [header, payload, Buffer.from(bytesOf(sig)).toString("hex")];
}

// ---------------------------------------------------------------- keys

interface VKey {
  alg: string;
  kid: string;
  key: KeyObject;
}

function pemBlock(text: string): { type: string; pem: string; rest: string } | undefined {
  const m = /-----BEGIN ([^-\n]*)-----\r?\n[\s\S]*?\n-----END \1-----[ \t]*(?:\r?\n)?/.exec(text);
  if (!m) return undefined;
  return { type: m[1]!, pem: m[0], rest: text.slice(m.index + m[0].length) };
}

function parseKeys(text: string): VKey[] {
  const block = pemBlock(text);
  if (block) {
    if (block.rest.length > 0) throw new BuiltinError("extra data after a PEM certificate block");
    if (block.type === "CERTIFICATE") {
      try {
        return [{ alg: "", kid: "", key: new X509Certificate(block.pem).publicKey }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (block.type === "PUBLIC KEY") {
      try {
        return [{ alg: "", kid: "", key: createPublicKey(block.pem) }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    throw new BuiltinError("failed to extract a Key from the PEM certificate");
  }
  let jwks: Array<Record<string, unknown>>;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    jwks = Array.isArray(parsed["keys"]) ? (parsed["keys"] as Array<Record<string, unknown>>) : [parsed];
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
  const out: VKey[] = [];
  for (const jwk of jwks) {
    const alg = typeof jwk["alg"] === "string" ? jwk["alg"] : "";
    if (alg !== "" && !ALGS.has(alg)) continue;
    out.push({ alg, kid: typeof jwk["kid"] === "string" ? jwk["kid"] : "", key: jwkKey(jwk, false) });
  }
  return out;
}

function jwkKey(jwk: Record<string, unknown>, priv: boolean): KeyObject {
  try {
    if (jwk["kty"] === "oct") return createSecretKey(Buffer.from(String(jwk["k"] ?? ""), "base64url"));
    const isPrivate = typeof jwk["d"] === "string";
    if (isPrivate && priv) return createPrivateKey({ key: jwk as never, format: "jwk" });
    return (isPrivate ? createPrivateKey({ key: jwk as never, format: "jwk" }) : createPublicKey({ key: jwk as never, format: "jwk" }));
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
}

/** r||s (any length, split in half) as DER, as Go's ecdsa.Verify takes r and s. */
function derSignature(sig: Buffer): Buffer {
  const half = sig.length >> 1;
  const len = (n: number): Buffer => Buffer.from(n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
  const int = (b: Buffer): Buffer => {
    let x = b;
    while (x.length > 1 && x[0] === 0) x = x.subarray(1);
    if (x.length === 0) x = Buffer.from([0]);
    if (x[0]! & 0x80) x = Buffer.concat([Buffer.from([0]), x]);
    return Buffer.concat([Buffer.from([2]), len(x.length), x]);
  };
  const body = Buffer.concat([int(sig.subarray(0, half)), int(sig.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), len(body.length), body]);
}

function publicOf(k: KeyObject): KeyObject {
  return k.type === "private" ? createPublicKey(k) : k;
}

/** Verifies with the algorithm family of `alg`; false for a key of the wrong type. */
function verifyWith(alg: string, key: KeyObject, data: Buffer, sig: Buffer, strictES = false): boolean {
  try {
    const fam = alg.slice(0, 2);
    if (fam === "HS") {
      if (key.type !== "secret") return false;
      const mac = createHmac(HASH[alg.slice(2)]!, key.export()).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    if (key.type === "secret") return false;
    const pub = publicOf(key);
    const kt = pub.asymmetricKeyType;
    if (fam === "RS" || fam === "PS") {
      if (kt !== "rsa" && kt !== "rsa-pss") return false;
      const padding = fam === "PS" ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : { padding: constants.RSA_PKCS1_PADDING };
      return verify(HASH[alg.slice(2)]!, data, { key: pub, ...padding }, sig);
    }
    if (fam === "ES") {
      if (kt !== "ec") return false;
      if (strictES) {
        const size = { "prime256v1": 32, "secp384r1": 48, "secp521r1": 66 }[pub.asymmetricKeyDetails?.namedCurve ?? ""] ?? 0;
        if (sig.length !== size * 2) return false;
      }
      if (sig.length === 0) return false;
      return verify(HASH[alg.slice(2)]!, data, pub, derSignature(sig));
    }
    if (alg === "EdDSA") return kt === "ed25519" && verify(null, data, pub, sig);
    return false;
  } catch {
    return false;
  }
}

function headerFields(header: RObject): { alg: string; kid: string; cty: string; crit: Set<string>; unknown: string[] } {
  const h = { alg: "", kid: "", cty: "", crit: new Set<string>(), unknown: [] as string[] };
  for (const [k, v] of header.entries) {
    const name = k as string;
    if (name === "alg" || name === "kid" || name === "typ" || name === "cty") {
      if (typeof v !== "string") throw new BuiltinError(`${name}: must be a string`);
      if (name !== "typ") h[name] = v;
    } else if (name === "crit") {
      if (!Array.isArray(v)) throw new BuiltinError("crit: must be a list");
      for (const x of v) if (typeof x === "string") h.crit.add(x);
      if (h.crit.size === 0) throw new BuiltinError("crit: must be a nonempty list");
    } else h.unknown.push(name);
  }
  return h;
}

/** builtinJWTVerify for the asymmetric io.jwt.verify_* builtins. */
function verifyAsymmetric(alg: string, jwt: Value | undefined, cert: Value | undefined): boolean {
  const t = decodeJWT(jwt);
  const keys = parseKeys(str(cert, 2));
  const sig = decodeSignature(t);
  const h = headerFields(decodeHeader(t));
  const data = Buffer.from(`${t.header}.${t.payload}`, "utf8");
  if (h.kid !== "") {
    const k = keys.find((x) => x.kid === h.kid);
    if (k) return verifyWith(alg, k.key, data, sig);
  }
  return keys.some((k) => (k.alg === "" || k.alg === h.alg) && verifyWith(alg, k.key, data, sig));
}

function verifyHS(alg: string, jwt: Value | undefined, secret: Value | undefined): boolean {
  str(jwt, 1);
  const key = str(secret, 2);
  const t = decodeJWT(jwt);
  const mac = createHmac(HASH[alg.slice(2)]!, Buffer.from(bytesOf(key))).update(Buffer.from(`${t.header}.${t.payload}`, "utf8")).digest();
  const sig = decodeSignature(t);
  return mac.length === sig.length && timingSafeEqual(mac, sig);
}

export { parseKeys, headerFields, decodeJWT, decodeHeader, decodeSignature, b64url, jsonObject, verifyWith, jwkKey, ALGS, HASH };
export type { VKey };

export const JWT_BASIC: Registry = {
  "io.jwt.decode": ([t]) => decode(t),
  ...Object.fromEntries(
    ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"].map((alg) => [
      `io.jwt.verify_${alg.toLowerCase()}`,
      ([t, k]: Value[]) => verifyAsymmetric(alg, t, k),
    ]),
  ),
  ...Object.fromEntries(["HS256", "HS384", "HS512"].map((alg) => [`io.jwt.verify_${alg.toLowerCase()}`, ([t, k]: Value[]) => verifyHS(alg, t, k)])),
};

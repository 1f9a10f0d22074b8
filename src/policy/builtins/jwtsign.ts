/** io.jwt.decode_verify, io.jwt.encode_sign and io.jwt.encode_sign_raw (v1/topdown/tokens.go). */
import { constants, createHmac, sign, type KeyObject } from "node:crypto";
import { bytesOf } from "./go/utf8.js";
import { goJSON } from "./json.js";
import { ALGS, b64url, decodeHeader, decodeJWT, decodeSignature, HASH, headerFields, jsonObject, jwkKey, parseKeys, verifyWith, type VKey } from "./jwt.js";
import { BuiltinError, obj, str, type BuiltinContext, type Registry } from "./types.js";
import { compare, floatValue, RNum, RObject, type Value } from "./value.js";

const UNVERIFIED: Value = [false, new RObject([]), new RObject([])];

function timeConstraint(v: Value): number {
  if (!(v instanceof RNum)) throw new BuiltinError("token time constraint: must be a number");
  const f = Number(v.text);
  if (!Number.isFinite(f)) throw new BuiltinError("token time constraint: unvalid float64");
  if (f < 0) throw new BuiltinError("token time constraint: must not be negative");
  return f;
}

function decodeVerify(a0: Value | undefined, c: Value | undefined, ctx: BuiltinContext): Value {
  const constraints = obj(c, 2);
  let keys: VKey[] | undefined;
  let secret = "";
  let alg = "";
  let iss = "";
  let aud = "";
  let time = -1;
  for (const [k, v] of constraints.entries) {
    const name = k as string;
    const s = (): string => {
      if (typeof v !== "string") throw new BuiltinError(`${name} constraint: must be a string`);
      return v;
    };
    if (name === "cert") {
      if (typeof v !== "string") throw new BuiltinError("cert constraint: must be a string");
      keys = parseKeys(v);
    } else if (name === "secret") secret = s();
    else if (name === "alg") alg = s();
    else if (name === "iss") iss = s();
    else if (name === "aud") aud = s();
    else if (name === "time") time = timeConstraint(v);
    else throw new BuiltinError(`unknown token validation constraint: ${name}`);
  }
  if (time === -1) time = Number(ctx.now());
  const nKeys = (keys ? 1 : 0) + (secret !== "" ? 1 : 0);
  if (nKeys > 1) throw new BuiltinError("duplicate key constraints");
  if (nKeys < 1) throw new BuiltinError("no key constraint");
  let a: Value | undefined = a0;
  let header: RObject;
  let p: string;
  for (;;) {
    const t = decodeJWT(a);
    header = decodeHeader(t);
    const h = headerFields(header);
    if (h.alg === "" || h.unknown.some((u) => h.crit.has(u))) return UNVERIFIED;
    if (alg !== "" && alg !== h.alg) return UNVERIFIED;
    const sig = decodeSignature(t);
    const data = Buffer.from(`${t.header}.${t.payload}`, "utf8");
    let ok: boolean;
    if (keys) {
      const byKid = h.kid !== "" ? keys.find((k) => k.kid === h.kid) : undefined;
      ok = byKid ? verifyWith(h.alg, byKid.key, data, sig, true) : keys.some((k) => (k.alg === "" || k.alg === h.alg) && verifyWith(h.alg, k.key, data, sig, true));
    } else {
      ok = ALGS.has(h.alg) && h.alg.startsWith("HS") && createHmac(HASH[h.alg.slice(2)]!, Buffer.from(bytesOf(secret))).update(data).digest().equals(sig);
    }
    if (!ok) return UNVERIFIED;
    p = b64url(t.payload, "JWT payload had invalid encoding");
    if (h.cty.toLowerCase() === "jwt") {
      a = p;
      continue;
    }
    break;
  }
  const payload = jsonObject(p);
  if (iss !== "" && payload.get("iss") !== iss) return UNVERIFIED;
  const audV = payload.get("aud");
  if (audV !== undefined) {
    const valid = typeof audV === "string" ? audV === aud : Array.isArray(audV) && audV.some((x) => x === aud);
    if (!valid) return UNVERIFIED;
  } else if (aud !== "") return UNVERIFIED;
  const now = floatValue(time / 1e9);
  const exp = payload.get("exp");
  if (exp !== undefined) {
    if (!(exp instanceof RNum)) throw new BuiltinError("exp value must be a number");
    if (compare(now, exp) !== -1) return UNVERIFIED;
  }
  const nbf = payload.get("nbf");
  if (nbf !== undefined) {
    if (!(nbf instanceof RNum)) throw new BuiltinError("nbf value must be a number");
    if (compare(now, nbf) === -1) return UNVERIFIED;
  }
  return [true, header, payload];
}

function signWith(alg: string, key: KeyObject, data: Buffer): Buffer {
  const fam = alg.slice(0, 2);
  if (fam === "HS") {
    if (key.type !== "secret") throw new BuiltinError(`invalid key type for ${alg}`);
    return createHmac(HASH[alg.slice(2)]!, key.export()).update(data).digest();
  }
  if (key.type !== "private") throw new BuiltinError(`invalid key type for ${alg}`);
  const kt = key.asymmetricKeyType;
  if (fam === "RS" && kt === "rsa") return sign(HASH[alg.slice(2)]!, data, { key, padding: constants.RSA_PKCS1_PADDING });
  if (fam === "PS" && kt === "rsa") return sign(HASH[alg.slice(2)]!, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
  if (fam === "ES" && kt === "ec") return sign(HASH[alg.slice(2)]!, data, { key, dsaEncoding: "ieee-p1363" });
  if (alg === "EdDSA" && kt === "ed25519") return sign(null, data, key);
  throw new BuiltinError(`invalid key type for ${alg}`);
}

function isJSON(b: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(b).toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

function encodeSign(headers: Uint8Array, payload: Uint8Array, jwkSrc: Uint8Array): string {
  let jwks: Array<Record<string, unknown>>;
  try {
    const parsed = JSON.parse(Buffer.from(jwkSrc).toString("utf8")) as Record<string, unknown>;
    jwks = Array.isArray(parsed["keys"]) ? (parsed["keys"] as Array<Record<string, unknown>>) : [parsed];
  } catch (e) {
    throw new BuiltinError(`failed to unmarshal JSON into key hint: ${(e as Error).message}`);
  }
  if (jwks.length === 0) throw new BuiltinError("no keys found in JWK set");
  const key = jwkKey(jwks[0]!, true);
  let hdr: Record<string, unknown>;
  try {
    const parsed = JSON.parse(Buffer.from(headers).toString("utf8")) as unknown;
    hdr = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (e) {
    throw new BuiltinError(`missing or invalid 'alg' header: ${(e as Error).message}`);
  }
  const alg = hdr["alg"];
  if (alg === undefined) throw new BuiltinError(`missing or invalid 'alg' header: jwsbb: header "alg" not found`);
  if (typeof alg !== "string") {
    const kind = alg === null ? "null" : Array.isArray(alg) ? "array" : typeof alg === "boolean" ? String(alg) : typeof alg === "number" ? "number" : "object";
    throw new BuiltinError(`missing or invalid 'alg' header: value doesn't contain string; it contains ${kind}`);
  }
  if (!ALGS.has(alg)) throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
  const typ = hdr["typ"];
  if ((typeof typ !== "string" || typ === "JWT") && !isJSON(payload)) throw new BuiltinError("type is JWT but payload is not JSON");
  const signing = `${Buffer.from(headers).toString("base64url")}.${Buffer.from(payload).toString("base64url")}`;
  return `${signing}.${signWith(alg, key, Buffer.from(signing, "utf8")).toString("base64url")}`;
}

export const JWT_SIGN: Registry = {
  "io.jwt.decode_verify": ([t, c], ctx) => decodeVerify(t, c, ctx),
  "io.jwt.encode_sign": ([h, p, k]) => encodeSign(bytesOf(goJSON(h!)), bytesOf(goJSON(p!)), bytesOf(goJSON(k!))),
  "io.jwt.encode_sign_raw": ([h, p, k]) => {
    const jwk = str(k, 3);
    return encodeSign(bytesOf(str(h, 1)), bytesOf(str(p, 2)), bytesOf(jwk));
  },
};

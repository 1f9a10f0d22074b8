/** crypto.x509.parse_certificates and the private-key builtins (v1/topdown/crypto.go). */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { Base64Error, decodeBase64 } from "./go/base64.js";
import { pemDecode } from "./go/pem.js";
import { bytesOf } from "./go/utf8.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { fromJS, intValue, RObject, type Value } from "./value.js";
import { certificateOf } from "./x509.js";

/** base64.StdEncoding.DecodeString with Go's errors. */
export function b64(s: string): Buffer {
  try {
    return Buffer.from(decodeBase64(bytesOf(s), false));
  } catch (e) {
    if (e instanceof Base64Error) throw new BuiltinError(e.message);
    throw e;
  }
}

/** x509.ParseCertificates over concatenated DER. */
function parseCertificates(der: Buffer): Value[] {
  const out: Value[] = [];
  let rest = der;
  while (rest.length > 0) {
    try {
      const c = certificateOf(rest);
      out.push(c.value);
      rest = c.rest;
    } catch (e) {
      if (e instanceof BuiltinError) throw e;
      throw new BuiltinError("x509: malformed certificate");
    }
  }
  return out;
}

function certsFromPEM(data: Buffer): Value[] {
  const chunks: Buffer[] = [];
  let rest = data;
  while (rest.length > 0) {
    const p = pemDecode(rest);
    if (!p) break;
    if (p.block.type !== "CERTIFICATE") throw new BuiltinError(`PEM block type is '${p.block.type}', expected CERTIFICATE`);
    chunks.push(p.block.bytes);
    rest = p.rest;
  }
  return parseCertificates(Buffer.concat(chunks));
}

export function certificatesFromString(s: string): Value[] {
  if (s.startsWith("-----BEGIN")) return certsFromPEM(Buffer.from(bytesOf(s)));
  const der = b64(s);
  if (der.subarray(0, 10).toString("latin1") === "-----BEGIN") return certsFromPEM(der);
  return parseCertificates(der);
}

/** getPrivateKeysFromPEMData: RSA PRIVATE KEY, PRIVATE KEY and EC PRIVATE KEY blocks. */
function privateKeys(pemData: string): KeyObject[] {
  let data: Buffer = Buffer.from(bytesOf(pemData));
  try {
    data = Buffer.from(decodeBase64(bytesOf(pemData), false));
  } catch {
    /* not base64: PEM text */
  }
  const keys: KeyObject[] = [];
  for (let rest: Buffer = data; rest.length > 0; ) {
    const p = pemDecode(rest);
    if (!p) break;
    rest = p.rest;
    const format = { "RSA PRIVATE KEY": "pkcs1", "PRIVATE KEY": "pkcs8", "EC PRIVATE KEY": "sec1" }[p.block.type];
    if (!format) continue;
    try {
      keys.push(createPrivateKey({ key: p.block.bytes, format: "der", type: format as "pkcs1" | "pkcs8" | "sec1" }));
    } catch (e) {
      throw new BuiltinError(`x509: failed to parse private key: ${(e as Error).message}`);
    }
  }
  return keys;
}

const big = (b64url: unknown): Value => intValue(BigInt(`0x${Buffer.from(String(b64url), "base64url").toString("hex") || "0"}`));

/** json.Marshal of the Go key structures (*rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey). */
export function goKey(k: KeyObject): Value {
  const jwk = k.export({ format: "jwk" }) as Record<string, string>;
  switch (k.asymmetricKeyType) {
    case "rsa":
      return RObject.of({
        N: big(jwk["n"]), E: big(jwk["e"]), D: big(jwk["d"]), Primes: [big(jwk["p"]), big(jwk["q"])],
        Precomputed: RObject.of({ Dp: big(jwk["dp"]), Dq: big(jwk["dq"]), Qinv: big(jwk["qi"]), CRTValues: [] }),
      });
    case "ec":
      return RObject.of({ Curve: new RObject([]), X: big(jwk["x"]), Y: big(jwk["y"]), D: big(jwk["d"]) });
    case "ed25519":
      return Buffer.concat([Buffer.from(jwk["d"]!, "base64url"), Buffer.from(jwk["x"]!, "base64url")]).toString("base64");
    default:
      return null;
  }
}

export const CRYPTO: Registry = {
  "crypto.x509.parse_certificates": ([s]) => certificatesFromString(str(s, 1)),
  "crypto.parse_private_keys": ([s]) => {
    const input = str(s, 1);
    if (input === "") return null;
    return privateKeys(input).map(goKey);
  },
  "crypto.x509.parse_rsa_private_key": ([s]) => {
    let input = str(s, 1);
    if (input === "") throw new BuiltinError("input PEM data was empty");
    if (!input.startsWith("-----BEGIN")) input = b64(input).toString("latin1");
    const keys = privateKeys(input);
    if (keys.length === 0) return null;
    return fromJS(keys[0]!.export({ format: "jwk" }));
  },
};

/**
 * crypto.x509.parse_certificate_request (x509.ParseCertificateRequest) and
 * crypto.x509.parse_keypair (tls.X509KeyPair), marshalled as Go's json does.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { b64, goKey } from "./crypto.js";
import { bitString, DER, intOf, oidOf, TAG, timeOf, asn1String, type TLV } from "./go/asn1.js";
import { pemDecode, type PEMBlock } from "./go/pem.js";
import { bytesOf } from "./go/utf8.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { intValue, RObject, type Value } from "./value.js";
import { certificateOf, nameOf, publicKeyOf, sanOf, signatureAlgorithm, urlStruct } from "./x509.js";

const base64 = (b: Buffer): string => b.toString("base64");
const ints = (oid: number[]): Value => oid.map(intValue);
const strs = (xs: string[]): Value => (xs.length === 0 ? null : xs);

/** A value decoded into Go's `any` by encoding/asn1 (primitive universal types; others nil). */
function anyOf(t: TLV): Value {
  if (t.tag & 0x20 || t.tag & 0xc0) return null;
  switch (t.tag) {
    case TAG.BOOLEAN:
      if (t.body.length !== 1 || (t.body[0] !== 0 && t.body[0] !== 0xff)) throw new Error("invalid boolean");
      return t.body[0] !== 0;
    case TAG.INTEGER: {
      const v = intOf(t.body);
      if (t.body.length > 8) throw new Error("integer too large");
      return intValue(v);
    }
    case TAG.BIT_STRING: {
      const { bytes, unused } = bitString(t.body);
      return RObject.of({ Bytes: base64(bytes), BitLength: intValue(bytes.length * 8 - unused) });
    }
    case TAG.OID:
      return ints(oidOf(t.body));
    case TAG.UTC_TIME:
    case TAG.GENERALIZED_TIME:
      return timeOf(t);
    case TAG.OCTET_STRING:
      return base64(t.body);
    default:
      return asn1String(t) ?? null;
  }
}

/** pkix.AttributeTypeAndValueSET, or undefined when Go's asn1.Unmarshal would fail. */
function attributeOf(raw: TLV): Value | undefined {
  try {
    if (raw.tag !== TAG.SEQUENCE) return undefined;
    const d = new DER(raw.body);
    const type = oidOf(d.expect(TAG.OID).body);
    const set = new DER(d.expect(TAG.SET).body);
    const values: Value[] = [];
    while (!set.empty) {
      const seq = new DER(set.expect(TAG.SEQUENCE).body);
      const row: Value[] = [];
      while (!seq.empty) {
        const atv = new DER(seq.expect(TAG.SEQUENCE).body);
        row.push(RObject.of({ Type: ints(oidOf(atv.expect(TAG.OID).body)), Value: anyOf(atv.read()) }));
      }
      values.push(row);
    }
    return RObject.of({ Type: ints(type), Value: values });
  } catch {
    return undefined;
  }
}

/** Requested extensions (parseCSRExtensions): pkix.Extension values. */
function requestedExtensions(attrs: TLV[]): Array<{ id: number[]; critical: boolean; value: Buffer }> {
  const out: Array<{ id: number[]; critical: boolean; value: Buffer }> = [];
  const seen = new Set<string>();
  for (const raw of attrs) {
    let first: TLV;
    let id: number[];
    try {
      const d = new DER(raw.body);
      id = oidOf(d.expect(TAG.OID).body);
      const values = new DER(d.expect(TAG.SET).body);
      if (values.empty) continue;
      first = values.read();
    } catch {
      continue;
    }
    if (id.join(".") !== "1.2.840.113549.1.9.14") continue;
    const list = new DER(first.body);
    while (!list.empty) {
      const e = new DER(list.expect(TAG.SEQUENCE).body);
      const ext = { id: oidOf(e.expect(TAG.OID).body), critical: (e.optional(TAG.BOOLEAN)?.body[0] ?? 0) !== 0, value: e.expect(TAG.OCTET_STRING).body };
      const key = ext.id.join(".");
      if (seen.has(key)) throw new BuiltinError("x509: certificate request contains duplicate requested extensions");
      seen.add(key);
      out.push(ext);
    }
  }
  return out;
}

function certificateRequestOf(der: Buffer): Value {
  if (der.length === 0) throw new BuiltinError("asn1: syntax error: sequence truncated");
  let value: Value;
  try {
    const outer = new DER(der);
    const csr = outer.expect(TAG.SEQUENCE);
    if (!outer.empty) throw new BuiltinError("asn1: syntax error: trailing data");
    const c = new DER(csr.body);
    const tbs = c.expect(TAG.SEQUENCE);
    const sigAlg = c.expect(TAG.SEQUENCE);
    const { bytes: signature } = bitString(c.expect(TAG.BIT_STRING).body);
    const t = new DER(tbs.body);
    const version = Number(intOf(t.expect(TAG.INTEGER).body));
    const subject = t.expect(TAG.SEQUENCE);
    const spki = t.expect(TAG.SEQUENCE);
    const attrList = new DER(t.expect(0xa0).body);
    const attrs: TLV[] = [];
    while (!attrList.empty) attrs.push(attrList.read());
    const pk = publicKeyOf(spki);
    const attributes = attrs.map(attributeOf).filter((a): a is Value => a !== undefined);
    const exts = requestedExtensions(attrs);
    const f: Record<string, Value> = {
      Raw: base64(csr.raw), RawTBSCertificateRequest: base64(tbs.raw), RawSubjectPublicKeyInfo: base64(spki.raw), RawSubject: base64(subject.raw),
      Version: intValue(version), Signature: base64(signature), SignatureAlgorithm: intValue(signatureAlgorithm(sigAlg)),
      PublicKeyAlgorithm: intValue(pk.alg), PublicKey: pk.key, Subject: nameOf(subject), Attributes: attributes.length ? attributes : null,
      Extensions: exts.length ? exts.map((e) => RObject.of({ Id: ints(e.id), Critical: e.critical, Value: base64(e.value) })) : null,
      ExtraExtensions: null, DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null,
    };
    for (const e of exts) {
      if (e.id.join(".") !== "2.5.29.17") continue;
      const san = sanOf(e.value);
      Object.assign(f, { DNSNames: strs(san.dns), EmailAddresses: strs(san.email), IPAddresses: strs(san.ip), URIs: san.uri.length ? san.uri.map(urlStruct) : null });
    }
    value = RObject.of(f);
  } catch (e) {
    if (e instanceof BuiltinError) throw e;
    throw new BuiltinError("asn1: structure error: malformed certificate request");
  }
  return value;
}

function parseCertificateRequest(input: string): Value {
  let bytes: Buffer = Buffer.from(bytesOf(input));
  if (!input.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) bytes = b64(input);
  const p = pemDecode(bytes);
  if (p && p.block.type !== "CERTIFICATE REQUEST") throw new BuiltinError("invalid PEM-encoded certificate signing request");
  return certificateRequestOf(p ? p.block.bytes : bytes);
}

/** tls.parsePrivateKey: PKCS #1, then PKCS #8 (RSA, ECDSA, Ed25519), then SEC 1. */
function tlsPrivateKey(der: Buffer): KeyObject {
  for (const type of ["pkcs1", "pkcs8", "sec1"] as const) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: "der", type });
    } catch {
      continue;
    }
    if (!["rsa", "ec", "ed25519"].includes(key.asymmetricKeyType ?? "")) throw new BuiltinError("tls: found unknown private key type in PKCS#8 wrapping");
    return key;
  }
  throw new BuiltinError("tls: failed to parse private key");
}

function blocks(data: Buffer): PEMBlock[] {
  const out: PEMBlock[] = [];
  for (let p = pemDecode(data); p; p = pemDecode(p.rest)) out.push(p.block);
  return out;
}

const BEGIN = "-----BEGIN";

function x509KeyPair(certInput: string, keyInput: string): Value {
  let certData: Buffer = Buffer.from(bytesOf(certInput));
  let keyData: Buffer = Buffer.from(bytesOf(keyInput));
  if (!certInput.startsWith(BEGIN)) certData = b64(certInput);
  if (!keyInput.startsWith(BEGIN)) keyData = b64(keyInput);
  const certBlocks = certData.subarray(0, BEGIN.length).toString("latin1") === BEGIN ? blocks(certData) : [{ type: "CERTIFICATE", bytes: certData }];
  const keyBlocks = keyData.subarray(0, BEGIN.length).toString("latin1") === BEGIN ? blocks(keyData) : [{ type: "PRIVATE KEY", bytes: keyData }];
  const certs = certBlocks.filter((b) => b.type === "CERTIFICATE").map((b) => b.bytes);
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) throw new BuiltinError("tls: failed to find any PEM data in certificate input");
    if (skipped.length === 1 && skipped[0]!.endsWith("PRIVATE KEY")) {
      throw new BuiltinError("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched");
    }
    throw new BuiltinError(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(" ")}]`);
  }
  const keyAt = keyBlocks.findIndex((b) => b.type === "PRIVATE KEY" || b.type.endsWith(" PRIVATE KEY"));
  if (keyAt < 0) {
    const skipped = keyBlocks.map((b) => b.type);
    if (skipped.length === 0) throw new BuiltinError("tls: failed to find any PEM data in key input");
    if (skipped.length === 1 && skipped[0] === "CERTIFICATE") throw new BuiltinError("tls: found a certificate rather than a key in the PEM for the private key");
    throw new BuiltinError(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(" ")}]`);
  }
  let leaf: RObject;
  try {
    leaf = certificateOf(certs[0]!).value;
  } catch {
    throw new BuiltinError("x509: malformed certificate");
  }
  const priv = tlsPrivateKey(keyBlocks[keyAt]!.bytes);
  const spki = Buffer.from(leaf.get("RawSubjectPublicKeyInfo") as string, "base64");
  let pub: KeyObject | undefined;
  try {
    pub = createPublicKey({ key: spki, format: "der", type: "spki" });
  } catch {
    pub = undefined;
  }
  const type = pub?.asymmetricKeyType;
  if (type !== "rsa" && type !== "ec" && type !== "ed25519") throw new BuiltinError("tls: unknown public key algorithm");
  if (priv.asymmetricKeyType !== type) throw new BuiltinError("tls: private key type does not match public key type");
  const a = pub!.export({ format: "jwk" });
  const b = createPublicKey(priv).export({ format: "jwk" });
  if (a.n !== b.n || a.e !== b.e || a.x !== b.x || a.y !== b.y || a.crv !== b.crv) throw new BuiltinError("tls: private key does not match public key");
  return RObject.of({
    Certificate: certs.map(base64), PrivateKey: goKey(priv), SupportedSignatureAlgorithms: null, OCSPStaple: null, SignedCertificateTimestamps: null,
    Leaf: new RObject(leaf.entries.filter(([k]) => k !== "URIStrings")),
  });
}

export const X509_REQUESTS: Registry = {
  "crypto.x509.parse_certificate_request": ([s]) => parseCertificateRequest(str(s, 1)),
  // OPA reports the key operand as operand 1 too.
  "crypto.x509.parse_keypair": ([c, k]) => x509KeyPair(str(c, 1), str(k, 1)),
};

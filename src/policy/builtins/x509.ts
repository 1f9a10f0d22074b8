/**
 * Go's crypto/x509 certificate and CSR structures as OPA returns them (json.Marshal of
 * x509.Certificate, plus OPA's URIStrings): a DER walk following crypto/x509/parser.go.
 */
import { bitString, DER, intOf, oidOf, TAG, timeOf, asn1String, type TLV } from "./go/asn1.js";
import { ipString } from "./go/net.js";
import { intValue, RObject, type Value } from "./value.js";
import { parseURL, urlString } from "./uri.js";

const b64 = (b: Buffer | undefined): Value => (b === undefined ? null : b.toString("base64"));
const ints = (oid: number[]): Value => oid.map(intValue);
const strs = (xs: string[] | undefined): Value => (xs === undefined || xs.length === 0 ? null : xs);
const CTX = (n: number, constructed = false): number => 0x80 | (constructed ? 0x20 : 0) | n;

const SIG_ALGS: Record<string, number> = {
  "1.2.840.113549.1.1.2": 1, "1.2.840.113549.1.1.4": 2, "1.2.840.113549.1.1.5": 3, "1.3.14.3.2.29": 3, "1.2.840.113549.1.1.11": 4,
  "1.2.840.113549.1.1.12": 5, "1.2.840.113549.1.1.13": 6, "1.2.840.10040.4.3": 7, "2.16.840.1.101.3.4.3.2": 8, "1.2.840.10045.4.1": 9,
  "1.2.840.10045.4.3.2": 10, "1.2.840.10045.4.3.3": 11, "1.2.840.10045.4.3.4": 12, "1.3.101.112": 16,
};
const PSS_HASH: Record<string, number> = { "2.16.840.1.101.3.4.2.1": 13, "2.16.840.1.101.3.4.2.2": 14, "2.16.840.1.101.3.4.2.3": 15 };
const PK_ALGS: Record<string, number> = { "1.2.840.113549.1.1.1": 1, "1.2.840.10040.4.1": 2, "1.2.840.10045.2.1": 3, "1.3.101.112": 4 };
const EKU: Record<string, number> = {
  "2.5.29.37.0": 0, "1.3.6.1.5.5.7.3.1": 1, "1.3.6.1.5.5.7.3.2": 2, "1.3.6.1.5.5.7.3.3": 3, "1.3.6.1.5.5.7.3.4": 4, "1.3.6.1.5.5.7.3.5": 5,
  "1.3.6.1.5.5.7.3.6": 6, "1.3.6.1.5.5.7.3.7": 7, "1.3.6.1.5.5.7.3.8": 8, "1.3.6.1.5.5.7.3.9": 9, "1.3.6.1.4.1.311.10.3.3": 10,
  "2.16.840.1.113730.4.1": 11, "1.3.6.1.4.1.311.2.1.22": 12, "1.3.6.1.4.1.311.61.1.1": 13,
};

function algorithm(t: TLV): { oid: string; params: TLV | undefined } {
  const d = new DER(t.body);
  const oid = oidOf(d.expect(TAG.OID).body).join(".");
  return { oid, params: d.empty ? undefined : d.read() };
}

export function signatureAlgorithm(t: TLV): number {
  const a = algorithm(t);
  if (a.oid !== "1.2.840.113549.1.1.10") return SIG_ALGS[a.oid] ?? 0;
  // Go accepts PSS only with MGF1 over the message hash, a salt as long as the hash and
  // the default trailer field (getSignatureAlgorithmFromAI).
  try {
    // pssParameters: hash [0], MGF [1] and salt length [2] are required, trailer field [3] optional.
    const p = new DER(a.params!.body);
    const hash = algorithm(new DER(p.expect(CTX(0, true)).body).read());
    const m = algorithm(new DER(p.expect(CTX(1, true)).body).read());
    const h = algorithm(m.params!);
    const mgf = { oid: m.oid, hash: h.oid, params: h.params };
    const salt = intOf(new DER(p.expect(CTX(2, true)).body).expect(TAG.INTEGER).body);
    const trailer = p.empty ? 1n : intOf(new DER(p.expect(CTX(3, true)).body).expect(TAG.INTEGER).body);
    const nullOrAbsent = (t: TLV | undefined): boolean => t === undefined || (t.tag === TAG.NULL && t.body.length === 0);
    if (!nullOrAbsent(hash.params) || mgf.oid !== "1.2.840.113549.1.1.8" || mgf.hash !== hash.oid || !nullOrAbsent(mgf.params) || trailer !== 1n) return 0;
    const size = { "2.16.840.1.101.3.4.2.1": 32n, "2.16.840.1.101.3.4.2.2": 48n, "2.16.840.1.101.3.4.2.3": 64n }[hash.oid];
    return size !== undefined && salt === size ? PSS_HASH[hash.oid]! : 0;
  } catch {
    return 0;
  }
}

/** pkix.Name from an RDNSequence. */
export function nameOf(t: TLV): Value {
  const name: Record<string, string[]> = {};
  let cn = "";
  let sn = "";
  const names: Value[] = [];
  const rdns = new DER(t.body);
  while (!rdns.empty) {
    const set = new DER(rdns.expect(TAG.SET).body);
    while (!set.empty) {
      const atv = new DER(set.expect(TAG.SEQUENCE).body);
      const type = oidOf(atv.expect(TAG.OID).body);
      const v = atv.read();
      const s = asn1String(v);
      const value: Value = s ?? (v.tag === TAG.INTEGER ? intValue(intOf(v.body)) : v.body.toString("base64"));
      names.push(RObject.of({ Type: ints(type), Value: value }));
      if (s === undefined || type.length !== 4 || type[0] !== 2 || type[1] !== 5 || type[2] !== 4) continue;
      const field = { 6: "Country", 7: "Locality", 8: "Province", 9: "StreetAddress", 10: "Organization", 11: "OrganizationalUnit", 17: "PostalCode" }[type[3]!];
      if (type[3] === 3) cn = s;
      else if (type[3] === 5) sn = s;
      else if (field) (name[field] ??= []).push(s);
    }
  }
  const list = (k: string): Value => strs(name[k]);
  return RObject.of({
    Country: list("Country"), Organization: list("Organization"), OrganizationalUnit: list("OrganizationalUnit"), Locality: list("Locality"),
    Province: list("Province"), StreetAddress: list("StreetAddress"), PostalCode: list("PostalCode"), SerialNumber: sn, CommonName: cn,
    Names: names.length ? names : null, ExtraNames: null,
  });
}

/** The public key as Go marshals it: RSA {N, E}, ECDSA {Curve: {}, X, Y}, Ed25519 bytes. */
export function publicKeyOf(spki: TLV): { alg: number; key: Value } {
  const d = new DER(spki.body);
  const alg = algorithm(d.expect(TAG.SEQUENCE));
  const { bytes } = bitString(d.expect(TAG.BIT_STRING).body);
  const pk = PK_ALGS[alg.oid] ?? 0;
  if (pk === 1) {
    const k = new DER(new DER(bytes).expect(TAG.SEQUENCE).body);
    return { alg: pk, key: RObject.of({ N: intValue(intOf(k.expect(TAG.INTEGER).body)), E: intValue(intOf(k.expect(TAG.INTEGER).body)) }) };
  }
  if (pk === 3 && bytes[0] === 4) {
    const n = (bytes.length - 1) / 2;
    const x = BigInt(`0x${bytes.subarray(1, 1 + n).toString("hex")}`);
    const y = BigInt(`0x${bytes.subarray(1 + n).toString("hex")}`);
    return { alg: pk, key: RObject.of({ Curve: new RObject([]), X: intValue(x), Y: intValue(y) }) };
  }
  if (pk === 4) return { alg: pk, key: bytes.toString("base64") };
  return { alg: pk, key: null };
}

export function urlStruct(raw: string): Value {
  const u = parseURL(raw);
  return RObject.of({
    Scheme: u.scheme, Opaque: u.opaque, User: u.hasUser ? new RObject([]) : null, Host: u.host, Path: u.path, RawPath: u.rawPath,
    OmitHost: u.omitHost, ForceQuery: u.forceQuery, RawQuery: u.rawQuery, Fragment: u.fragment, RawFragment: u.rawFragment,
  });
}

export interface SAN {
  dns: string[];
  email: string[];
  ip: string[];
  uri: string[];
}

export function sanOf(value: Buffer): SAN {
  const out: SAN = { dns: [], email: [], ip: [], uri: [] };
  const d = new DER(new DER(value).expect(TAG.SEQUENCE).body);
  while (!d.empty) {
    const t = d.read();
    const n = t.tag & 0x1f;
    if (n === 1) out.email.push(t.body.toString("latin1"));
    else if (n === 2) out.dns.push(t.body.toString("latin1"));
    else if (n === 6) out.uri.push(t.body.toString("latin1"));
    else if (n === 7 && (t.body.length === 4 || t.body.length === 16)) out.ip.push(ipString(Uint8Array.from(t.body)));
  }
  return out;
}

function nameConstraints(value: Buffer, f: Record<string, Value>, critical: boolean): void {
  const top = new DER(new DER(value).expect(TAG.SEQUENCE).body);
  for (const [n, prefix] of [[0, "Permitted"], [1, "Excluded"]] as const) {
    const sub = top.optional(CTX(n, true));
    if (!sub) continue;
    const dns: string[] = [];
    const email: string[] = [];
    const uri: string[] = [];
    const ips: Value[] = [];
    const d = new DER(sub.body);
    while (!d.empty) {
      const v = new DER(d.expect(TAG.SEQUENCE).body).read();
      const tag = v.tag & 0x1f;
      if (tag === 2) dns.push(v.body.toString("latin1"));
      else if (tag === 1) email.push(v.body.toString("latin1"));
      else if (tag === 6) uri.push(v.body.toString("latin1"));
      else if (tag === 7) {
        const half = v.body.length / 2;
        ips.push(RObject.of({ IP: ipString(Uint8Array.from(v.body.subarray(0, half))), Mask: v.body.subarray(half).toString("base64") }));
      }
    }
    f[`${prefix}DNSDomains`] = strs(dns);
    f[`${prefix}EmailAddresses`] = strs(email);
    f[`${prefix}URIDomains`] = strs(uri);
    f[`${prefix}IPRanges`] = ips.length ? ips : null;
  }
  f["PermittedDNSDomainsCritical"] = critical;
}

function extensions(list: TLV | undefined, f: Record<string, Value>): void {
  const exts: Value[] = [];
  const unhandledCritical: Value[] = [];
  if (list) {
    const d = new DER(new DER(list.body).expect(TAG.SEQUENCE).body);
    while (!d.empty) {
      const e = new DER(d.expect(TAG.SEQUENCE).body);
      const id = oidOf(e.expect(TAG.OID).body);
      const critical = e.optional(TAG.BOOLEAN)?.body[0] ? true : false;
      const value = e.expect(TAG.OCTET_STRING).body;
      exts.push(RObject.of({ Id: ints(id), Critical: critical, Value: value.toString("base64") }));
      const oid = id.join(".");
      let unhandled = false;
      switch (oid) {
        case "2.5.29.15": {
          const { bytes } = bitString(new DER(value).expect(TAG.BIT_STRING).body);
          let usage = 0;
          for (let i = 0; i < 9; i++) if (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) usage |= 1 << i;
          f["KeyUsage"] = intValue(usage);
          break;
        }
        case "2.5.29.19": {
          const b = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          f["IsCA"] = (b.optional(TAG.BOOLEAN)?.body[0] ?? 0) !== 0;
          const mpl = b.optional(TAG.INTEGER);
          const max = mpl ? Number(intOf(mpl.body)) : -1;
          Object.assign(f, { MaxPathLen: intValue(max), BasicConstraintsValid: true, MaxPathLenZero: max === 0 });
          break;
        }
        case "2.5.29.17": {
          const san = sanOf(value);
          Object.assign(f, { DNSNames: strs(san.dns), EmailAddresses: strs(san.email), IPAddresses: strs(san.ip) });
          f["URIs"] = san.uri.length ? san.uri.map(urlStruct) : null;
          f["URIStrings"] = san.uri.length ? san.uri.map((u) => urlString(parseURL(u))) : null;
          unhandled = san.dns.length + san.email.length + san.ip.length + san.uri.length === 0;
          break;
        }
        case "2.5.29.30":
          nameConstraints(value, f, critical);
          break;
        case "2.5.29.31": {
          const urls: string[] = [];
          const d2 = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          while (!d2.empty) {
            const dp = new DER(d2.expect(TAG.SEQUENCE).body);
            const name = dp.optional(CTX(0, true));
            if (!name) continue;
            const full = new DER(new DER(name.body).expect(CTX(0, true)).body);
            while (full.peekTag() === CTX(6)) urls.push(full.read().body.toString("latin1"));
          }
          f["CRLDistributionPoints"] = strs(urls);
          break;
        }
        case "2.5.29.35": {
          const akid = new DER(new DER(value).expect(TAG.SEQUENCE).body).optional(CTX(0));
          f["AuthorityKeyId"] = b64(akid?.body);
          break;
        }
        case "2.5.29.14":
          f["SubjectKeyId"] = b64(new DER(value).expect(TAG.OCTET_STRING).body);
          break;
        case "2.5.29.37": {
          const known: Value[] = [];
          const unknown: Value[] = [];
          const d2 = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          while (!d2.empty) {
            const eku = oidOf(d2.expect(TAG.OID).body);
            const k = EKU[eku.join(".")];
            if (k !== undefined) known.push(intValue(k));
            else unknown.push(ints(eku));
          }
          f["ExtKeyUsage"] = known.length ? known : null;
          f["UnknownExtKeyUsage"] = unknown.length ? unknown : null;
          break;
        }
        case "2.5.29.32": {
          const pols: number[][] = [];
          const d2 = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          while (!d2.empty) pols.push(oidOf(new DER(d2.expect(TAG.SEQUENCE).body).expect(TAG.OID).body));
          f["Policies"] = pols.length ? pols.map((p) => p.join(".")) : null;
          f["PolicyIdentifiers"] = pols.map(ints);
          break;
        }
        case "2.5.29.33": {
          const maps: Value[] = [];
          const d2 = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          while (!d2.empty) {
            const m = new DER(d2.expect(TAG.SEQUENCE).body);
            maps.push(RObject.of({ IssuerDomainPolicy: oidOf(m.expect(TAG.OID).body).join("."), SubjectDomainPolicy: oidOf(m.expect(TAG.OID).body).join(".") }));
          }
          f["PolicyMappings"] = maps.length ? maps : null;
          break;
        }
        case "2.5.29.36": {
          const d2 = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          const req = d2.optional(CTX(0));
          if (req) Object.assign(f, { RequireExplicitPolicy: intValue(intOf(req.body)), RequireExplicitPolicyZero: intOf(req.body) === 0n });
          const inh = d2.optional(CTX(1));
          if (inh) Object.assign(f, { InhibitPolicyMapping: intValue(intOf(inh.body)), InhibitPolicyMappingZero: intOf(inh.body) === 0n });
          break;
        }
        case "2.5.29.54": {
          const v = intOf(new DER(value).expect(TAG.INTEGER).body);
          Object.assign(f, { InhibitAnyPolicy: intValue(v), InhibitAnyPolicyZero: v === 0n });
          break;
        }
        case "1.3.6.1.5.5.7.1.1": {
          const ocsp: string[] = [];
          const issuers: string[] = [];
          const d2 = new DER(new DER(value).expect(TAG.SEQUENCE).body);
          while (!d2.empty) {
            const a = new DER(d2.expect(TAG.SEQUENCE).body);
            const method = oidOf(a.expect(TAG.OID).body).join(".");
            const loc = a.optional(CTX(6));
            if (!loc) continue;
            if (method === "1.3.6.1.5.5.7.48.1") ocsp.push(loc.body.toString("latin1"));
            else if (method === "1.3.6.1.5.5.7.48.2") issuers.push(loc.body.toString("latin1"));
          }
          f["OCSPServer"] = strs(ocsp);
          f["IssuingCertificateURL"] = strs(issuers);
          break;
        }
        default:
          unhandled = true;
      }
      if (critical && unhandled) unhandledCritical.push(ints(id));
    }
  }
  f["Extensions"] = exts.length ? exts : null;
  f["UnhandledCriticalExtensions"] = unhandledCritical.length ? unhandledCritical : null;
}

const NULL_FIELDS = [
  "AuthorityKeyId", "CRLDistributionPoints", "DNSNames", "EmailAddresses", "ExcludedDNSDomains", "ExcludedEmailAddresses", "ExcludedIPRanges",
  "ExcludedURIDomains", "ExtKeyUsage", "ExtraExtensions", "IPAddresses", "IssuingCertificateURL", "OCSPServer", "PermittedDNSDomains",
  "PermittedEmailAddresses", "PermittedIPRanges", "PermittedURIDomains", "Policies", "PolicyIdentifiers", "PolicyMappings", "SubjectKeyId",
  "URIs", "UnknownExtKeyUsage",
];

/** x509.ParseCertificate, marshalled as OPA returns it (with URIStrings). */
export function certificateOf(der: Buffer): { value: RObject; rest: Buffer } {
  const outer = new DER(der);
  const cert = outer.expect(TAG.SEQUENCE);
  const c = new DER(cert.body);
  const tbs = c.expect(TAG.SEQUENCE);
  const sigAlg = c.expect(TAG.SEQUENCE);
  const { bytes: signature } = bitString(c.expect(TAG.BIT_STRING).body);
  const t = new DER(tbs.body);
  const version = t.optional(CTX(0, true));
  const serial = intOf(t.expect(TAG.INTEGER).body);
  t.expect(TAG.SEQUENCE);
  const issuer = t.expect(TAG.SEQUENCE);
  const validity = new DER(t.expect(TAG.SEQUENCE).body);
  const notBefore = timeOf(validity.read());
  const notAfter = timeOf(validity.read());
  const subject = t.expect(TAG.SEQUENCE);
  const spki = t.expect(TAG.SEQUENCE);
  t.optional(CTX(1));
  t.optional(CTX(2));
  const exts = t.optional(CTX(3, true));
  const pk = publicKeyOf(spki);
  const f: Record<string, Value> = Object.fromEntries(NULL_FIELDS.map((k) => [k, null]));
  Object.assign(f, {
    BasicConstraintsValid: false, IsCA: false, MaxPathLen: intValue(0), MaxPathLenZero: false, KeyUsage: intValue(0),
    PermittedDNSDomainsCritical: false, InhibitAnyPolicy: intValue(0), InhibitAnyPolicyZero: false, InhibitPolicyMapping: intValue(0),
    InhibitPolicyMappingZero: false, RequireExplicitPolicy: intValue(0), RequireExplicitPolicyZero: false, URIStrings: null,
  });
  extensions(exts, f);
  Object.assign(f, {
    Raw: b64(cert.raw), RawTBSCertificate: b64(tbs.raw), RawSubjectPublicKeyInfo: b64(spki.raw), RawSubject: b64(subject.raw), RawIssuer: b64(issuer.raw),
    Signature: b64(signature), SignatureAlgorithm: intValue(signatureAlgorithm(sigAlg)), PublicKeyAlgorithm: intValue(pk.alg), PublicKey: pk.key,
    Version: intValue(version ? Number(intOf(new DER(version.body).expect(TAG.INTEGER).body)) + 1 : 1), SerialNumber: intValue(serial),
    Issuer: nameOf(issuer), Subject: nameOf(subject), NotBefore: notBefore, NotAfter: notAfter,
  });
  return { value: RObject.of(f), rest: der.subarray(cert.raw.length) };
}

/** The fields of a parsed certificate that chain verification reads (from certificateOf's value). */
import { parseIP, to4, type IP, type IPNet } from "./go/net.js";
import { RObject, type RNum, type Value } from "./value.js";

export interface Cert {
  /** The certificate as parse_certificates returns it. */
  readonly value: RObject;
  readonly raw: Buffer;
  readonly tbs: Buffer;
  readonly rawSubject: string;
  readonly rawIssuer: string;
  readonly spki: Buffer;
  readonly signature: Buffer;
  readonly signatureAlgorithm: number;
  readonly publicKeyAlgorithm: number;
  readonly hasPublicKey: boolean;
  readonly version: number;
  readonly notBefore: bigint;
  readonly notAfter: bigint;
  readonly basicConstraintsValid: boolean;
  readonly isCA: boolean;
  readonly maxPathLen: number;
  readonly keyUsage: number;
  readonly extKeyUsage: number[];
  readonly unknownExtKeyUsage: number;
  readonly unhandledCritical: boolean;
  readonly authorityKeyId: string;
  readonly subjectKeyId: string;
  readonly dnsNames: string[];
  readonly emailAddresses: string[];
  readonly ipAddresses: IP[];
  readonly uris: string[];
  readonly sanValue: string | undefined;
  readonly hasNameConstraints: boolean;
  readonly permitted: Names;
  readonly excluded: Names;
  readonly policies: string[];
  readonly policyMappings: Array<readonly [string, string]>;
  readonly requireExplicitPolicy: number;
  readonly requireExplicitPolicyZero: boolean;
  readonly inhibitPolicyMapping: number;
  readonly inhibitPolicyMappingZero: boolean;
  readonly inhibitAnyPolicy: number;
  readonly inhibitAnyPolicyZero: boolean;
}

export interface Names {
  readonly dns: string[];
  readonly emails: string[];
  readonly uris: string[];
  readonly ips: IPNet[];
}

const field = (v: RObject, k: string): Value => v.get(k) ?? null;
const bytes = (v: RObject, k: string): Buffer => Buffer.from((field(v, k) as string | null) ?? "", "base64");
const num = (v: RObject, k: string): number => Number((field(v, k) as RNum).text);
const bool = (v: RObject, k: string): boolean => field(v, k) === true;
const strings = (v: RObject, k: string): string[] => ((field(v, k) as string[] | null) ?? []).slice();

/** RFC 3339 (as time.Time marshals) to nanoseconds since the epoch. */
function nanos(s: string): bigint {
  const m = /^(\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/.exec(s)!;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  return BigInt(d.getTime()) * 1_000_000n + BigInt((m[7] ?? "").padEnd(9, "0").slice(0, 9) || "0");
}

/** A SAN IP as the bytes Go keeps (4 for IPv4, 16 for IPv6). */
function sanIP(s: string): IP {
  const ip = parseIP(s)!;
  return s.includes(":") ? ip : (to4(ip) ?? ip);
}

function names(v: RObject, prefix: "Permitted" | "Excluded"): Names {
  const ips = ((field(v, `${prefix}IPRanges`) as RObject[] | null) ?? []).map((r) => {
    const ip = parseIP(r.get("IP") as string)!;
    const mask = new Uint8Array(Buffer.from(r.get("Mask") as string, "base64"));
    return { ip: ip.length === 16 && mask.length === 4 ? ip.subarray(12) : ip, mask };
  });
  return { dns: strings(v, `${prefix}DNSDomains`), emails: strings(v, `${prefix}EmailAddresses`), uris: strings(v, `${prefix}URIDomains`), ips };
}

const hasExtension = (exts: RObject[], id: string): RObject | undefined =>
  exts.find((e) => (e.get("Id") as RNum[]).map((x) => x.text).join(".") === id);

export function certOf(value: RObject): Cert {
  const exts = (field(value, "Extensions") as RObject[] | null) ?? [];
  const san = hasExtension(exts, "2.5.29.17");
  return {
    value,
    raw: bytes(value, "Raw"),
    tbs: bytes(value, "RawTBSCertificate"),
    rawSubject: field(value, "RawSubject") as string,
    rawIssuer: field(value, "RawIssuer") as string,
    spki: bytes(value, "RawSubjectPublicKeyInfo"),
    signature: bytes(value, "Signature"),
    signatureAlgorithm: num(value, "SignatureAlgorithm"),
    publicKeyAlgorithm: num(value, "PublicKeyAlgorithm"),
    hasPublicKey: field(value, "PublicKey") !== null,
    version: num(value, "Version"),
    notBefore: nanos(field(value, "NotBefore") as string),
    notAfter: nanos(field(value, "NotAfter") as string),
    basicConstraintsValid: bool(value, "BasicConstraintsValid"),
    isCA: bool(value, "IsCA"),
    maxPathLen: num(value, "MaxPathLen"),
    keyUsage: num(value, "KeyUsage"),
    extKeyUsage: ((field(value, "ExtKeyUsage") as RNum[] | null) ?? []).map((x) => Number(x.text)),
    unknownExtKeyUsage: ((field(value, "UnknownExtKeyUsage") as Value[] | null) ?? []).length,
    unhandledCritical: field(value, "UnhandledCriticalExtensions") !== null,
    authorityKeyId: (field(value, "AuthorityKeyId") as string | null) ?? "",
    subjectKeyId: (field(value, "SubjectKeyId") as string | null) ?? "",
    dnsNames: strings(value, "DNSNames"),
    emailAddresses: strings(value, "EmailAddresses"),
    ipAddresses: strings(value, "IPAddresses").map(sanIP),
    uris: strings(value, "URIStrings"),
    sanValue: san ? (san.get("Value") as string) : undefined,
    hasNameConstraints: hasExtension(exts, "2.5.29.30") !== undefined,
    permitted: names(value, "Permitted"),
    excluded: names(value, "Excluded"),
    policies: strings(value, "Policies"),
    policyMappings: ((field(value, "PolicyMappings") as RObject[] | null) ?? []).map((m) => [m.get("IssuerDomainPolicy") as string, m.get("SubjectDomainPolicy") as string] as const),
    requireExplicitPolicy: num(value, "RequireExplicitPolicy"),
    requireExplicitPolicyZero: bool(value, "RequireExplicitPolicyZero"),
    inhibitPolicyMapping: num(value, "InhibitPolicyMapping"),
    inhibitPolicyMappingZero: bool(value, "InhibitPolicyMappingZero"),
    inhibitAnyPolicy: num(value, "InhibitAnyPolicy"),
    inhibitAnyPolicyZero: bool(value, "InhibitAnyPolicyZero"),
  };
}

/** The certificate without OPA's URIStrings addition (as ast.InterfaceToValue gives it). */
export const plainValue = (c: Cert): RObject => new RObject(c.value.entries.filter(([k]) => k !== "URIStrings"));

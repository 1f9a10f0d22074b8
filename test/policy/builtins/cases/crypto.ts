// crypto.x509.parse_certificates, crypto.parse_private_keys, crypto.x509.parse_rsa_private_key:
// Go's structures, field by field, for certificates with every extension Go interprets.
import type { Case } from "../harness.js";
import { CHAIN } from "./chain.js";
import * as K from "./keys.js";

const c = (call: string, ...args: string[]): Case => ({ call, args });
const j = JSON.stringify;
const b64 = (s: string): string => Buffer.from(s).toString("base64");
const der = (pem: string): string => pem.replace(/-----[^-]+-----|\s/g, "");
const MALFORMED = "messages about malformed DER are approximated";

const CERTS = [K.rsaCert, K.ec256Cert, K.fullCert, K.polCert, K.edCert, K.pssCert, K.pss256Cert, K.ekuCert, K.v1Cert];

export const CRYPTO_CASES: readonly Case[] = [
  ...CERTS.flatMap((pem) => [c("crypto.x509.parse_certificates", j(pem)), c("crypto.x509.parse_certificates", j(b64(pem))), c("crypto.x509.parse_certificates", j(der(pem)))]),
  c("crypto.x509.parse_certificates", j(K.rsaCert + K.fullCert)), c("crypto.x509.parse_certificates", j(b64(K.rsaCert + K.ec256Cert))),
  c("crypto.x509.parse_certificates", j(Buffer.concat([Buffer.from(der(K.rsaCert), "base64"), Buffer.from(der(K.edCert), "base64")]).toString("base64"))),
  c("crypto.x509.parse_certificates", j(K.ec256Key)), c("crypto.x509.parse_certificates", j("not base64!")), c("crypto.x509.parse_certificates", j("")),
  { call: "crypto.x509.parse_certificates", args: [j("AAAA")], anyError: MALFORMED }, c("crypto.x509.parse_certificates", "1"),
  c("crypto.parse_private_keys", j(K.rsa1Key)), c("crypto.parse_private_keys", j(K.ec256Key)), c("crypto.parse_private_keys", j(K.edKey)),
  c("crypto.parse_private_keys", j(K.rsaKey + K.ec256Key + K.rsaCert + K.edKey)), c("crypto.parse_private_keys", j(b64(K.ec256Key))),
  c("crypto.parse_private_keys", j("")), c("crypto.parse_private_keys", j("nothing here")), c("crypto.parse_private_keys", j(K.rsaCert)), c("crypto.parse_private_keys", "1"),
  c("crypto.x509.parse_rsa_private_key", j(K.rsa1Key)), c("crypto.x509.parse_rsa_private_key", j(K.ec256Key)), c("crypto.x509.parse_rsa_private_key", j(K.edKey)),
  c("crypto.x509.parse_rsa_private_key", j(b64(K.rsaKey))), c("crypto.x509.parse_rsa_private_key", j("")), c("crypto.x509.parse_rsa_private_key", j(K.rsaCert)),
  c("crypto.x509.parse_rsa_private_key", j("%%%")), c("crypto.x509.parse_rsa_private_key", "1"),
];

const CSRS = [K.csr, K.csr2, K.csr3];
const pair = (cert: string, key: string): Case => c("crypto.x509.parse_keypair", j(cert), j(key));

export const X509_REQUEST_CASES: readonly Case[] = [
  ...CSRS.flatMap((pem) => [c("crypto.x509.parse_certificate_request", j(pem)), c("crypto.x509.parse_certificate_request", j(b64(pem))), c("crypto.x509.parse_certificate_request", j(der(pem)))]),
  c("crypto.x509.parse_certificate_request", j(K.rsaCert)), c("crypto.x509.parse_certificate_request", j(b64(K.rsaCert))), c("crypto.x509.parse_certificate_request", j("%%")),
  c("crypto.x509.parse_certificate_request", j("")), { call: "crypto.x509.parse_certificate_request", args: [j(der(K.rsaCert))], anyError: MALFORMED },
  { call: "crypto.x509.parse_certificate_request", args: [j("AAAA")], anyError: MALFORMED }, c("crypto.x509.parse_certificate_request", "1"),
  pair(K.rsaCert, K.rsaKey), pair(K.ec256Cert, K.ec256Key), pair(K.edCert, K.edKey), pair(K.fullCert, K.ec256Key), pair(K.pss256Cert, K.rsaKey),
  pair(K.rsaCert + K.ec256Cert, K.rsaKey), pair(b64(K.rsaCert), b64(K.rsaKey)), pair(der(K.ec256Cert), der(K.edKey)), pair(der(K.edCert), der(K.edKey)),
  pair(K.rsaCert, K.ec256Key), pair(K.v1Cert, K.rsa1Key), pair(K.rsaCert, K.rsaCert), pair(K.rsaKey, K.rsaKey), pair(K.csr, K.rsaKey),
  pair(K.rsaCert, K.csr), pair(K.rsaCert, K.csr + K.rsaCert), pair(K.csr + K.rsaKey, K.rsaKey), pair(K.rsaCert, ""), pair("", K.rsaKey), pair("%%", K.rsaKey),
  pair(K.rsaCert, "%%"), pair(K.rsaCert, b64("nothing")), pair(b64("nothing"), K.rsaKey), c("crypto.x509.parse_keypair", "1", j(K.rsaKey)),
  c("crypto.x509.parse_keypair", j(K.rsaCert), "[]"),
];

const C = CHAIN;
const chain = (...names: string[]): string => names.map((n) => C[n]!).join("");
const pv = (input: string): Case => c("crypto.x509.parse_and_verify_certificates", j(input));
const pvo = (input: string, opts: object | string): Case => c("crypto.x509.parse_and_verify_certificates_with_options", j(input), typeof opts === "string" ? opts : j(opts));
// Times in ns: the test certificates are valid from 2026-12-01 for at least 2000 days.
const NOW = 1_900_000_000_000_000_000;
const BEFORE = 1_700_000_000_000_000_000;

export const X509_VERIFY_CASES: readonly Case[] = [
  pv(chain("root", "int", "leaf")), pv(chain("root", "leaf")), pv(chain("leaf", "int", "root")), pv(chain("root", "int", "client")), pv(chain("root", "int", "sha1")),
  pv(chain("root", "notca", "undernotca")), pv(chain("root", "int", "crit")), pv(chain("edroot", "edleaf")), pv(chain("root", "pssleaf")), pv(chain("root", "pssmax")),
  pv(chain("root", "ncint", "nc-ok")), pv(chain("root", "ncint", "nc-other")), pv(chain("root", "ncint", "nc-bad")), pv(chain("root", "ncint", "nc-ip")),
  pv(chain("root", "ncint", "nc-mail")), pv(chain("root", "ncint", "nc-uri")), pv(chain("root", "ncint", "nc-wild")),
  pv(chain("proot", "pint", "pleaf")), pv(chain("proot", "pint", "pleaf-other")), pv(chain("proot", "pint-none", "pleaf-none")), pv(chain("root", "mapint", "mapleaf")),
  pv(chain("root", "root")), pv(chain("root")), pv(chain("edroot", "int", "leaf")), pv(chain("root", "int", "int", "leaf")), pv(chain("root", "leaf", "int", "leaf")),
  pv(Buffer.from(chain("root", "int", "leaf")).toString("base64")), pv("not base64!"), pv(""), c("crypto.x509.parse_and_verify_certificates", "1"),
  pvo(chain("root", "int", "leaf"), {}), pvo(chain("root", "int", "leaf"), { DNSName: "www.example.com" }), pvo(chain("root", "int", "leaf"), { DNSName: "WWW.Example.COM." }),
  pvo(chain("root", "int", "leaf"), { DNSName: "a.example.org" }), pvo(chain("root", "int", "leaf"), { DNSName: "a.b.example.org" }), pvo(chain("root", "int", "leaf"), { DNSName: "example.com" }),
  pvo(chain("root", "int", "leaf"), { DNSName: "10.0.0.1" }), pvo(chain("root", "int", "leaf"), { DNSName: "[10.0.0.1]" }), pvo(chain("root", "int", "leaf"), { DNSName: "10.0.0.2" }),
  pvo(chain("root", "int", "leaf"), { DNSName: '"www.example.com"' }), pvo(chain("root", "int", "leaf"), { DNSName: 5 }),
  pvo(chain("root", "int", "leaf"), { CurrentTime: NOW }), pvo(chain("root", "int", "leaf"), { CurrentTime: BEFORE }), pvo(chain("root", "int", "leaf"), { CurrentTime: 4_000_000_000_000_000_000 }),
  pvo(chain("root", "int", "leaf"), { CurrentTime: 1.5 }), pvo(chain("root", "int", "leaf"), { CurrentTime: "x" }),
  pvo(chain("root", "int", "client"), { KeyUsages: ["KeyUsageClientAuth"] }), pvo(chain("root", "int", "client"), { KeyUsages: ["KeyUsageServerAuth", "KeyUsageClientAuth"] }),
  pvo(chain("root", "int", "client"), { KeyUsages: ["KeyUsageAny"] }), pvo(chain("root", "int", "leaf"), { KeyUsages: ["KeyUsageCodeSigning"] }),
  pvo(chain("root", "int", "leaf"), { KeyUsages: ["KeyUsageNope", "KeyUsageOther", 5] }), pvo(chain("root", "int", "leaf"), { KeyUsages: "KeyUsageAny" }),
  pvo(chain("root", "int", "leaf"), "{\"KeyUsages\": {\"KeyUsageClientAuth\"}}"), pvo(chain("root", "int", "leaf"), { MaxConstraintComparisons: 10 }),
  pvo(chain("root", "int", "leaf"), { MaxConstraintComparisons: "x" }), pvo(chain("root", "int", "leaf"), { Other: 1 }), pvo(chain("root", "int", "leaf"), "{1: 2}"),
  pvo(chain("root", "ncint", "nc-ok"), { DNSName: "www.example.com", CurrentTime: NOW }), pvo(chain("root"), { Other: 1 }), pvo("junk", { Other: 1 }),
  pvo(chain("root", "int", "leaf"), "1"),
];

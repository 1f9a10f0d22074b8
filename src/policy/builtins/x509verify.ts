/**
 * crypto.x509.parse_and_verify_certificates(_with_options) (v1/topdown/crypto.go): the first
 * certificate is the root, the last the leaf, the others intermediates, verified with Go's
 * Certificate.Verify (crypto/x509/verify.go): chain building with its candidate order and
 * signature budget, validity, basic constraints, key usage, host names, policies and name
 * constraints. Any failure gives [false, []], as in OPA.
 */
import { constants, createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { certificatesFromString } from "./crypto.js";
import { parseIP, equalIP } from "./go/net.js";
import { BuiltinError, obj, str, type Registry } from "./types.js";
import { RNum, RSet, type RObject, type Value } from "./value.js";
import { certOf, plainValue, type Cert } from "./x509cert.js";
import { checkChainConstraints, policiesValid } from "./x509chain.js";

interface Options {
  dnsName: string;
  currentTime: bigint | undefined;
  keyUsages: number[];
}

class VerifyError extends Error {}

const HASH: Record<number, [string, number, boolean]> = {
  // algorithm: [hash, public key algorithm, PSS]
  4: ["sha256", 1, false], 5: ["sha384", 1, false], 6: ["sha512", 1, false], 13: ["sha256", 1, true], 14: ["sha384", 1, true], 15: ["sha512", 1, true],
  8: ["sha256", 2, false], 10: ["sha256", 3, false], 11: ["sha384", 3, false], 12: ["sha512", 3, false],
};
const HASH_SIZE: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** checkSignature (SHA-1 and MD5 refused, as Go does for certificates). */
function checkSignature(c: Cert, parent: Cert): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: parent.spki, format: "der", type: "spki" });
  } catch {
    return false;
  }
  const type = key.asymmetricKeyType;
  if (c.signatureAlgorithm === 16) return type === "ed25519" && cryptoVerify(null, c.tbs, key, c.signature);
  const details = HASH[c.signatureAlgorithm];
  if (!details) return false;
  const [hash, pkAlg, pss] = details;
  try {
    if (type === "rsa") {
      if (pkAlg !== 1 || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024) return false;
      const padding = pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_SIZE[hash]! } : { padding: constants.RSA_PKCS1_PADDING };
      return cryptoVerify(hash, c.tbs, { key, ...padding }, c.signature);
    }
    if (type === "ec") return pkAlg === 3 && cryptoVerify(hash, c.tbs, key, c.signature);
  } catch {
    return false;
  }
  return false;
}

/** CheckSignatureFrom. */
function signedBy(c: Cert, parent: Cert): boolean {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) return false;
  if (parent.keyUsage !== 0 && (parent.keyUsage & 32) === 0) return false;
  if (parent.publicKeyAlgorithm === 0) return false;
  return checkSignature(c, parent);
}

const LEAF = 0;
const INTERMEDIATE = 1;
const ROOT = 2;

/** Certificate.isValid. */
function isValid(c: Cert, certType: number, chain: readonly Cert[], now: bigint): boolean {
  if (c.unhandledCritical) return false;
  if (chain.length > 0 && chain[chain.length - 1]!.rawIssuer !== c.rawSubject) return false;
  if (now < c.notBefore || now > c.notAfter) return false;
  if (certType === INTERMEDIATE && (!c.basicConstraintsValid || !c.isCA)) return false;
  if (c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen) return false;
  return true;
}

/** CertPool: certificates by subject, without duplicates. */
class Pool {
  readonly certs: Cert[] = [];
  add(c: Cert): void {
    if (!this.contains(c)) this.certs.push(c);
  }
  contains(c: Cert): boolean {
    return this.certs.some((x) => x.raw.equals(c.raw));
  }
  /** findPotentialParents: matching key ids first, then one missing, then mismatched. */
  parents(c: Cert): Cert[] {
    const byName = this.certs.filter((x) => x.rawSubject === c.rawIssuer);
    const match = byName.filter((x) => x.subjectKeyId === c.authorityKeyId);
    const one = byName.filter((x) => x.subjectKeyId !== c.authorityKeyId && (x.subjectKeyId === "" || c.authorityKeyId === ""));
    const rest = byName.filter((x) => x.subjectKeyId !== c.authorityKeyId && x.subjectKeyId !== "" && c.authorityKeyId !== "");
    return [...match, ...one, ...rest];
  }
}

function alreadyInChain(candidate: Cert, chain: readonly Cert[]): boolean {
  return chain.some((c) => {
    if (candidate.rawSubject !== c.rawSubject || !candidate.spki.equals(c.spki)) return false;
    if (candidate.sanValue === undefined || c.sanValue === undefined) return candidate.sanValue === c.sanValue;
    return candidate.sanValue === c.sanValue;
  });
}

interface Budget {
  checks: number;
  exhausted: boolean;
}

function buildChains(c: Cert, chain: readonly Cert[], budget: Budget, roots: Pool, intermediates: Pool, now: bigint): Cert[][] {
  const chains: Cert[][] = [];
  for (const [certType, pool] of [[ROOT, roots], [INTERMEDIATE, intermediates]] as const) {
    for (const candidate of pool.parents(c)) {
      if (++budget.checks > 100) {
        budget.exhausted = true;
        return chains;
      }
      if (!candidate.hasPublicKey || alreadyInChain(candidate, chain)) continue;
      if (!signedBy(c, candidate) || !isValid(candidate, certType, chain, now)) continue;
      const next = [...chain, candidate];
      if (certType === ROOT) chains.push(next);
      else chains.push(...buildChains(candidate, next, budget, roots, intermediates, now));
      if (budget.exhausted) return chains;
    }
  }
  return chains;
}

function toLowerASCII(s: string): string {
  return s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

function validHostname(host0: string, isPattern: boolean): boolean {
  const host = isPattern ? host0 : host0.replace(/\.$/, "");
  if (host === "" || host === "*") return false;
  return host.split(".").every((part, i) => part !== "" && ((isPattern && i === 0 && part === "*") || [...part].every((ch, j) => /[a-zA-Z0-9_]/.test(ch) || (ch === "-" && j !== 0))));
}

/** Certificate.VerifyHostname. */
function verifyHostname(c: Cert, h: string): boolean {
  const candidateIP = h.length >= 3 && h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
  const ip = parseIP(candidateIP);
  if (ip) return c.ipAddresses.some((x) => equalIP(x, ip));
  const name = toLowerASCII(h);
  const valid = validHostname(name, false);
  const parts = toLowerASCII(name.replace(/\.$/, "")).split(".");
  return c.dnsNames.some((match) => {
    if (valid && validHostname(match, true)) {
      const pattern = toLowerASCII(match).split(".");
      return match !== "" && pattern.length === parts.length && pattern.every((p, i) => (i === 0 && p === "*") || p === parts[i]);
    }
    return !["", "."].includes(match) && !["", "."].includes(name) && toLowerASCII(match) === name;
  });
}

/** checkChainForKeyUsage. */
function keyUsageOK(chain: readonly Cert[], requested: readonly number[]): boolean {
  const usages = [...requested];
  let remaining = usages.length;
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i]!;
    if (c.extKeyUsage.length === 0 && c.unknownExtKeyUsage === 0) continue;
    if (c.extKeyUsage.includes(0)) continue;
    for (let k = 0; k < usages.length; k++) {
      if (usages[k] === -1 || c.extKeyUsage.includes(usages[k]!)) continue;
      usages[k] = -1;
      if (--remaining === 0) return false;
    }
  }
  return true;
}

/** verifyX509CertificateChain: chains[0] of leaf.Verify, or a VerifyError. */
function verifyChain(certs: Cert[], opts: Options, now: bigint): Cert[] {
  if (certs.length < 2) throw new VerifyError("must supply at least two certificates to be able to verify");
  const roots = new Pool();
  roots.add(certs[0]!);
  const intermediates = new Pool();
  for (const c of certs.slice(1, -1)) intermediates.add(c);
  const leaf = certs[certs.length - 1]!;
  const time = opts.currentTime ?? now;
  if (!isValid(leaf, LEAF, [], time)) throw new VerifyError("invalid leaf");
  if (opts.dnsName !== "" && !verifyHostname(leaf, opts.dnsName)) throw new VerifyError("host name");
  const candidates = roots.contains(leaf) ? [[leaf]] : buildChains(leaf, [leaf], { checks: 0, exhausted: false }, roots, intermediates, time);
  const anyUsage = opts.keyUsages.includes(0);
  const usages = opts.keyUsages.length === 0 ? [1] : opts.keyUsages;
  const ok = candidates.filter((chain) => policiesValid(chain) && (anyUsage || keyUsageOK(chain, usages)) && checkChainConstraints(chain));
  if (ok.length === 0) throw new VerifyError("no valid chains");
  return ok[0]!;
}

const KEY_USAGES = [
  "KeyUsageAny", "KeyUsageServerAuth", "KeyUsageClientAuth", "KeyUsageCodeSigning", "KeyUsageEmailProtection", "KeyUsageIPSECEndSystem",
  "KeyUsageIPSECTunnel", "KeyUsageIPSECUser", "KeyUsageTimeStamping", "KeyUsageOCSPSigning", "KeyUsageMicrosoftServerGatedCrypto",
  "KeyUsageNetscapeServerGatedCrypto", "KeyUsageMicrosoftCommercialCodeSigning", "KeyUsageMicrosoftKernelCodeSigning",
];

/** extractVerifyOpts. */
function options(o: RObject): Options {
  const opts: Options = { dnsName: "", currentTime: undefined, keyUsages: [] };
  for (const [k, v] of o.entries) {
    if (typeof k !== "string") continue;
    switch (k) {
      case "DNSName":
        if (typeof v !== "string") throw new BuiltinError("'DNSName' should be a string");
        opts.dnsName = v.replace(/^"+|"+$/g, "");
        break;
      case "CurrentTime": {
        if (!(v instanceof RNum)) throw new BuiltinError("'CurrentTime' should be a number");
        if (!/^-?\d+$/.test(v.text) || BigInt(v.text) >= 1n << 63n || BigInt(v.text) < -(1n << 63n)) throw new BuiltinError("'CurrentTime' should be a valid int64 number");
        opts.currentTime = BigInt(v.text);
        break;
      }
      case "MaxConstraintComparisons":
        if (!(v instanceof RNum)) throw new BuiltinError("'MaxConstraintComparisons' should be a number");
        if (!/^-?\d+$/.test(v.text) || BigInt(v.text) >= 1n << 63n || BigInt(v.text) < -(1n << 63n)) throw new BuiltinError("'MaxConstraintComparisons' should be a valid number");
        break;
      case "KeyUsages": {
        const items = Array.isArray(v) ? v : v instanceof RSet ? v.items : undefined;
        if (!items) throw new BuiltinError("'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const u of items) {
          if (typeof u !== "string") continue;
          const name = u.replace(/^"+|"+$/g, "");
          const i = KEY_USAGES.indexOf(name);
          if (i >= 0) opts.keyUsages.push(i);
          else invalid.push(name);
        }
        if (invalid.length > 0) throw new BuiltinError(`invalid entries for 'KeyUsages' found: [${invalid.join(" ")}]`);
        break;
      }
      default:
        throw new BuiltinError("invalid key option");
    }
  }
  return opts;
}

function parse(input: string): Cert[] | undefined {
  try {
    return certificatesFromString(input).map((v) => certOf(v as RObject));
  } catch (e) {
    if (e instanceof BuiltinError) return undefined;
    throw e;
  }
}

const FAILED: Value = [false, []];

export const X509_VERIFY: Registry = {
  "crypto.x509.parse_and_verify_certificates": ([s], ctx) => {
    const certs = parse(str(s, 1));
    if (!certs) return FAILED;
    try {
      return [true, verifyChain(certs, { dnsName: "", currentTime: undefined, keyUsages: [] }, ctx.now()).map((c) => c.value)];
    } catch (e) {
      if (e instanceof VerifyError) return FAILED;
      throw e;
    }
  },
  "crypto.x509.parse_and_verify_certificates_with_options": ([s, o], ctx) => {
    const input = str(s, 1);
    const opts = obj(o, 2);
    const certs = parse(input);
    if (!certs) return FAILED;
    const parsed = options(opts);
    try {
      return [true, verifyChain(certs, parsed, ctx.now()).map(plainValue)];
    } catch (e) {
      if (e instanceof VerifyError) return FAILED;
      throw e;
    }
  },
};

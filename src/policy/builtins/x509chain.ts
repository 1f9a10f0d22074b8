/**
 * The chain checks of Go's Certificate.Verify after chain building: policiesValid (the
 * RFC 5280 policy graph, verify.go) and checkChainConstraints (name constraints,
 * constraints.go), for a chain from the leaf (index 0) to the root.
 */
import { compareBytes, contains, parseIP, type IP, type IPNet } from "./go/net.js";
import { parseURL } from "./uri.js";
import type { Cert } from "./x509cert.js";

// ---------------------------------------------------------------- policies

const ANY = "2.5.29.32.0";

interface PolicyNode {
  valid: string;
  expected: string[];
  parents: Set<PolicyNode>;
  children: Set<PolicyNode>;
}

function node(valid: string, parents: PolicyNode[]): PolicyNode {
  const n: PolicyNode = { valid, expected: [valid], parents: new Set(), children: new Set() };
  for (const p of parents) {
    p.children.add(n);
    n.parents.add(p);
  }
  return n;
}

class PolicyGraph {
  strata: Array<Map<string, PolicyNode>> = [new Map([[ANY, node(ANY, [])]])];
  parentIndex = new Map<string, PolicyNode[]>();
  depth = 0;

  insert(n: PolicyNode): void {
    this.strata[this.depth]!.set(n.valid, n);
  }
  parentsWithExpected(expected: string): PolicyNode[] {
    return this.depth === 0 ? [] : (this.parentIndex.get(expected) ?? []);
  }
  parentWithAnyPolicy(): PolicyNode | undefined {
    return this.depth === 0 ? undefined : this.strata[this.depth - 1]!.get(ANY);
  }
  parents(): PolicyNode[] {
    return this.depth === 0 ? [] : [...this.strata[this.depth - 1]!.values()];
  }
  leaves(): Map<string, PolicyNode> {
    return this.strata[this.depth]!;
  }
  deleteLeaf(policy: string): void {
    const n = this.leaves().get(policy);
    if (!n) return;
    for (const p of n.parents) p.children.delete(n);
    for (const c of n.children) c.parents.delete(n);
    this.leaves().delete(policy);
  }
  validPolicyNodes(): PolicyNode[] {
    const out: PolicyNode[] = [];
    for (let i = this.depth; i >= 0; i--) {
      for (const n of this.strata[i]!.values()) {
        if (n.valid !== ANY && n.parents.size === 1 && [...n.parents][0]!.valid === ANY) out.push(n);
      }
    }
    return out;
  }
  prune(): void {
    for (let i = this.depth - 1; i > 0; i--) {
      for (const n of [...this.strata[i]!.values()]) {
        if (n.children.size > 0) continue;
        for (const p of n.parents) p.children.delete(n);
        this.strata[i]!.delete(n.valid);
      }
    }
  }
  incrDepth(): void {
    this.parentIndex = new Map();
    for (const n of this.strata[this.depth]!.values()) for (const e of n.expected) this.parentIndex.set(e, [...(this.parentIndex.get(e) ?? []), n]);
    this.depth++;
    this.strata.push(new Map());
  }
}

/** policiesValid with no user policy set (OPA passes none). */
export function policiesValid(chain: readonly Cert[]): boolean {
  if (chain.length === 1) return true;
  const n = chain.length - 1;
  let pg: PolicyGraph | undefined = new PolicyGraph();
  let [inhibitAnyPolicy, explicitPolicy, policyMapping] = [n + 1, n + 1, n + 1];
  for (let i = n - 1; i >= 0; i--) {
    const cert = chain[i]!;
    const selfSigned = cert.rawIssuer === cert.rawSubject;
    if (cert.policies.length === 0) pg = undefined;
    if (explicitPolicy === 0 && !pg) return false;
    if (pg) {
      pg.incrDepth();
      const policies = new Set<string>();
      for (const policy of cert.policies) {
        policies.add(policy);
        if (policy === ANY) continue;
        let parents = pg.parentsWithExpected(policy);
        if (parents.length === 0) {
          const anyParent = pg.parentWithAnyPolicy();
          if (anyParent) parents = [anyParent];
        }
        if (parents.length > 0) pg.insert(node(policy, parents));
      }
      if (policies.has(ANY) && (inhibitAnyPolicy > 0 || (n - i < n && selfSigned))) {
        const missing = new Map<string, PolicyNode[]>();
        const leaves = pg.leaves();
        for (const p of pg.parents()) {
          for (const e of p.expected) if (!leaves.has(e)) missing.set(e, [...(missing.get(e) ?? []), p]);
        }
        for (const [oid, parents] of missing) pg.insert(node(oid, parents));
      }
      pg.prune();
      if (i !== 0 && cert.policyMappings.length > 0) {
        const mappings = new Map<string, string[]>();
        for (const [issuer, subject] of cert.policyMappings) {
          if (policyMapping > 0) {
            if (issuer === ANY || subject === ANY) return false;
            mappings.set(issuer, [...(mappings.get(issuer) ?? []), subject]);
          } else pg.deleteLeaf(issuer);
        }
        pg.prune();
        for (const [issuer, subjects] of mappings) {
          const matching = pg.leaves().get(issuer);
          if (matching) matching.expected = subjects;
          else {
            const any = pg.leaves().get(ANY);
            if (any) {
              const m = node(issuer, [any]);
              m.expected = subjects;
              pg.insert(m);
            }
          }
        }
      }
    }
    if (i !== 0) {
      if (!selfSigned) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
      }
      if ((cert.requireExplicitPolicy > 0 || cert.requireExplicitPolicyZero) && cert.requireExplicitPolicy < explicitPolicy) explicitPolicy = cert.requireExplicitPolicy;
      if ((cert.inhibitPolicyMapping > 0 || cert.inhibitPolicyMappingZero) && cert.inhibitPolicyMapping < policyMapping) policyMapping = cert.inhibitPolicyMapping;
      if ((cert.inhibitAnyPolicy > 0 || cert.inhibitAnyPolicyZero) && cert.inhibitAnyPolicy < inhibitAnyPolicy) inhibitAnyPolicy = cert.inhibitAnyPolicy;
    }
  }
  if (explicitPolicy > 0) explicitPolicy--;
  if (chain[0]!.requireExplicitPolicyZero) explicitPolicy = 0;
  const valid = pg ? pg.validPolicyNodes() : [];
  const any = pg?.leaves().get(ANY);
  if (any) valid.push(any);
  return !(explicitPolicy === 0 && valid.length === 0);
}

// ---------------------------------------------------------------- name constraints

const lowerByte = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/** dnsHasSuffix(a, b): constraint a covers name b. */
function dnsHasSuffix(a: string, b: string): boolean {
  if (a.length > b.length) return false;
  const offset = a.length - b.length;
  for (let i = a.length - 1; i >= 0; i--) if (lowerByte(a.charCodeAt(i)) !== lowerByte(b.charCodeAt(i - offset))) return false;
  return !(a[0] !== "." && b.length > a.length && b[b.length - a.length - 1] !== ".");
}

function dnsCompare(a: string, b: string): number {
  const key = (c: number): number => (c === 0x2e ? 0 : lowerByte(c));
  let [i, j] = [a.length - 1, b.length - 1];
  for (; i >= 0 && j >= 0; i--, j--) {
    const [x, y] = [key(a.charCodeAt(i)), key(b.charCodeAt(j))];
    if (x !== y) return x < y ? -1 : 1;
  }
  return i < j ? -1 : j < i ? 1 : 0;
}

/** nameConstraintsSet: sorted, pruned of covered entries, searched for the covering one. */
class ConstraintSet<T, V> {
  readonly set: T[];
  constructor(items: T[], cmp: (a: T, b: T) => number, subset: (a: T, b: T) => boolean) {
    const sorted = [...items].sort(cmp);
    // sortAndPrune: an entry covered by the last kept one is dropped.
    this.set = sorted.slice(0, 1);
    for (const x of sorted.slice(1)) if (!subset(this.set[this.set.length - 1]!, x)) this.set.push(x);
  }
  search(s: V, cmp: (c: T, s: V) => number, match: (c: T, s: V) => boolean): boolean {
    if (this.set.length === 0) return false;
    let lo = 0;
    let hi = this.set.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(this.set[mid]!, s) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.set.length && cmp(this.set[lo]!, s) === 0) return true;
    return match(this.set[lo === 0 ? 0 : lo - 1]!, s);
  }
}

type Query<V> = ((s: V) => boolean) | undefined;

function dnsConstraints(list: string[], permitted: boolean): Query<string> {
  if (list.length === 0) return undefined;
  if (list.some((n) => n === "")) return () => true;
  const set = new ConstraintSet<string, string>(list, dnsCompare, dnsHasSuffix);
  const parents = new Map<string, string>();
  if (!permitted) for (const name of set.set.map((n) => n.toLowerCase())) if (trimFirstLabel(name) !== "") parents.set(trimFirstLabel(name), name);
  return (s) => set.search(s, dnsCompare, dnsHasSuffix) || (!permitted && s.startsWith("*") && parents.has(trimFirstLabel(s.toLowerCase())));
}

const trimFirstLabel = (s: string): string => (s.indexOf(".") < 0 ? "" : s.slice(s.indexOf(".")));

function ipConstraints(list: IPNet[]): Query<IP> {
  if (list.length === 0) return undefined;
  const cmp = (a: IPNet, b: IPNet): number => compareBytes(a.ip, b.ip) || compareBytes(a.mask, b.mask);
  const subset = (a: IPNet, b: IPNet): boolean => contains(a, b.ip) && contains(a, b.ip.map((x, i) => x | (~(b.mask[i] ?? 0) & 0xff)));
  const make = (l: IPNet[]): ConstraintSet<IPNet, IP> | undefined => (l.length ? new ConstraintSet<IPNet, IP>(l, cmp, subset) : undefined);
  const v4 = make(list.filter((n) => n.ip.length === 4));
  const v6 = make(list.filter((n) => n.ip.length !== 4));
  return (ip) => (ip.length === 4 ? v4 : v6)?.search(ip, (c, t) => compareBytes(c.ip, t), (c, t) => contains(c, t)) ?? false;
}

interface Mailbox {
  local: string;
  domain: string;
}

function emailConstraints(list: string[], permitted: boolean): Query<Mailbox> {
  if (list.length === 0) return undefined;
  const exact = new Set<string>();
  const domains: string[] = [];
  for (const c of list) {
    if (!c.includes("@")) domains.push(c);
    else {
      const m = parseMailbox(c);
      if (m) exact.add(`${m.local}\0${m.domain.toLowerCase()}`);
    }
  }
  const dns = domains.length ? dnsConstraints(domains, permitted) : undefined;
  return (m) => exact.has(`${m.local}\0${m.domain}`) || (dns ? dns(m.domain) : false);
}

/** parseRFC2821Mailbox. */
function parseMailbox(input: string): Mailbox | undefined {
  let s = input;
  if (s === "") return undefined;
  let local = "";
  if (s[0] === '"') {
    s = s.slice(1);
    for (;;) {
      if (s === "") return undefined;
      const c = s.charCodeAt(0);
      s = s.slice(1);
      if (c === 0x22) break;
      if (c === 0x5c) {
        const d = s.charCodeAt(0);
        if (s === "" || !(d === 11 || d === 12 || (d >= 1 && d <= 9) || (d >= 14 && d <= 127))) return undefined;
        local += s[0];
        s = s.slice(1);
      } else if (c === 11 || c === 12 || c === 32 || c === 33 || c === 127 || (c >= 1 && c <= 8) || (c >= 14 && c <= 31) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126)) local += String.fromCharCode(c);
      else return undefined;
    }
  } else {
    for (;;) {
      if (s === "") break;
      if (s[0] === "\\") {
        s = s.slice(1);
        if (s === "") return undefined;
      } else if (!/[0-9a-zA-Z!#$%&'*+\-/=?^_`{|}~.]/.test(s[0]!)) break;
      local += s[0];
      s = s.slice(1);
    }
    if (local === "" || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return undefined;
  }
  if (!s.startsWith("@")) return undefined;
  const domain = s.slice(1);
  const labels = domain.split(".");
  if (domain !== "" && (labels.some((l) => l === "" || /[^\x21-\x7e]/.test(l)) || labels[labels.length - 1] === "")) return undefined;
  return { local, domain };
}

/** domainNameValid(s, false). */
function domainNameValid(s: string): boolean {
  if (s === "") return true;
  if (s.endsWith(".")) return false;
  return s.split(".").every((l) => l !== "" && !/[^\x21-\x7e]/.test(l));
}

interface Constraints {
  ip: [Query<IP>, Query<IP>];
  dns: [Query<string>, Query<string>];
  uri: [Query<string>, Query<string>];
  email: [Query<Mailbox>, Query<Mailbox>];
  index: number;
}

const allowed = <V>([permitted, excluded]: [Query<V>, Query<V>], s: V): boolean => !(permitted && !permitted(s)) && !(excluded && excluded(s));

/** The URI's host for constraint matching, or undefined when Go refuses it. */
function uriDomain(raw: string): string | undefined {
  const host = parseURL(raw).host;
  let h = host.toLowerCase();
  if (h === "") return undefined;
  if (h.includes(":") && !h.endsWith("]")) {
    const m = /^(.*):([^:]*)$/.exec(host);
    if (!m || m[1]!.includes(":")) return undefined;
    h = m[1]!;
  }
  if (parseIP(h) !== undefined || (h.startsWith("[") && h.endsWith("]"))) return undefined;
  return h;
}

/** checkChainConstraints: each certificate's names against the constraints of the certificates above it. */
export function checkChainConstraints(chain: readonly Cert[]): boolean {
  const all: Constraints[] = [];
  chain.forEach((c, index) => {
    if (!c.hasNameConstraints) return;
    all.push({
      ip: [ipConstraints(c.permitted.ips), ipConstraints(c.excluded.ips)],
      dns: [dnsConstraints(c.permitted.dns, true), dnsConstraints(c.excluded.dns, false)],
      uri: [dnsConstraints(c.permitted.uris, true), dnsConstraints(c.excluded.uris, false)],
      email: [emailConstraints(c.permitted.emails, true), emailConstraints(c.excluded.emails, false)],
      index,
    });
  });
  if (all.length === 0) return true;
  let current = 0;
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i]!;
    if (c.sanValue === undefined) continue;
    while (all[current]!.index <= i) {
      if (current + 1 >= all.length) return true;
      current++;
    }
    const uris = c.uris.map(uriDomain);
    if (uris.some((u) => u === undefined)) return false;
    const mailboxes = c.emailAddresses.map(parseMailbox);
    if (mailboxes.some((m) => m === undefined)) return false;
    for (const cc of all.slice(current)) {
      if (!c.ipAddresses.every((ip) => allowed(cc.ip, ip))) return false;
      if (!c.dnsNames.every((d) => domainNameValid(d) && allowed(cc.dns, d))) return false;
      if (!uris.every((u) => domainNameValid(u!) && allowed(cc.uri, u!))) return false;
      if (!mailboxes.every((m) => domainNameValid(m!.domain) && allowed(cc.email, { local: m!.local, domain: m!.domain.toLowerCase() }))) return false;
    }
  }
  return true;
}

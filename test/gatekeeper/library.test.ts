// gatekeeper-library's own test suites, through gitops-gate.
//
// Material: ../shared/peers/gatekeeper-library (library/general and
// library/pod-security-policy), read in place: every `suite.yaml` names, per test, a
// ConstraintTemplate and a Constraint, and per case an object (a manifest, or an
// AdmissionReview), inventory files, and assertions in gator's terms (`violations: yes |
// no | N`, optionally only those whose message matches a regular expression).
//
// Through gitops-gate: every template.yaml is compiled as a policy source (one bundle for
// all of them, as `gitops-gate check -p <templates>` compiles them); per case, the
// "repository" is the suite's Constraint and the case's inventory files, from which
// gitops-gate builds data.inventory and finds the Constraint (the CLI and the App do the
// same over the real repository); the object is evaluated as `gitops-gate check` would
// evaluate the file. As in gator, the object is not part of the inventory (in a real
// repository it is, as in Gatekeeper's audit). Assertions are checked as gator checks
// them (pkg/gator/verify).
//
// The right reason: a case passes only if its file evaluated without an error finding,
// every violation comes from the template under test and names the suite's Constraint,
// and the count (of violations whose message matches, when the assertion gives a message)
// is what the assertion says. The test also says, for the cases without violations, how
// many were evaluated and found clean and how many the Constraint's match left out.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { evaluateFile } from "../../src/evaluation/evaluate-file.js";
import { parseFile } from "../../src/manifests/index.js";
import { compilePolicies } from "../../src/policy/build/compile.js";
import { findOpa } from "../../src/policy/build/opa.js";
import { GoRegexp } from "../../src/policy/builtins/re2/regexp.js";
import { readBundle, type PolicyBundle } from "../../src/policy/bundle.js";
import { PolicyEngine } from "../../src/policy/engine.js";
import { gatekeeperContext } from "../../src/policy/gatekeeper/context.js";
import { gatekeeperInput } from "../../src/policy/gatekeeper/input.js";
import { ROOT } from "../helpers/corpus.js";

const LIBRARY = [process.env["GITOPS_GATE_GATEKEEPER_LIBRARY"], resolve(ROOT, "..", "shared", "peers", "gatekeeper-library"), "/work/shared/peers/gatekeeper-library"]
  .filter((p): p is string => Boolean(p))
  .find((p) => {
    try {
      return statSync(join(p, "library")).isDirectory();
    } catch {
      return false;
    }
  });

interface Assertion {
  readonly violations?: string | number;
  readonly message?: string;
}
interface Case {
  readonly name: string;
  readonly object: string;
  readonly inventory?: readonly string[];
  readonly assertions: readonly Assertion[];
  readonly skip?: boolean;
}
interface SuiteTest {
  readonly name: string;
  readonly template: string;
  readonly constraint: string;
  readonly cases?: readonly Case[];
  readonly skip?: boolean;
}

function yamlDocs(path: string): unknown[] {
  const parsed = parseFile({ path, bytes: readFileSync(path) }, "yaml");
  if (!parsed.ok) throw new Error(`read ${path}: line ${parsed.error.line}: ${parsed.error.message}`);
  return parsed.documents.map((d) => d.content);
}

function suites(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return suites(p);
    return e.name === "suite.yaml" ? [p] : [];
  });
}

/** gator's Assertion.Run over the violations' messages: how many match, against what is wanted. */
export function assertionHolds(a: Assertion, messages: readonly string[]): { ok: boolean; matching: number } {
  const re = a.message !== undefined ? GoRegexp.compile(a.message) : undefined;
  const matching = messages.filter((m) => !re || re.matchString(m)).length;
  const want = a.violations ?? "yes";
  if (typeof want === "number") return { ok: matching === want, matching };
  if (want === "yes") return { ok: matching > 0, matching };
  if (want === "no") return { ok: matching === 0, matching };
  throw new Error(`assertion.violation must be a nonnegative integer, "yes", or "no", not ${JSON.stringify(want)}`);
}

interface Outcome {
  readonly id: string;
  readonly ok: boolean;
  readonly why: string[];
  readonly violations: number;
  /** For cases without violations: was the object evaluated by the template at all. */
  readonly matched: boolean;
  readonly admissionReview: boolean;
}

let bundle: PolicyBundle;
const work = mkdtempSync(join(tmpdir(), "gitops-gate-gk-library-"));
const packageOf = new Map<string, string>();

beforeAll(async () => {
  if (!LIBRARY) throw new Error("gatekeeper-library is not at ../shared/peers/gatekeeper-library; set GITOPS_GATE_GATEKEEPER_LIBRARY");
  const templates = suites(join(LIBRARY, "library")).map((s) => join(dirname(s), "template.yaml"));
  const out = join(work, "library.tar.gz");
  const meta = await compilePolicies({ sources: templates.map((t) => relative(process.cwd(), t)), opa: await findOpa(), out });
  bundle = readBundle(readFileSync(out), "gatekeeper-library");
  for (const [ns, info] of Object.entries(meta.namespaces)) if (info.constraintKind) packageOf.set(info.constraintKind, ns);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

test("gatekeeper-library's suites: every case's verdict, for the right reason", async () => {
  const outcomes: Outcome[] = [];
  const kinds = new Set(packageOf.keys());
  for (const suitePath of suites(join(LIBRARY as string, "library")).sort()) {
    const dir = dirname(suitePath);
    const suite = yamlDocs(suitePath)[0] as { tests: readonly SuiteTest[]; skip?: boolean };
    for (const t of suite.tests) {
      const template = yamlDocs(join(dir, t.template))[0] as { spec: { crd: { spec: { names: { kind: string } } } } };
      const kind = template.spec.crd.spec.names.kind;
      const ns = packageOf.get(kind);
      const constraint = yamlDocs(join(dir, t.constraint))[0] as { metadata: { name: string } };
      for (const c of t.cases ?? []) {
        const id = `${relative(join(LIBRARY as string, "library"), dir)}/${t.name}/${c.name}`;
        const why: string[] = [];
        if (!ns) {
          outcomes.push({ id, ok: false, why: [`template ${kind} was not compiled`], violations: 0, matched: false, admissionReview: false });
          continue;
        }
        // The repository of this case: its Constraint and its inventory.
        const files = [t.constraint, ...(c.inventory ?? [])];
        const documents = files.flatMap((f) => yamlDocs(join(dir, f)).map((content) => ({ file: f, content })));
        const context = gatekeeperContext(documents, kinds);
        const engine = await PolicyEngine.load(bundle, { namespaces: [ns], data: { inventory: context.inventory }, gatekeeper: { constraints: context.constraints } });
        const objectPath = join(dir, c.object);
        const report = evaluateFile({ path: c.object, format: "yaml", bytes: readFileSync(objectPath) }, [engine]);
        const objectDoc = yamlDocs(objectPath)[0];
        const admissionReview = (objectDoc as { kind?: string }).kind === "AdmissionReview";
        const matched = (gatekeeperInput(objectDoc, { packages: [{ namespace: ns, constraintKind: kind }], constraints: context.constraints, parameters: {}, inventory: context.inventory }).constraints[ns] ?? []).length > 0;
        for (const f of report.findings) {
          if (f.kind === "error") why.push(`error: ${f.message}`);
          else if (f.ruleId !== kind) why.push(`a finding of another rule: ${f.ruleId}`);
          else if ((f.details?.["constraint"] as { name?: string } | undefined)?.name !== constraint.metadata.name) why.push(`a violation not from constraint ${constraint.metadata.name}: ${JSON.stringify(f.details?.["constraint"])}`);
        }
        const messages = report.findings.filter((f) => f.kind !== "error").map((f) => f.message);
        for (const a of c.assertions) {
          const { ok, matching } = assertionHolds(a, messages);
          if (!ok) why.push(`assertion ${JSON.stringify(a)}: ${matching} matching violation(s); got ${JSON.stringify(messages)}`);
        }
        if (process.env["DEBUG_LIBRARY"]) console.log(`${id}: ${JSON.stringify(c.assertions)} → ${JSON.stringify(messages)}${why.length ? ` ✗ ${why.join("; ")}` : ""}`);
        outcomes.push({ id, ok: why.length === 0, why, violations: messages.length, matched, admissionReview });
      }
    }
  }
  const passed = outcomes.filter((o) => o.ok);
  const clean = passed.filter((o) => o.violations === 0);
  console.log(
    [
      `gatekeeper-library: ${passed.length}/${outcomes.length} cases as their suites say`,
      `  with violations: ${passed.filter((o) => o.violations > 0).length}; without: ${clean.length} (${clean.filter((o) => o.matched).length} evaluated and clean, ${clean.filter((o) => !o.matched).length} not selected by the Constraint's match)`,
      `  AdmissionReview cases (judged as their request): ${outcomes.filter((o) => o.admissionReview).length}, ${passed.filter((o) => o.admissionReview).length} as expected`,
    ].join("\n"),
  );
  expect(outcomes.filter((o) => !o.ok).map((o) => ({ case: o.id, why: o.why }))).toEqual([]);
  expect(outcomes).toHaveLength(270);
}, 600_000);

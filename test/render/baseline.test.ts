// The baseline's renderer: the facts it keeps read back unchanged, new and resolved
// findings between two baselines, the text budget, and the annotation cap with its note.
import { decideVerdict } from "../../src/evaluation/verdict.js";
import type { FileReport } from "../../src/evaluation/report.js";
import { MAX_BASELINE_ANNOTATIONS, MAX_CHECK_OUTPUT } from "../../src/limits.js";
import type { Finding, PolicyProvenance } from "../../src/policy/types.js";
import { baselineFacts, diffBaselines, readBaselineFacts, renderBaseline, samePolicies } from "../../src/render/baseline.js";

const POLICIES: PolicyProvenance[] = [{ name: "built-in", version: "0.1.0", digest: "a".repeat(64) } as PolicyProvenance];

function finding(file: string, ruleId: string, resource = "ConfigMap/shop/x"): Finding {
  return { ruleId, kind: "deny", severity: "high", title: ruleId, message: `${ruleId} in ${file}`, file, line: 3, resource };
}

function reports(findings: Finding[]): FileReport[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  return [...byFile].map(([path, fs]) => ({ path, format: "yaml", status: "evaluated", documents: 1, findings: fs, waived: [] }) as FileReport);
}

function baseline(findings: Finding[], head: string, previous?: ReturnType<typeof baselineFacts>) {
  const verdict = decideVerdict(reports(findings), ["deny"], { mode: "all" });
  const facts = baselineFacts({ headSha: head, policies: POLICIES, configSha: "c".repeat(40), findings: verdict.findings.map((j) => j.finding) });
  const diff = diffBaselines(previous, facts, previous ? { url: "https://github.example/runs/1" } : undefined);
  return { facts, diff, rendered: renderBaseline({ verdict, facts, diff, policies: POLICIES, branch: "main", reason: "the daily baseline" }) };
}

test("the facts read back from the run's text as they were written", () => {
  const { facts, rendered } = baseline([finding("a.yaml", "r1"), finding("b.yaml", "r2")], "1".repeat(40));
  expect(readBaselineFacts(rendered.text)).toEqual(facts);
  expect(facts.keys).toHaveLength(2);
  expect(readBaselineFacts("no data here")).toBeUndefined();
});

test("new and resolved findings since the previous baseline; moving a finding's line changes nothing", () => {
  const one = baseline([finding("a.yaml", "r1"), finding("b.yaml", "r2"), finding("c.yaml", "r1")], "1".repeat(40));
  const moved = { ...finding("a.yaml", "r1"), line: 40 };
  const two = baseline([moved, finding("c.yaml", "r1"), finding("d.yaml", "r3")], "2".repeat(40), one.facts);
  expect(two.diff.added).toEqual([{ rule: "r3", file: "d.yaml" }]);
  expect(two.diff.resolved).toEqual([{ rule: "r2", file: "b.yaml" }]);
  expect(two.rendered.title).toBe("Baseline: 3 finding(s), 1 new, 1 resolved");
  expect(two.rendered.summary).toContain("**1** new, **1** resolved");
  expect(two.rendered.summary).toContain("| `r1` | 2 |");
  expect(two.rendered.conclusion).toBe("neutral");
  // A second identical finding is a finding of its own.
  const three = baseline([moved, moved, finding("c.yaml", "r1"), finding("d.yaml", "r3")], "3".repeat(40), two.facts);
  expect(three.diff.added).toEqual([{ rule: "r1", file: "a.yaml" }]);
});

test("a clean branch succeeds and says there is nothing to compare with the first time", () => {
  const { rendered } = baseline([], "1".repeat(40));
  expect(rendered.conclusion).toBe("success");
  expect(rendered.summary).toContain("No previous baseline on this branch");
});

test("many findings: annotations capped with a visible note; the text keeps its data within GitHub's limit", () => {
  const many = Array.from({ length: 3000 }, (_, i) => finding(`deploy/${"x".repeat(60)}/${i}.yaml`, `rule-${i % 7}`, `ConfigMap/shop/c${i}`));
  const { facts, rendered } = baseline(many, "1".repeat(40));
  expect(rendered.annotations).toHaveLength(MAX_BASELINE_ANNOTATIONS);
  expect(rendered.summary).toContain(`> 3000 findings; the first ${MAX_BASELINE_ANNOTATIONS} are annotated`);
  expect(rendered.text.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  expect(rendered.summary.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  expect(facts.capped).toBe(true);
  expect(facts.total).toBe(3000);
  expect(readBaselineFacts(rendered.text)).toEqual(facts);
  const next = baseline(many, "2".repeat(40), facts);
  expect(next.diff).toMatchObject({ added: [], resolved: [], partial: true });
  expect(next.rendered.summary).toContain("the comparison covers the findings kept");
});

test("policies compare by name, commit and digest", () => {
  const a = [{ name: "acme/policies", commit: "1".repeat(40), digest: "d" }];
  expect(samePolicies(a, [{ ...a[0]! }])).toBe(true);
  expect(samePolicies(a, [{ ...a[0]!, commit: "2".repeat(40) }])).toBe(false);
});

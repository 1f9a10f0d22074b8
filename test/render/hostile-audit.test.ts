// Hostile strings through the audit's renderers (issue 15): the unreviewed-push check run
// and issue, the baseline, and the enforcement note. Branch names, pushers, paths, commit
// messages, images and rule messages never become live mentions, references, links, HTML or
// blocks, and outputs stay within GitHub's limits.
import { decideVerdict } from "../../src/evaluation/verdict.js";
import type { FileReport } from "../../src/evaluation/report.js";
import { MAX_CHECK_OUTPUT, MAX_ISSUE_BODY, MAX_TITLE } from "../../src/limits.js";
import { enforcementNote, forgetEnforcement } from "../../src/pipeline/enforcement.js";
import type { Finding } from "../../src/policy/types.js";
import { baselineFacts, diffBaselines, renderBaseline } from "../../src/render/baseline.js";
import { readUnreviewedEntries, renderUnreviewedCheck, renderUnreviewedIssue, unreviewedEntry, unreviewedMarker, type UnreviewedPush } from "../../src/render/unreviewed.js";
import { FakeIssueStore, FakeRulesReader } from "../fakes/audit.js";
import { FakeLog } from "../fakes/log.js";
import { expectInert as inert } from "../helpers/inert.js";
import { HOSTILE } from "../helpers/markdown.js";

const expectInert = (markdown: string): void => inert(markdown, { hiddenData: true });



function push(s: string, i: number): UnreviewedPush {
  return {
    sha: i.toString(16).padStart(40, "a"), branch: s, before: "b".repeat(40), forced: i % 2 === 0, pusher: s, message: s,
    files: [`deploy/${s.slice(0, 300)}.yaml`],
    environments: [{
      environment: s.slice(0, 200), files: [s], added: [{ kind: s.slice(0, 50), namespace: "ns", name: s.slice(0, 50) }], removed: [], changed: [],
      images: [{ workload: s.slice(0, 100), container: s.slice(0, 100), before: `r.example/${s.slice(0, 100)}:1`, after: `r.example/x:${s.slice(0, 100)}` }],
      replicas: [], charts: [], irreversible: [s],
    }],
    renderErrors: [s],
  };
}

test("the unreviewed-push check run and issue stay inert and within limits", () => {
  const entries = HOSTILE.map((s, i) => {
    const p = push(s, i);
    const run = renderUnreviewedCheck(p, { conclusion: "failure", notes: [] });
    expectInert(run.summary);
    expect(run.summary.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
    expect(run.text.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
    expect(run.title.length).toBeLessThanOrEqual(MAX_TITLE);
    return unreviewedEntry(p, `https://github.example/runs/${i}) [x](https://evil.example`, s.slice(0, 40));
  });
  for (const s of HOSTILE) {
    const body = renderUnreviewedIssue(s, entries);
    expectInert(body);
    expect(body.length).toBeLessThanOrEqual(MAX_ISSUE_BODY);
    // The marker is the first line, whole, whatever the branch is called; the data reads back.
    const marker = body.split("\n")[0] ?? "";
    expect(marker).toBe(unreviewedMarker(s));
    expect(marker).toMatch(/^<!-- gitops-gate:unreviewed:[A-Za-z0-9%._~!*'()-]+ -->$/);
    expect(marker.length).toBeLessThan(900);
    expect(readUnreviewedEntries(body).entries.length + readUnreviewedEntries(body).earlier).toBe(entries.length);
  }
});

test("the baseline stays inert and within limits", () => {
  const findings: Finding[] = HOSTILE.map((s, i) => ({ ruleId: `rule-${s.slice(0, 40)}`, kind: "deny", severity: "high", title: s, message: s, file: `deploy/${s.slice(0, 300)}-${i}.yaml`, line: 3 }));
  const reports: FileReport[] = findings.map((f) => ({ path: f.file, format: "yaml", status: "evaluated", documents: 1, findings: [f], waived: [] }));
  const verdict = decideVerdict(reports, ["deny"], { mode: "all" });
  const policies = [{ name: HOSTILE[0] as string, repo: `acme/${HOSTILE[1]}`, ref: HOSTILE[3] as string, commit: "b".repeat(40), digest: "c".repeat(64) }];
  const previous = baselineFacts({ headSha: "1".repeat(40), policies, configSha: null, findings: findings.slice(0, 3).map((f) => ({ ...f, ruleId: `${f.ruleId}-old` })) });
  const facts = baselineFacts({ headSha: "2".repeat(40), policies, configSha: null, findings: verdict.findings.map((j) => j.finding) });
  for (const s of HOSTILE) {
    const out = renderBaseline({ verdict, facts, diff: diffBaselines(previous, facts, { url: `https://x.example/${s}` }), policies, branch: s, reason: s });
    expectInert(out.summary);
    expect(out.summary.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
    expect(out.text.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  }
});

test("the enforcement note and issue stay inert", async () => {
  for (const s of HOSTILE) {
    forgetEnforcement();
    const issues = new FakeIssueStore();
    const note = await enforcementNote({ repo: { owner: "acme", repo: "deploy" }, branches: [s], requireUpToDate: false }, { rules: new FakeRulesReader(), issues, appId: 1, log: new FakeLog() });
    expectInert(note ?? "");
    expect(note).not.toContain("\n");
    expectInert(issues.issues[0]?.body ?? "");
    expect(issues.issues[0]?.title.length).toBeLessThanOrEqual(MAX_TITLE);
  }
});

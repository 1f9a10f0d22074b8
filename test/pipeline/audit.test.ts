// The audit trail's lines: one per decision, with the same keys every time.
import { auditRollback, auditVerdict, policyDigest } from "../../src/pipeline/audit.js";
import { FakeLog } from "../fakes/log.js";

const target = { repo: { owner: "acme", repo: "deploy" }, headSha: "h".repeat(40), author: "dev", pull: 7 };

test("a verdict and each waiver it applied: one line each", () => {
  const log = new FakeLog();
  auditVerdict(log, target, {
    conclusion: "success", blocking: [],
    waivers: [
      { state: "active", waived: 2, entry: { rule: "k8s-privileged", owner: "@acme/sre", expires: "2027-01-31" } },
      { state: "active", waived: 0, entry: { rule: "unused", owner: "x", expires: "2027-01-31" } },
      { state: "pending", waived: 0, entry: { rule: "k8s-host-pid", owner: "x", expires: "2027-01-31" } },
    ],
  }, ["a".repeat(64)]);
  expect(log.lines.map((l) => l.msg)).toEqual(["audit: verdict", "audit: waiver-applied"]);
  expect(log.lines[0]?.obj).toEqual({ audit: "verdict", repository: "acme/deploy", commit: target.headSha, actor: "dev", policyDigest: "a".repeat(64), pull: 7, conclusion: "success", blocking: 0 });
  expect(log.lines[1]?.obj).toMatchObject({ audit: "waiver-applied", rule: "k8s-privileged", owner: "@acme/sre", waived: 2, commit: target.headSha });
});

test("rollbacks: opened or refused; an ignored comment is no decision", () => {
  const log = new FakeLog();
  for (const outcome of ["opened", "exists", "refused", "conflict", "ignored"]) auditRollback(log, { repo: "acme/deploy", pull: 7, actor: "lead", outcome, commit: "m".repeat(40) });
  // A command on a pull request that was never merged: no commit to name.
  auditRollback(log, { repo: "acme/deploy", pull: 8, actor: "lead", outcome: "malformed", commit: null });
  expect(log.lines.map((l) => (l.obj as { audit: string; outcome: string }).audit + ":" + (l.obj as { outcome: string }).outcome)).toEqual([
    "rollback-opened:opened", "rollback-opened:exists", "rollback-refused:refused", "rollback-refused:conflict", "rollback-refused:malformed",
  ]);
  expect(log.lines.map((l) => (l.obj as { commit: string | null }).commit)).toEqual([...Array(4).fill("m".repeat(40)), null]);
});

test("one digest for several bundles, independent of their order", () => {
  expect(policyDigest([])).toBeNull();
  expect(policyDigest(["x"])).toBe("x");
  expect(policyDigest(["a", "b"])).toBe(policyDigest(["b", "a"]));
  expect(policyDigest(["a", "b"])).toMatch(/^[0-9a-f]{64}$/);
});

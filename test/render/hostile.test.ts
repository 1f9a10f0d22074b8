// Hostile strings through every renderer that writes Markdown to GitHub: the check run
// (summary, text, annotations), the PR comment, the release record and its comment, and
// the rollback replies and pull request. User content never becomes a live mention or
// reference, a link, HTML, a block (heading, list) or an extra table cell, and every
// output stays within GitHub's limits.
import { decideVerdict } from "../../src/evaluation/verdict.js";
import type { FileReport } from "../../src/evaluation/report.js";
import { MAX_ANNOTATION_MESSAGE, MAX_CHECK_OUTPUT, MAX_COMMENT_BODY, MAX_TITLE } from "../../src/limits.js";
import { handleRollbackCommand, type RollbackDeps } from "../../src/pipeline/rollback.js";
import type { ReleaseRecord } from "../../src/release/record.js";
import { renderCheckRun, verdictFacts } from "../../src/render/check-run.js";
import { commentState, renderComment } from "../../src/render/comment.js";
import { code, text } from "../../src/render/escape.js";
import { renderReleaseComment, renderReleaseJson, renderReleaseMarkdown } from "../../src/render/release.js";
import type { Finding } from "../../src/policy/types.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeReleaseStore } from "../fakes/release-store.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeRevertWriter } from "../fakes/revert-writer.js";
import { expectInert as inert } from "../helpers/inert.js";
import { HOSTILE, markdownParts } from "../helpers/markdown.js";


/** What must never be live in Markdown we write from these strings. */

function finding(s: string, i: number): Finding {
  return { ruleId: `rule-${s.slice(0, 40)}`, kind: "deny", severity: "high", title: s, message: s, file: `deploy/${s.slice(0, 300)}-${i}.yaml`, line: 3, remediation: s, docs: `https://docs.example/${i}) [x](https://evil.example` };
}

const expectInert = (markdown: string, allowed: readonly string[] = []): void => inert(markdown, { allowed });
const reports: FileReport[] = HOSTILE.map((s, i) => ({ path: `deploy/${i}.yaml`, format: "yaml", status: "evaluated", documents: 1, findings: [finding(s, i)], waived: [] }));
const verdict = decideVerdict(reports, ["deny"]);

test("the check run: summary table, text and annotations stay inert and within limits", () => {
  const run = renderCheckRun({
    verdict, toolVersion: "1.0.0", headSha: "a".repeat(40),
    policies: [{ name: HOSTILE[0] as string, repo: `acme/${HOSTILE[1]}`, ref: HOSTILE[3] as string, commit: "b".repeat(40), path: HOSTILE[2] as string, digest: "c".repeat(64) }],
    renders: [{ label: HOSTILE[4] as string, environment: HOSTILE[5] as string, objects: 1, ms: 1, cached: false, failed: false }],
    configSources: [`acme/deploy@${HOSTILE[0]}:.github/gitops-gate.yml (blob abc)`],
    notes: [`${code(HOSTILE[2] as string)} is a submodule: not evaluated.`],
  });
  for (const md of [run.summary, run.text ?? ""]) expectInert(md);
  expect(run.summary.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  expect((run.text ?? "").length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  // Every row of the findings table has the header's cells, whatever the path and title hold.
  const cells = (row: string) => row.split(/(?<!\\)\|/).length;
  const header = run.summary.split("\n").find((l) => l.startsWith("| File")) ?? "";
  expect(cells(header)).toBe(7);
  const rows = run.summary.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| File"));
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(cells(row)).toBe(cells(header));
  // The path is shown whole (as far as the cap) in code, where a reader can copy it.
  expect(markdownParts(run.summary).code.join("\n")).toContain("deploy/a`b ``c``` @mallory/red-team #4242-0.yaml");
  for (const a of run.annotations) {
    expect(a.title.length).toBeLessThanOrEqual(MAX_TITLE);
    expect(a.message.length).toBeLessThanOrEqual(MAX_ANNOTATION_MESSAGE);
    expect(a.title).not.toContain("\n");
  }
  // The data read back later survives any content.
  expect(verdictFacts(run.summary)).toMatchObject({ conclusion: "failure", blocking: HOSTILE.length });
});

test("the PR comment stays inert, within the limit, and its state reads back", () => {
  const body = renderComment({ verdict, headSha: "a".repeat(40), checkUrl: "https://github.example/runs/1) @mallory" });
  expectInert(body);
  expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_BODY);
  expect(commentState(body)).toEqual({ blocking: HOSTILE.length, headSha: "a".repeat(40) });
});

function hostileRecord(): ReleaseRecord {
  const s = (i: number) => HOSTILE[i % HOSTILE.length] as string;
  return {
    schema: "gitops-gate/release-record@1", repository: "acme/deploy",
    pullRequest: { number: 7, title: s(0), url: "https://github.example/acme/deploy/pull/7", labels: [s(1), s(3)], linkedIssues: [3] },
    author: s(7), mergedBy: "lead", approvedBy: ["alice", s(0)], mergedAt: "2026-12-01T10:00:00Z",
    mergeSha: "a".repeat(40), baseSha: "b".repeat(40), beforeSha: "b".repeat(40), headSha: "c".repeat(40), mergeMethod: "merge", branch: s(4),
    policy: { verdict: "success", checkRunUrl: `javascript:alert(1)//${s(5)}`, summary: s(2), acceptedWarnings: 0, sources: [] },
    manifestsChanged: true, configError: s(2), renderErrors: [s(3)],
    environments: HOSTILE.map((h, i) => ({
      environment: h, files: [h],
      added: [{ kind: h, namespace: h, name: h }], removed: [], changed: [],
      images: [{ workload: h, container: h, before: `${h}:1`, after: `${h}@sha256:${"d".repeat(64)}` }],
      replicas: [{ resource: h, before: 1, after: 2 }], charts: [{ resource: h, before: h, after: h }], irreversible: [h],
      rollback: { restore: [h], revertCommand: `git revert -m 1 ${"a".repeat(40)}`, oneClick: "Comment `/gitops-gate rollback`.", warnings: [h], owners: [i === 0 ? "@acme/sre" : h], ownersFrom: "config" as const },
    })),
  };
}

test("the release record and its comment stay inert and within limits; the JSON keeps the record", () => {
  const r = hostileRecord();
  // Our own: the merger, approvers, the configured owner, the pull request and its linked issue.
  const allowed = ["@lead", "@alice", "@acme/sre", "#7", "#3"];
  for (const md of [renderReleaseMarkdown(r), renderReleaseComment(r, "https://github.example/runs/2")]) {
    expectInert(md, allowed);
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_BODY);
  }
  expect(renderReleaseMarkdown(r)).not.toContain("javascript:");
  expect(renderReleaseJson(r).length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
});

test("rollback replies and the revert pull request stay inert", async () => {
  const REPO = { owner: "acme", repo: "deploy" };
  const reader = new FakeRepoReader(REPO);
  const before = reader.repo.commit({ "deploy/a.yaml": "v1\n" }, { branch: "main" });
  const files: Record<string, string> = Object.fromEntries(HOSTILE.map((h, i) => [`deploy/${h.slice(0, 200)}-${i}.yaml`, "new\n"]));
  const mergeSha = reader.repo.commit({ "deploy/a.yaml": "v2\n", ...files }, { parents: [before] });
  reader.repo.branches.set("main", mergeSha);
  const record = { ...hostileRecord(), mergeSha, beforeSha: before };
  const releases = new FakeReleaseStore();
  releases.records.set(mergeSha, { id: 1, title: "", summary: "", text: JSON.stringify(record) });
  const writer = new FakeRevertWriter();
  const replies = new FakeCommentStore();
  const deps: RollbackDeps = {
    reader, releases, writer, replies, log: new FakeLog(),
    pullState: async () => ({ merged: true, mergeSha, title: HOSTILE.join(" "), url: "https://github.example/pull/7" }),
  };
  const ask = (commenter: string, body = "/gitops-gate rollback") => handleRollbackCommand({ repo: REPO, pull: 7, commenter, commenterType: "User", body, defaultBranch: "main" }, deps);
  for (const h of HOSTILE) await ask("dana", `/gitops-gate ${h}`);
  await ask("visitor");
  reader.roles.set("dana", "write");
  expect(await ask("dana")).toBe("opened");
  // A later commit to the hostile paths: the conflict reply lists them.
  reader.repo.branches.set("main", reader.repo.commit({ "deploy/a.yaml": "v3\n", ...Object.fromEntries(Object.keys(files).map((p) => [p, "later\n"])) }, { parents: [mergeSha] }));
  writer.pulls.length = 0;
  expect(await ask("dana")).toBe("conflict");
  const allowed = ["@dana", "@visitor", "@acme/sre"];
  for (const c of replies.comments) {
    expectInert(c.body, allowed);
    expect(c.body.length).toBeLessThanOrEqual(MAX_COMMENT_BODY);
  }
  expect(replies.comments.map((c) => c.body).join("\n")).toContain("unknown command");
  const pullBody = writer.pulls[0]?.body ?? replies.comments.find((c) => c.body.includes("opened"))?.body ?? "";
  expectInert(pullBody, allowed);
  expect(writer.commits[0]?.message.split("\n")[0]?.length).toBeLessThanOrEqual(256);
});

test("text and code escape what they must and keep what they can", () => {
  expect(code("a`b")).toBe("``a`b``");
  expect(code("`x`")).toBe("`` `x` ``");
  expect(code("a|b", { cell: true })).toBe("`a\\|b`");
  expect(text("*@org/team* #1 [x](y) <b> a|b")).toBe("\\*@\u2060org/team\\* #\u20601 \\[x\\](y) \\<b\\> a\\|b");
  expect(code("x".repeat(400)).length).toBeLessThanOrEqual(302);
});

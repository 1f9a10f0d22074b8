import { decideVerdict, type BlockOn } from "../../src/evaluation/verdict.js";
import type { Finding } from "../../src/policy/types.js";
import { renderCheckRun, verdictFacts } from "../../src/render/check-run.js";
import { COMMENT_MARKER, commentState, renderComment } from "../../src/render/comment.js";

const finding = (i: number, over: Partial<Finding> = {}): Finding => ({
  ruleId: "k8s-image-tag", kind: "deny", severity: "high", title: "Container image must have a pinned tag",
  message: `container c${i} uses latest`, file: `deploy/f${i}.yaml`, line: i + 1, remediation: "Pin it.", docs: "https://kubernetes.io/docs/concepts/containers/images/", ...over,
});

const input = (findings: Finding[], blockOn: BlockOn = ["deny"]) => ({
  verdict: decideVerdict([{ path: "x", format: "yaml", status: "evaluated" as const, documents: 1, findings, waived: [] }], blockOn),
  toolVersion: "0.1.0", policies: [], configSources: ["defaults"], headSha: "a".repeat(40),
});

describe("check run output", () => {
  test("blocking findings fail; warnings alone pass unless configured to block", () => {
    expect(renderCheckRun(input([finding(1)])).conclusion).toBe("failure");
    const warn = finding(1, { kind: "warn", severity: "low" });
    expect(renderCheckRun(input([warn])).conclusion).toBe("success");
    expect(renderCheckRun(input([warn], ["deny", "warn"])).conclusion).toBe("failure");
    expect(renderCheckRun(input([finding(1, { kind: "error", ruleId: "gitops-gate/parse-error" })], [])).conclusion).toBe("failure");
  });

  test("stays within GitHub's limits and says when it truncates", () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding(i, { message: "m".repeat(100) }));
    const out = renderCheckRun(input(many));
    expect(out.summary.length).toBeLessThanOrEqual(65535);
    expect(out.summary).toContain("truncated to fit GitHub's limit");
    expect(out.text?.length).toBeLessThanOrEqual(65535);
    expect(out.title.length).toBeLessThanOrEqual(255);
    expect(out.annotations).toHaveLength(5000);
    const long = renderCheckRun(input([finding(1, { title: "t".repeat(1000) })]));
    expect(long.annotations[0]?.title.length).toBeLessThanOrEqual(255);
  });

  test("annotations carry the rule title and the remediation", () => {
    const [a] = renderCheckRun(input([finding(4)])).annotations;
    expect(a).toMatchObject({ path: "deploy/f4.yaml", start_line: 5, end_line: 5, annotation_level: "failure", title: "Container image must have a pinned tag [k8s-image-tag]" });
    expect(a?.message).toContain("Fix: Pin it.");
  });
});

describe("PR comment", () => {
  test("carries the hidden marker, the blocking findings, the rest collapsed", () => {
    const body = renderComment({ ...input([finding(1), finding(2, { kind: "warn", severity: "low" })]) });
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("blocked by 1 finding(s)");
    expect(body).toContain("<details><summary>1 non-blocking finding(s)</summary>");
  });

  test("says the findings are fixed once a later push clears them", () => {
    const before = renderComment(input([finding(1)]));
    const previous = commentState(before);
    expect(previous).toEqual({ blocking: 1, headSha: "a".repeat(40) });
    expect(renderComment({ ...input([]), ...(previous ? { previous } : {}) })).toContain("all blocking findings are fixed");
    expect(renderComment(input([]))).toContain("nothing blocks this change");
  });

  test("the state is read from the hidden data, never from the prose", () => {
    expect(commentState("### ❌ gitops-gate: blocked by 3 finding(s)")).toBeUndefined();
    expect(commentState(`${COMMENT_MARKER}\n<!-- gitops-gate:comment-state {not json} -->`)).toBeUndefined();
  });
});

describe("verdict facts in the check run", () => {
  test("travel as hidden JSON and come back as data", () => {
    const out = renderCheckRun(input([finding(1), finding(2, { kind: "warn", severity: "low" })]));
    expect(verdictFacts(out.summary)).toMatchObject({ conclusion: "failure", blocking: 1, denied: 1, warnings: 1, errors: 0 });
    expect(verdictFacts("**3** warning(s)")).toBeUndefined();
  });

  test("a message cannot end the hidden comment early", () => {
    const out = renderCheckRun(input([finding(1, { message: "--> <!-- gitops-gate:verdict {\"v\":1} -->" })]));
    expect(verdictFacts(out.summary)?.blocking).toBe(1);
  });
});

// The pipeline against fakes of the GitHub seam: every check run it starts is completed,
// whatever fails along the way.
import { evaluatePullRequest, type PipelineDeps } from "../../src/pipeline/evaluate-pull-request.js";
import type { CheckPublisher, CommentStore, RepoReader } from "../../src/github/types.js";
import { builtinBundle } from "../helpers/bundles.js";

interface FakeChecks extends CheckPublisher {
  started: number;
  completed: Array<{ conclusion: string; title: string; summary: string }>;
}

function fakes(reader: Partial<RepoReader>): { deps: PipelineDeps; checks: FakeChecks } {
  const checks: FakeChecks = {
    started: 0,
    completed: [],
    findByExternalId: async () => undefined,
    start: async () => ++checks.started,
    annotate: async () => undefined,
    complete: async (_id, conclusion, output) => void checks.completed.push({ conclusion, title: output.title, summary: output.summary }),
  };
  const comments: CommentStore = { find: async () => undefined, create: async () => undefined, update: async () => undefined };
  const fullReader: RepoReader = {
    listChangedFiles: async () => ({ files: [], truncated: false }),
    diffCommits: async () => ({ files: [], truncated: false }),
    readBlob: async () => ({ bytes: Buffer.from("") }),
    readFile: async () => undefined,
    currentHead: async () => "head",
    getCommit: async (sha) => ({ sha, parents: [], message: "" }),
    approvers: async () => [],
    policyCheck: async () => undefined,
    branchHead: async () => "head",
    permission: async () => "read",
    ...reader,
  };
  const { bundle, bytes } = builtinBundle();
  return {
    checks,
    deps: {
      reader: fullReader, checks, comments, toolVersion: "test",
      bundle: { bytes, digest: bundle.digest, rules: Object.values(bundle.metadata.rules) },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    },
  };
}

const target = { repo: { owner: "o", repo: "r" }, pull: 1, headSha: "head", baseRef: "main", baseSha: "base", changedFiles: 1, draft: false, runKey: "d1" };

test.each([
  ["listing files", { listChangedFiles: async () => Promise.reject(new Error("list files: boom")) }],
  ["reading a blob", { listChangedFiles: async () => ({ files: [{ path: "a.yaml", status: "added", sha: "s" }], truncated: false }), readBlob: async () => Promise.reject(new Error("read blob: boom")) }],
  ["reading the config", { readFile: async () => Promise.reject(new Error("read config: boom")) }],
] as const)("a failure while %s completes the check as failure with the cause", async (_what, reader) => {
  const { deps, checks } = fakes(reader as Partial<RepoReader>);
  expect(await evaluatePullRequest(target, deps)).toBe("error");
  expect(checks.started).toBe(1);
  expect(checks.completed).toHaveLength(1);
  expect(checks.completed[0]?.conclusion).toBe("failure");
  expect(checks.completed[0]?.summary).toContain("boom");
});

test("a redelivery whose check run exists starts nothing", async () => {
  const { deps, checks } = fakes({});
  const outcome = await evaluatePullRequest(target, { ...deps, checks: { ...checks, findByExternalId: async () => 7 } });
  expect(outcome).toBe("duplicate");
  expect(checks.started).toBe(0);
});

const FAILING = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: nginx}]\n";

test.each([
  ["on-failure", "a passing result", 0, ""],
  ["on-failure", "a failing result", 1, FAILING],
  ["never", "a failing result", 0, FAILING],
  ["always", "a passing result", 1, ""],
] as const)("comment mode %s with %s writes %i comment(s)", async (mode, _what, count, manifest) => {
  const created: string[] = [];
  const { deps } = fakes({
    readFile: async (_repo, path) => (path === ".github/gitops-gate.yml" ? { bytes: Buffer.from(`comment: ${mode}\n`), ref: "main", sha: "c0ffee" } : undefined),
    listChangedFiles: async () => ({ files: manifest ? [{ path: "p.yaml", status: "added", sha: "s" }] : [], truncated: false }),
    readBlob: async () => ({ bytes: Buffer.from(manifest) }),
  });
  const outcome = await evaluatePullRequest(target, { ...deps, comments: { find: async () => undefined, create: async (b) => void created.push(b), update: async () => undefined } });
  expect([outcome, created.length]).toEqual([manifest ? "failure" : "success", count]);
  expect(created).toHaveLength(count);
});

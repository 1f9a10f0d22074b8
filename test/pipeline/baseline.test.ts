// The baseline pipeline against fakes: the first baseline, a push that changes no policy,
// the daily schedule (fresh, due, a policy source moved, `baseline: never`), a redelivery,
// and a failure that still completes the run.
import { publishBaseline, type BaselineDeps, type BaselineRequest } from "../../src/pipeline/baseline.js";
import { readBaselineFacts } from "../../src/render/baseline.js";
import { FakeNamedChecks } from "../fakes/audit.js";
import { FakeCheckPublisher } from "../fakes/check-publisher.js";
import { FakeLog } from "../fakes/log.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeSourceReader } from "../fakes/source-reader.js";
import { policyDeps } from "../helpers/policies.js";

const REPO = { owner: "acme", repo: "deploy" };
const shared = policyDeps();
afterAll(() => shared.close());
const CONFIG = ".github/gitops-gate.yml";
const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: nginx}]\n";
const DAY = 24 * 60 * 60 * 1000;

function world(config = "verdict: all\n") {
  const reader = new FakeRepoReader(REPO);
  const checks = new FakeCheckPublisher();
  const history = new FakeNamedChecks();
  const log = new FakeLog();
  let now = Date.parse("2026-12-01T12:00:00Z");
  const head = reader.repo.commit({ [CONFIG]: config, "deploy/pod.yaml": POD, "README.md": "hi" }, { branch: "main" });
  // Completed runs of the publisher are what the history reads back.
  const sync = () => {
    history.runs.length = 0;
    for (const r of checks.runs.filter((x) => x.status === "completed")) {
      history.runs.push({ id: r.id, headSha: r.headSha, completed: true, completedAt: new Date(now).toISOString(), summary: r.output?.summary ?? "", text: r.output?.text ?? "", url: `https://github.example/runs/${r.id}`, externalId: r.externalId, conclusion: r.conclusion ?? "neutral", title: r.output?.title ?? "" });
    }
  };
  const deps: BaselineDeps = { ...shared, reader, sources: new FakeSourceReader(reader), checks, history, log, now: () => now };
  const run = async (req: Partial<BaselineRequest>) => {
    const out = await publishBaseline({ repo: REPO, branch: "main", reason: "change", slot: "2026-12-01T12", ...req }, deps);
    sync();
    return out;
  };
  return { reader, checks, history, log, deps, head, run, tick: (ms: number) => (now += ms) };
}

test("the first baseline: every finding of the tree, annotated, with its facts for the next one", async () => {
  const w = world();
  expect(await w.run({ headSha: w.head })).toBe("published");
  const [run] = w.checks.runs;
  expect(run).toMatchObject({ status: "completed", headSha: w.head, completions: 1 });
  expect(run?.annotations.length).toBeGreaterThan(0);
  expect(run?.annotations.every((a) => a.path === "deploy/pod.yaml")).toBe(true);
  const facts = readBaselineFacts(run?.output?.text ?? "");
  expect(facts?.total).toBe(run?.annotations.length);
  expect(facts?.policies.map((p) => p.name)).toEqual(["built-in packs"]);
  expect(w.log.lines.some((l) => (l.obj as { audit?: string }).audit === "baseline")).toBe(true);
  // The same head and policies again (a redelivery): nothing new.
  expect(await w.run({ headSha: w.head })).toBe("duplicate");
  expect(w.checks.runs).toHaveLength(1);
});

test("a push that changes neither the config nor a policy publishes nothing", async () => {
  const w = world();
  expect(await w.run({ headSha: w.head, changedPaths: ["README.md", "deploy/pod.yaml"] })).toBe("skipped");
  expect(await w.run({ headSha: w.head, changedPaths: [CONFIG] })).toBe("published");
});

test("the schedule: fresh within a day, due after one, a new commit compared with the last baseline", async () => {
  const w = world();
  await w.run({ headSha: w.head });
  expect(await w.run({ reason: "scheduled" })).toBe("fresh");
  // A new head, less than a day later: still fresh (the previous baseline is found on the branch).
  const next = w.reader.repo.commit({ [CONFIG]: "verdict: all\n", "deploy/pod.yaml": POD, "README.md": "hello" }, { parents: [w.head], branch: "main" });
  w.history.history = [next, w.head];
  w.tick(DAY / 2);
  expect(await w.run({ reason: "scheduled" })).toBe("fresh");
  w.tick(DAY);
  expect(await w.run({ reason: "scheduled" })).toBe("published");
  const latest = w.checks.runs.at(-1);
  expect(latest?.headSha).toBe(next);
  expect(latest?.output?.summary).toContain("Why now: the daily baseline");
  expect(latest?.output?.summary).toContain(`Compared with the baseline at \`${w.head.slice(0, 12)}\``);
  expect(latest?.output?.summary).toContain("**0** new, **0** resolved");
});

test("`baseline: never` turns the schedule off, not the change-driven baseline", async () => {
  const w = world("baseline: never\n");
  expect(await w.run({ reason: "scheduled" })).toBe("skipped");
  expect(await w.run({ headSha: w.head })).toBe("published");
});

test("a failure completes the run with the cause", async () => {
  const w = world();
  w.reader.failWith.tree = Object.assign(new Error("Server Error"), { status: 502 });
  expect(await w.run({ headSha: w.head })).toBe("failed");
  expect(w.checks.runs).toEqual([expect.objectContaining({ status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: "gitops-gate could not finish the baseline" }) })]);
  expect(w.checks.runs[0]?.output?.summary).toContain("Cause:");
});

test("an empty repository has no baseline", async () => {
  const w = world();
  expect(await publishBaseline({ repo: REPO, branch: "trunk", reason: "scheduled", slot: "x" }, { ...w.deps, reader: Object.assign(Object.create(w.reader) as FakeRepoReader, { branchHead: async () => Promise.reject(Object.assign(new Error("Branch not found"), { status: 404 })) }) })).toBe("skipped");
});

test("a failure worth waiting out, before the last attempt: the run stays in progress and the retry finishes it", async () => {
  const w = world();
  w.reader.failWith.tree = Object.assign(new Error("Server Error"), { status: 502 });
  const attempt = (final: boolean) => publishBaseline({ repo: REPO, branch: "main", reason: "change", slot: "2026-12-01T12", headSha: w.head }, { ...w.deps, final });
  await expect(attempt(false)).rejects.toThrow("Server Error");
  expect(w.checks.runs).toEqual([expect.objectContaining({ status: "in_progress" })]);
  delete w.reader.failWith.tree;
  expect(await attempt(true)).toBe("published");
  // The same run, completed: no second run for the same baseline.
  expect(w.checks.runs).toEqual([expect.objectContaining({ status: "completed" })]);
});

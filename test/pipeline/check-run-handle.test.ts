// The lazily created check run: one request for a quick verdict, in progress for a slow
// one, every annotation delivered and the run always completed.
import type { Annotation } from "../../src/github/types.js";
import { CheckRunHandle } from "../../src/pipeline/check-run-handle.js";
import { FakeCheckPublisher } from "../fakes/check-publisher.js";

const annotations = (n: number): Annotation[] =>
  Array.from({ length: n }, (_, i) => ({ path: `f${i}.yaml`, start_line: 1, end_line: 1, annotation_level: "failure" as const, title: `t${i}`, message: `m${i}` }));
const OUTPUT = { title: "t", summary: "s" };

function calls(checks: FakeCheckPublisher): string[] {
  const seen: string[] = [];
  for (const method of ["start", "annotate", "complete", "publish"] as const) {
    const original = checks[method].bind(checks) as (...a: unknown[]) => Promise<unknown>;
    (checks as unknown as Record<string, unknown>)[method] = async (...a: unknown[]) => {
      seen.push(method === "annotate" ? `annotate ${(a[2] as unknown[]).length}` : method === "complete" ? `complete ${((a[3] as unknown[] | undefined) ?? []).length}` : method);
      return original(...a);
    };
  }
  return seen;
}

test("a verdict before the start delay creates the run completed, in one request, with its annotations", async () => {
  const checks = new FakeCheckPublisher();
  const seen = calls(checks);
  const saved: number[] = [];
  const run = new CheckRunHandle(checks, { headSha: "h", externalId: "e", startDelayMs: 60_000, save: async (id) => void saved.push(id) });
  await run.finish("failure", OUTPUT, annotations(3));
  expect(seen).toEqual(["publish"]);
  expect(checks.runs).toEqual([expect.objectContaining({ status: "completed", conclusion: "failure", externalId: "e" })]);
  expect(checks.runs[0]?.annotations).toHaveLength(3);
  expect(saved).toEqual([checks.runs[0]?.id]);
});

test("a slow evaluation shows in progress after the delay; the last batch of annotations completes it", async () => {
  const checks = new FakeCheckPublisher();
  const seen = calls(checks);
  const run = new CheckRunHandle(checks, { headSha: "h", externalId: "e", startDelayMs: 10, save: async () => undefined });
  await new Promise((r) => setTimeout(r, 50));
  expect(checks.runs[0]).toMatchObject({ status: "in_progress" });
  await run.finish("failure", OUTPUT, annotations(120));
  expect(seen).toEqual(["start", "annotate 100", "complete 20"]);
  expect(checks.runs[0]).toMatchObject({ status: "completed", completions: 1 });
  expect(checks.runs[0]?.annotations.map((a) => a.title)).toEqual(annotations(120).map((a) => a.title));
});

test("a run an earlier attempt started is completed, never created again", async () => {
  const checks = new FakeCheckPublisher();
  const id = await checks.start("h", "e");
  const seen = calls(checks);
  const run = new CheckRunHandle(checks, { headSha: "h", externalId: "e", existing: id, startDelayMs: 0, save: async () => undefined });
  await run.finish("success", OUTPUT, annotations(50));
  expect(seen).toEqual(["complete 50"]);
  expect(checks.runs).toHaveLength(1);
});

test("a start that failed does not strand the verdict: the run is created completed", async () => {
  const checks = new FakeCheckPublisher();
  checks.failWith.start = Object.assign(new Error("Bad Gateway"), { status: 502 });
  const run = new CheckRunHandle(checks, { headSha: "h", externalId: "e", startDelayMs: 0, save: async () => undefined });
  await expect(run.started()).rejects.toThrow("Bad Gateway");
  await run.finish("success", OUTPUT);
  expect(checks.runs).toEqual([expect.objectContaining({ status: "completed", conclusion: "success" })]);
});

import { WorkerPool } from "../../src/evaluation/worker-pool.js";
import { fixtureBundle } from "../helpers/bundles.js";

const file = (path: string, text: string) => ({ path, format: "yaml", bytes: Buffer.from(text) });

test("an evaluation past the time limit is stopped, reported, and the pool goes on", async () => {
  const { bytes } = await fixtureBundle("slow");
  const pool = await WorkerPool.start({ bundles: [{ bytes, engine: { namespaces: ["main"] } }], timeoutMs: 1500 });
  try {
    const started = Date.now();
    const slow = await pool.evaluateFile(file("slow.yaml", "offset: 1\n"));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slow.status).toBe("error");
    expect(slow.findings[0]).toMatchObject({ kind: "error", ruleId: "gitops-gate/evaluation-error" });
    expect(slow.findings[0]?.message).toMatch(/did not finish within 1500 ms/);
    // The replacement worker serves the next file.
    const next = await pool.evaluateFile(file("empty.yaml", ""));
    expect(next.status).toBe("empty");
  } finally {
    await pool.close();
  }
});

test("files are spread over several workers and all come back", async () => {
  const { bytes } = await fixtureBundle("conftest");
  const pool = await WorkerPool.start({ bundles: [{ bytes, engine: { namespaces: ["main"] } }], workers: 2 });
  try {
    const reports = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.evaluateFile(file(`f${i}.yaml`, `kind: Pod\nmetadata: {name: p${i}}\n`))),
    );
    expect(reports.map((r) => r.path)).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}.yaml`));
    for (const r of reports) expect(r.findings.map((f) => f.message)).toEqual(["pod has no team label"]);
  } finally {
    await pool.close();
  }
});

test("a bundle that is not a bundle fails at start with a cause", async () => {
  await expect(WorkerPool.start({ bundles: [{ bytes: Buffer.from("nope"), engine: { namespaces: "all" } }] })).rejects.toThrow(/start evaluation worker: read policy bundle/);
});

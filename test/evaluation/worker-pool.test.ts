import { WorkerPool } from "../../src/evaluation/worker-pool.js";
import { fixtureBundle } from "../helpers/bundles.js";

const file = (path: string, text: string) => ({ path, format: "yaml", bytes: Buffer.from(text) });

test("an evaluation past the time limit is stopped, reported, and the pool goes on", async () => {
  const { bytes } = await fixtureBundle("slow");
  const pool = await WorkerPool.start({ timeoutMs: 1500 });
  const set = pool.policySet([{ bytes, engine: { namespaces: ["main"] } }]);
  try {
    const started = Date.now();
    const slow = await pool.evaluateFile(file("slow.yaml", "offset: 1\n"), set);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slow.status).toBe("error");
    expect(slow.findings[0]).toMatchObject({ kind: "error", ruleId: "gitops-gate/evaluation-error" });
    expect(slow.findings[0]?.message).toMatch(/did not finish within 1500 ms/);
    // The replacement worker serves the next file.
    const next = await pool.evaluateFile(file("empty.yaml", ""), set);
    expect(next.status).toBe("empty");
  } finally {
    await pool.close();
  }
});

test("files are spread over several workers and all come back", async () => {
  const { bytes } = await fixtureBundle("conftest");
  const pool = await WorkerPool.start({ workers: 2 });
  const set = pool.policySet([{ bytes, engine: { namespaces: ["main"] } }]);
  try {
    const reports = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.evaluateFile(file(`f${i}.yaml`, `kind: Pod\nmetadata: {name: p${i}}\n`), set)),
    );
    expect(reports.map((r) => r.path)).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}.yaml`));
    for (const r of reports) expect(r.findings.map((f) => f.message)).toEqual(["pod has no team label"]);
  } finally {
    await pool.close();
  }
});

test("a bundle that is not a bundle is refused when registered, with a cause", async () => {
  const pool = await WorkerPool.start();
  try {
    expect(() => pool.policySet([{ bytes: Buffer.from("nope"), engine: { namespaces: "all" } }])).toThrow(/read policy bundle #1/);
  } finally {
    await pool.close();
  }
});

test("one pool serves several policy sets at once, each worker loading a set once", async () => {
  const [{ bytes: conftest }, { bytes: gatekeeper }] = await Promise.all([fixtureBundle("conftest"), fixtureBundle("gatekeeper")]);
  const pool = await WorkerPool.start({ workers: 2 });
  try {
    const a = pool.policySet([{ bytes: conftest, engine: { namespaces: ["main"] } }]);
    const b = pool.policySet([{ bytes: gatekeeper, engine: { namespaces: "all" } }]);
    expect(pool.policySet([{ bytes: conftest, engine: { namespaces: ["main"] } }])).toEqual(a);
    const pod = file("p.yaml", "kind: Pod\nmetadata: {name: p}\n");
    const [ra, rb, ra2] = await Promise.all([pool.evaluateFile(pod, a), pool.evaluateFile(pod, b), pool.evaluateFile(pod, a)]);
    expect(ra.findings.map((f) => f.message)).toEqual(["pod has no team label"]);
    expect(ra2.findings.map((f) => f.message)).toEqual(["pod has no team label"]);
    expect(rb.findings.map((f) => f.message)).not.toEqual(ra.findings.map((f) => f.message));
  } finally {
    await pool.close();
  }
});

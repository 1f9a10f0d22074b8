// Release records always fit GitHub's 65,535 characters, and what rollback reads survives.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { MAX_CHECK_OUTPUT } from "../../src/limits.js";
import { parseRecord } from "../../src/pipeline/rollback.js";
import type { ReleaseRecord } from "../../src/release/record.js";
import { renderReleaseJson } from "../../src/render/release.js";
import { ROOT } from "../helpers/corpus.js";

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, "docs", "release-record.schema.json"), "utf8")) as object);
const sha = (c: string) => c.repeat(40);

function record(environments: number, perEnvironment: number, long = 40): ReleaseRecord {
  const name = (i: number) => `service-${"x".repeat(long)}-${i}`;
  return {
    schema: "gitops-gate/release-record@1", repository: "acme/deploy",
    pullRequest: { number: 7, title: "Bump everything ".repeat(40), url: "https://github.example/acme/deploy/pull/7", labels: ["release"], linkedIssues: [3] },
    author: "dev", mergedBy: "lead", approvedBy: ["alice"], mergedAt: "2026-12-01T10:00:00Z",
    mergeSha: sha("a"), baseSha: sha("b"), beforeSha: sha("b"), headSha: sha("c"), mergeMethod: "merge", branch: "main",
    policy: { verdict: "success", checkRunUrl: null, summary: null, acceptedWarnings: 0, sources: [] },
    manifestsChanged: true,
    environments: Array.from({ length: environments }, (_, e) => ({
      environment: `env-${e}`,
      files: Array.from({ length: perEnvironment }, (_, i) => `deploy/${name(i)}.yaml`),
      added: [], removed: [],
      changed: Array.from({ length: perEnvironment }, (_, i) => ({ kind: "Deployment", namespace: "shop", name: name(i) })),
      images: Array.from({ length: perEnvironment }, (_, i) => ({ workload: `Deployment/shop/${name(i)}`, container: "app", before: `registry.example.com/${name(i)}:1.0.0`, after: `registry.example.com/${name(i)}:2.0.0` })),
      replicas: [], charts: [], irreversible: [],
      rollback: {
        restore: Array.from({ length: perEnvironment }, (_, i) => `Deployment/shop/${name(i)} container app: image registry.example.com/${name(i)}:1.0.0`),
        revertCommand: `git revert -m 1 ${sha("a")}`, oneClick: "Comment `/gitops-gate rollback`.", warnings: ["A revert will not restore data: StatefulSet/shop/db is deleted."], owners: ["@acme/sre"], ownersFrom: "config" as const,
      },
    })),
  };
}

test.each([
  ["a record that fits", 1, 3, 40],
  ["250 manifests in one environment", 1, 250, 40],
  ["50 environments of 100 manifests", 50, 100, 40],
  ["very long names", 3, 300, 2000],
])("%s: within the limit, schema-valid, and rollback can read it", (_what, envs, per, long) => {
  const r = record(envs, per, long);
  const json = renderReleaseJson(r);
  expect(json.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT);
  const parsed = JSON.parse(json) as ReleaseRecord;
  validate(parsed);
  expect(validate.errors ?? []).toEqual([]);
  const back = parseRecord(json, sha("a"));
  expect(back?.beforeSha).toBe(sha("b"));
  expect(back?.environments[0]?.rollback.owners).toEqual(["@acme/sre"]);
  expect(back?.environments[0]?.rollback.warnings).toHaveLength(1);
  if (JSON.stringify(r).length <= MAX_CHECK_OUTPUT) expect(parsed.omitted).toBeUndefined();
  else expect(Object.values(parsed.omitted ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
});

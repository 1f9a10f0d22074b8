// Only this App's check runs are read back: a run named gitops-gate (or gitops-gate/release)
// by another App, or by a token with checks: write, forges neither a verdict nor a record.
import { appIdResolver } from "../../src/github/app-id.js";
import { octokitReleaseStore, octokitRepoReader, type Octokit } from "../../src/github/octokit.js";

const REPO = { owner: "acme", repo: "deploy" };
const OURS = 123;

/** An Octokit with only checks.listForRef, answering as GitHub would without an app_id filter. */
function octokit(runs: Array<{ id: number; app: { id: number }; conclusion: string; completed_at: string; text: string }>) {
  const asked: Array<Record<string, unknown>> = [];
  const client = {
    rest: {
      checks: {
        listForRef: async (params: Record<string, unknown>) => {
          asked.push(params);
          return { data: { total_count: runs.length, check_runs: runs.map((r) => ({ ...r, html_url: `https://github.example/runs/${r.id}`, output: { summary: `run ${r.id}`, text: r.text } })) } };
        },
      },
    },
  } as unknown as Octokit;
  return { client, asked };
}

// The forged run is the newest and the first listed: it would win on name alone.
const RUNS = [
  { id: 2, app: { id: 666 }, conclusion: "success", completed_at: "2026-12-02T00:00:00Z", text: '{"forged":true}' },
  { id: 1, app: { id: OURS }, conclusion: "failure", completed_at: "2026-12-01T00:00:00Z", text: '{"ours":true}' },
];

test("the policy verdict comes from this App's run, asked of GitHub by app_id", async () => {
  const { client, asked } = octokit(RUNS);
  expect(await octokitRepoReader(client, REPO, OURS).policyCheck("a".repeat(40))).toMatchObject({ conclusion: "failure", summary: "run 1" });
  expect(asked[0]).toMatchObject({ app_id: OURS, check_name: "gitops-gate" });
});

test("the release record comes from this App's run only", async () => {
  const { client, asked } = octokit(RUNS);
  expect(await octokitReleaseStore(client, REPO, OURS).find("b".repeat(40))).toEqual({ id: 1, text: '{"ours":true}' });
  expect(asked[0]).toMatchObject({ app_id: OURS, check_name: "gitops-gate/release" });
  const none = octokit([RUNS[0] as (typeof RUNS)[number]]);
  expect(await octokitReleaseStore(none.client, REPO, OURS).find("b".repeat(40))).toBeUndefined();
});

test("the App id: APP_ID, else asked of GitHub once", async () => {
  expect(await appIdResolver({ APP_ID: "123" }, () => Promise.reject(new Error("not asked")))()).toBe(123);
  let asks = 0;
  const id = appIdResolver({}, async () => ++asks && 456);
  expect([await id(), await id(), asks]).toEqual([456, 456, 1]);
  await expect(appIdResolver({}, async () => Number.NaN)()).rejects.toThrow(/no app id/);
});

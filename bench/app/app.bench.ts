// The App's figures for issue 13, over the e2e emulator with a fixed delay per GitHub call:
//   1. requests and sequential round trips for one pull request of 10 and of 100 changed
//      manifests, against the goal 4 + ⌈N/100⌉ + ⌈N/50⌉ + ⌈annotations/50⌉ and 5 round trips;
//   2. the webhook answer (p50/p99) while 200 deliveries a second arrive;
//   3. the time until 50 pull requests all have a completed check, with one replica (the
//      in-process queue) and with two replicas sharing Redis.
// Run: `npm run build && npm run bench:app` (BENCH_DELAY_MS, default 100).
import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import type { GitHubEmulator, PullRequest, RepoState } from "../../test/e2e/emulator.js";
import { AppUnderTest, SECRET } from "../../test/e2e/harness.js";
import { RedisServer } from "../../test/e2e/redis-server.js";

const DELAY = Number(process.env["BENCH_DELAY_MS"] ?? 100);
const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  process.stdout.write(`${line}\n`);
};

/** A workload that passes every built-in rule; `hostNetwork` adds one finding. */
function deployment(i: number, tag: string, hostNetwork: boolean): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: shop
  labels: {app.kubernetes.io/name: web-${i}, app.kubernetes.io/owner: team-shop}
spec:
  replicas: 3
  selector: {matchLabels: {app.kubernetes.io/name: web-${i}}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: web-${i}}
    spec:
${hostNetwork ? "      hostNetwork: true\n" : ""}      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: web
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:${tag}
          resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: "1", memory: 256Mi}}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ["ALL"]}}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`;
}

let numbers = 100;
/** A pull request changing `n` manifests (every tenth gains a finding). */
function pullOf(gh: GitHubEmulator, n: number): PullRequest {
  const before: Record<string, string> = { "README.md": "hi\n" };
  const after: Record<string, string> = { "README.md": "hi\n" };
  for (let i = 0; i < n; i++) {
    before[`deploy/app-${i}.yaml`] = deployment(i, "1.4.1", false);
    after[`deploy/app-${i}.yaml`] = deployment(i, "1.4.2", i % 10 === 0);
  }
  const base = gh.commit(before);
  const head = gh.commit(after, { parents: [base] });
  return gh.openPull({ number: ++numbers, base, head, baseRef: "main", draft: false });
}

/** The longest chain of requests each of which started after the one before it ended. */
function roundTrips(requests: ReadonlyArray<{ start?: number; at?: number }>): number {
  const sorted = [...requests].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  const depth: number[] = [];
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if ((sorted[j]?.at ?? 0) <= (r.start ?? 0)) d = Math.max(d, (depth[j] ?? 0) + 1);
    depth.push(d);
  });
  return Math.max(0, ...depth);
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

afterAll(() => {
  process.stdout.write(`\n## App benchmark (GitHub calls delayed ${DELAY} ms)\n${report.join("\n")}\n`);
});

describe("requests and round trips for one pull request", () => {
  const app = new AppUnderTest();
  // The production default: a verdict within 2 s creates its run completed.
  beforeAll(() => app.start({ env: { RECONCILE: "off", CHECK_RUN_START_MS: "2000" } }), 60_000);
  afterAll(() => app.stop());

  for (const n of [10, 100]) {
    test(`${n} changed manifests`, async () => {
      const gh = app.github;
      // A first pull request warms the installation token and the compiled policies.
      await app.deliver("pull_request", app.pullRequestPayload("opened", pullOf(gh, 1)));
      gh.delayMs = DELAY;
      const pr = pullOf(gh, n);
      const from = gh.requests.length;
      const t0 = Date.now();
      await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
      const elapsed = Date.now() - t0;
      gh.delayMs = 0;
      const requests = gh.requests.slice(from);
      const run = gh.checkRuns.find((r) => r.head_sha === pr.head && r.name === "gitops-gate");
      expect(run?.status).toBe("completed");
      // The request that completed the run: the last write of a check run (a create with its conclusion, or the final update).
      const completedAt = Math.max(...requests.filter((r) => r.operationId === "checks/create" || r.operationId === "checks/update").map((r) => r.at ?? 0));
      const beforeComplete = requests.filter((r) => (r.start ?? 0) < completedAt);
      const annotations = run?.output.annotations.length ?? 0;
      const goal = 4 + Math.ceil(n / 100) + Math.ceil(n / 50) + Math.ceil(annotations / 50);
      const byOp = new Map<string, number>();
      for (const r of requests) byOp.set(r.operationId ?? r.path, (byOp.get(r.operationId ?? r.path) ?? 0) + 1);
      say(`- ${n} files, ${annotations} annotations: ${requests.length} requests (goal ≤ ${goal}), ${roundTrips(beforeComplete)} sequential round trips before the check completed (goal ≤ 5), ${elapsed} ms to idle`);
      say(`  ${[...byOp].map(([op, c]) => `${op} ×${c}`).join(", ")}`);
      if (process.env["BENCH_TRACE"]) for (const r of requests) say(`    ${(r.start ?? 0) - t0}..${(r.at ?? 0) - t0} ms ${r.operationId ?? r.path}`);
    });
  }
});

describe("the webhook answer under a burst", () => {
  const app = new AppUnderTest();
  beforeAll(() => app.start({ env: { RECONCILE: "off", CHECK_RUN_START_MS: "2000" } }), 60_000);
  afterAll(() => app.stop());

  test("200 deliveries a second for 3 s", async () => {
    const gh = app.github;
    gh.delayMs = DELAY;
    const pulls = Array.from({ length: 20 }, () => pullOf(gh, 2));
    const rate = 200;
    const seconds = 3;
    const timings: number[] = [];
    const sends: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < rate * seconds; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const payload = app.pullRequestPayload("synchronize", pulls[i % pulls.length] as PullRequest);
      const body = JSON.stringify(payload);
      sends.push(
        (async () => {
          const headers = { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": await sign(SECRET, body) };
          const start = performance.now();
          const res = await fetch(`${app.url}/api/github/webhooks`, { method: "POST", headers, body });
          await res.text();
          timings.push(performance.now() - start);
          expect(res.status).toBe(202);
        })(),
      );
    }
    await Promise.all(sends);
    await app.idle(300_000);
    gh.delayMs = 0;
    say(`- webhook answer at ${rate}/s for ${seconds} s (${timings.length} deliveries, 20 pull requests): p50 ${percentile(timings, 50).toFixed(1)} ms, p99 ${percentile(timings, 99).toFixed(1)} ms (goal p99 < 100 ms)`);
  });
});

describe("50 pull requests until every check completes", () => {
  /**
   * Ten pull requests in each of five installations (organisations): each installation's
   * writes keep to GitHub's budget (a second apart, 60 a minute), so a burst in one
   * installation is paced by GitHub's rules, not by replicas; across installations replicas add throughput.
   */
  async function burst(apps: AppUnderTest[]): Promise<number> {
    const gh = (apps[0] as AppUnderTest).github;
    const repos = Array.from({ length: 5 }, () => {
      const id = 9000 + ++installations;
      gh.installations.set(id, { account: `org-${id}` });
      return gh.addRepo(`org-${id}/deploy`, { installationId: id });
    });
    const pulls = Array.from({ length: 50 }, (_, i) => {
      const repo = repos[i % repos.length] as RepoState;
      const files: Record<string, string> = { "README.md": "hi\n" };
      const base = repo.commit(files);
      for (let f = 0; f < 5; f++) files[`deploy/app-${f}.yaml`] = deployment(f, `2.0.${i}`, f === 0 && i % 2 === 0);
      const head = repo.commit(files, { parents: [base] });
      return { repo, pr: gh.openPull({ number: ++numbers, base, head, baseRef: "main", draft: false }, repo) };
    });
    gh.delayMs = DELAY;
    const t0 = Date.now();
    await Promise.all(pulls.map(({ repo, pr }, i) => (apps[i % apps.length] as AppUnderTest).deliver("pull_request", (apps[0] as AppUnderTest).pullRequestPayload("opened", pr, repo), { wait: false })));
    for (;;) {
      const done = pulls.filter(({ repo, pr }) => repo.checkRuns.some((r) => r.head_sha === pr.head && r.name === "gitops-gate" && r.status === "completed")).length;
      if (done === pulls.length) break;
      if (Date.now() - t0 > 600_000) throw new Error(`only ${done} of 50 completed in 10 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = Date.now() - t0;
    gh.delayMs = 0;
    return elapsed;
  }
  let installations = 0;

  test("one replica, in-process queue", async () => {
    const app = new AppUnderTest();
    await app.start({ env: { RECONCILE: "off", CHECK_RUN_START_MS: "2000" } });
    try {
      await app.deliver("pull_request", app.pullRequestPayload("opened", pullOf(app.github, 1)));
      say(`- 50 pull requests (5 files each, 5 installations), one replica: all complete after ${((await burst([app])) / 1000).toFixed(1)} s`);
    } finally {
      await app.stop();
    }
  });

  test("two replicas sharing Redis", async () => {
    const redis = new RedisServer();
    await redis.start();
    const a = new AppUnderTest();
    const b = a.replica();
    const env = { REDIS_URL: redis.url, RECONCILE: "off", CHECK_RUN_START_MS: "2000" };
    try {
      await a.start({ env });
      await b.start({ env });
      await a.deliver("pull_request", a.pullRequestPayload("opened", pullOf(a.github, 1)));
      await b.deliver("pull_request", b.pullRequestPayload("opened", pullOf(a.github, 1)));
      say(`- 50 pull requests (5 files each, 5 installations), two replicas + Redis: all complete after ${((await burst([a, b])) / 1000).toFixed(1)} s`);
    } finally {
      await b.stop();
      await a.stop();
      await redis.stop();
    }
  });
});

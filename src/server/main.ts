// `npm start`: the App's production server, configured by Probot's environment variables
// (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL,
// WEBHOOK_PATH, GHE_HOST, GHE_PROTOCOL) and gitops-gate's own (REDIS_URL, CONCURRENCY,
// CONCURRENCY_PER_INSTALLATION, RECONCILE (off), RECONCILE_INTERVAL_SECONDS, BASELINE_SCHEDULE_SECONDS,
// JOB_TIMEOUT_SECONDS, QUEUE_LOCK_SECONDS, SHUTDOWN_GRACE_SECONDS, CHECK_RUN_START_MS,
// WRITES_PER_MINUTE, WRITES_PER_HOUR, WRITE_SPACING_MS, GITOPS_GATE_CACHE_DIR). Without credentials it serves Probot's
// setup flow at /probot. Wiring only: the parts live in src/app.ts, src/server/, src/queue/.
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { Probot, ProbotOctokit, run } from "probot";
import { enqueue, jobHandler, policyDeps, registerHandlers } from "../app.js";
import { appIdResolver, botLoginResolver } from "../github/app-id.js";
import { DEFAULT_BUDGET, isWrite, WriteBudget } from "../github/write-budget.js";
import type { Octokit } from "../github/octokit.js";
import app from "../index.js";
import { MemoryQueue } from "../queue/memory.js";
import { RedisQueue } from "../queue/redis.js";
import type { JobQueue } from "../queue/types.js";
import { Reconciler } from "../reconcile/reconciler.js";
import { createAppServer } from "./http.js";
import { Metrics } from "./metrics.js";

const env = process.env;
const number = (name: string, fallback: number): number => {
  const n = Number(env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

function privateKey(): string | undefined {
  if (env["PRIVATE_KEY"]) return env["PRIVATE_KEY"].replace(/\\n/g, "\n");
  if (env["PRIVATE_KEY_PATH"]) return readFileSync(env["PRIVATE_KEY_PATH"], "utf8");
  return undefined;
}

const appId = Number(env["APP_ID"]);
const key = privateKey();
if (!appId || !key || !env["WEBHOOK_SECRET"]) {
  // First run: Probot's setup flow registers the App from app.yml and writes the credentials.
  await run(app);
} else {
  const log = pino({ name: "gitops-gate", level: env["LOG_LEVEL"] ?? "info" });
  const baseUrl = env["GHE_HOST"] ? `${env["GHE_PROTOCOL"] ?? "https"}://${env["GHE_HOST"]}/api/v3` : undefined;
  // One quick retry of a failed request (after 250 ms: the plugin's default base is 1 s,
  // squared per try); longer outages are the queue's to retry, with back-off and a
  // deadline, so a request is not retried at length at two levels at once.
  // Octokit's throttling is off: it spaces every write (and every GraphQL query) of the App
  // by a second across all installations; the write budget below follows GitHub's limits
  // per installation, and the queue retries rate-limit answers with their retry-after.
  // A function, not an object: Probot passes throttling options of its own, which must not
  // switch it back on (Octokit merges object defaults under the options given).
  const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { retries: 1, retryAfterBaseValue: 250 }, throttle: { ...(options["throttle"] as object | undefined), enabled: false } }));
  const probot = new Probot({ appId, privateKey: key, secret: env["WEBHOOK_SECRET"], log, Octokit, ...(baseUrl ? { baseUrl } : {}) });
  const queue: JobQueue = env["REDIS_URL"] ? new RedisQueue(env["REDIS_URL"], { lockMs: number("QUEUE_LOCK_SECONDS", 30) * 1000 }) : new MemoryQueue();
  const metrics = new Metrics(queue);
  // A verdict within this long creates its check run completed, in one request; 0: start every run at once.
  const startMs = Number(env["CHECK_RUN_START_MS"] ?? 2000);
  const policy = policyDeps({ checkRunStartMs: Number.isFinite(startMs) && startMs >= 0 ? startMs : 2000 });
  // GitHub's secondary limits count writes per installation: each has a budget of its own,
  // shared by the replicas through the queue's counters.
  const budget = new WriteBudget((name, ttlMs) => queue.count(name, ttlMs), {
    ...DEFAULT_BUDGET,
    perMinute: number("WRITES_PER_MINUTE", DEFAULT_BUDGET.perMinute),
    perHour: number("WRITES_PER_HOUR", DEFAULT_BUDGET.perHour),
    spacingMs: Number.isFinite(Number(env["WRITE_SPACING_MS"] ?? NaN)) ? Number(env["WRITE_SPACING_MS"]) : DEFAULT_BUDGET.spacingMs,
  }, undefined, (installation, ms) => {
    metrics.writeWaits.inc({ installation: String(installation) }, ms / 1000);
    log.info({ installation, waitMs: ms }, "write budget used up for this minute: waiting");
  });
  const auth = async (installationId?: number): Promise<Octokit> => {
    const octokit = (await probot.auth(installationId)) as unknown as Octokit;
    if (installationId !== undefined) {
      octokit.hook.before("request", async (options) => {
        if (isWrite(options as { method?: string; url?: string; query?: unknown })) await budget.take(installationId);
      });
    }
    octokit.hook.after("request", (response) => metrics.github(installationId, response.status, response.headers as Record<string, unknown>));
    octokit.hook.error("request", (error) => {
      const e = error as { status?: number; response?: { headers?: Record<string, unknown> } };
      metrics.github(installationId, e.status ?? 0, e.response?.headers);
      throw error;
    });
    return octokit;
  };
  registerHandlers(probot, async (job) => {
    await enqueue(queue, job);
  });
  const appIdOf = appIdResolver(env, async () => Number((await (await auth()).rest.apps.getAuthenticated()).data?.id));
  const botLogin = botLoginResolver(env, async () => (await (await auth()).rest.apps.getAuthenticated()).data?.slug);
  queue.start(jobHandler({ auth, appId: appIdOf, botLogin, queue, policy, log }), { concurrency: number("CONCURRENCY", 4), perGroup: number("CONCURRENCY_PER_INSTALLATION", 2) });
  const reconciler = new Reconciler({
    auth,
    appId: appIdOf,
    queue,
    enqueue: (job) => enqueue(queue, job),
    log,
    intervalMs: number("RECONCILE_INTERVAL_SECONDS", 300) * 1000,
    staleMs: number("JOB_TIMEOUT_SECONDS", 600) * 1000,
    baselineEveryMs: number("BASELINE_SCHEDULE_SECONDS", 3600) * 1000,
    ...(queue.kind === "memory" ? { strandedBefore: Date.now() } : {}),
  });
  if (env["RECONCILE"] !== "off") reconciler.start();
  const server = createAppServer({ probot, secret: env["WEBHOOK_SECRET"], webhookPath: env["WEBHOOK_PATH"] ?? "/api/github/webhooks", queue, metrics, log, name: "gitops-gate" });
  const port = number("PORT", 3000);
  const host = env["HOST"] ?? "localhost";
  server.listen(port, host, () => log.info({ port, host, queue: queue.kind }, "listening"));

  // SIGTERM: stop taking webhooks and jobs, let running ones finish within the grace
  // period, hand the rest back (Redis) or leave them to the reconciler, and exit.
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const grace = number("SHUTDOWN_GRACE_SECONDS", 25) * 1000;
    log.info({ signal, graceMs: grace }, "shutting down");
    reconciler.stop();
    server.close();
    await queue.close(grace);
    await policy.closePool();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

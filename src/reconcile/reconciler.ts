// Nothing stranded: on start and every few minutes, each open pull request of each
// installation is looked at. A head without a gitops-gate check run (a webhook GitHub failed
// to deliver, or one a crash lost before its job ran) is evaluated; a run left queued or in
// progress longer than a job may take (the process that ran it died) is resumed by its own
// job, or completed with a note when a new job takes over. With Redis, one replica at a
// time does this (a lock with expiry); lists are read with ETags, so an unchanged
// repository costs no rate limit.
import { CHECK_NAME, type Octokit } from "../github/octokit.js";
import { identityOf } from "../jobs/identity.js";
import { pullRequestTarget, type Job } from "../jobs/job.js";
import { MAX_PER_PAGE } from "../limits.js";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/types.js";

export interface ReconcilerDeps {
  /** A client for an installation; without an id, the App itself. */
  readonly auth: (installationId?: number) => Promise<Octokit>;
  /** This App's id: only its own runs count (another App's run of the same name proves nothing). */
  readonly appId: () => Promise<number>;
  readonly queue: JobQueue;
  readonly enqueue: (job: Job) => Promise<"queued" | "duplicate">;
  readonly log: Pick<Logger, "info" | "warn">;
  readonly intervalMs: number;
  /** A run queued or in progress longer than this is stranded. */
  readonly staleMs: number;
  /**
   * Runs started before this time are stranded whatever their age: with the in-process
   * queue, nothing from before this process started is being worked on.
   */
  readonly strandedBefore?: number;
  /** Stop a pass when fewer requests than this are left in the hour. */
  readonly minRateLimit?: number;
  /**
   * How often each repository's baseline is looked at (default an hour): a policy source
   * that moved shows within this time. The first look comes one period after start, so a
   * deploy that restarts every replica does not ask for every repository's baseline at once.
   */
  readonly baselineEveryMs?: number;
}

export interface ReconcileReport {
  readonly repositories: number;
  readonly pulls: number;
  readonly queued: number;
  readonly resumed: number;
  readonly requests: number;
}

export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileReport | undefined> | undefined;
  /** ETag and answer per listed URL. */
  private readonly etags = new Map<string, { etag: string; data: unknown }>();
  /**
   * When this process last asked for a scheduled baseline per repository: only a throttle.
   * Whether one is due (a day old, or a policy source moved) the job reads from the
   * previous baseline's check run, so a restart costs one job per repository, no more.
   */
  private readonly baselineAsked = new Map<string, number>();
  private readonly startedAt = Date.now();

  constructor(private readonly deps: ReconcilerDeps) {}

  start(): void {
    const tick = () => {
      this.running ??= this.runOnce()
        .catch((e: unknown) => {
          this.deps.log.warn({ err: e }, "reconcile pass failed");
          return undefined;
        })
        .finally(() => (this.running = undefined));
    };
    // Shortly after start (the server is listening by then), then on the interval.
    setTimeout(tick, 1000).unref();
    this.timer = setInterval(tick, this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A list read with its ETag: an unchanged answer is a 304, which costs no rate limit. */
  private async list<T>(octokit: Octokit, route: string, params: Record<string, unknown>, count: { n: number }): Promise<T[]> {
    const key = `${route} ${JSON.stringify(params)}`;
    const cached = this.etags.get(key);
    count.n++;
    try {
      const res = await octokit.request(route, { ...params, per_page: MAX_PER_PAGE, headers: cached ? { "if-none-match": cached.etag } : {} });
      const data = res.data as unknown;
      const etag = res.headers.etag;
      if (etag) this.etags.set(key, { etag, data });
      return extract<T>(data);
    } catch (e) {
      if ((e as { status?: number }).status === 304 && cached) return extract<T>(cached.data);
      throw e;
    }
  }

  async runOnce(): Promise<ReconcileReport | undefined> {
    if (!(await this.deps.queue.lock("reconcile", Math.max(60_000, this.deps.intervalMs - 1000)))) return undefined;
    const count = { n: 0 };
    let repositories = 0, pulls = 0, queued = 0, resumed = 0;
    const app = await this.deps.auth();
    const installations = await this.list<{ id: number }>(app, "GET /app/installations", {}, count);
    for (const installation of installations) {
      const octokit = await this.deps.auth(installation.id);
      const repos = await this.list<{ name: string; owner: { login: string }; default_branch?: string }>(octokit, "GET /installation/repositories", {}, count);
      for (const r of repos) {
        repositories++;
        const repo = { owner: r.owner.login, repo: r.name };
        const open = await this.list<PullStub>(octokit, "GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open" }, count);
        for (const pr of open) {
          pulls++;
          const outcome = await this.pull(octokit, installation.id, repo, pr, count);
          if (outcome === "queued") queued++;
          if (outcome === "resumed") resumed++;
        }
        if (r.default_branch) await this.scheduleBaseline(installation.id, repo, r.default_branch);
        if (await this.lowOnRequests(octokit)) {
          this.deps.log.warn({ installation: installation.id }, "reconcile: rate limit low; the rest waits for the next pass");
          break;
        }
      }
    }
    const report = { repositories, pulls, queued, resumed, requests: count.n };
    this.deps.log.info(report, "reconcile pass done");
    return report;
  }

  /** At most hourly per repository: a scheduled baseline job, which decides itself whether one is due. */
  private async scheduleBaseline(installationId: number, repo: { owner: string; repo: string }, branch: string): Promise<void> {
    const key = `${repo.owner}/${repo.repo}`;
    const now = Date.now();
    if (now - (this.baselineAsked.get(key) ?? this.startedAt) < (this.deps.baselineEveryMs ?? 60 * 60 * 1000)) return;
    this.baselineAsked.set(key, now);
    const job: Job = {
      kind: "baseline", delivery: `reconcile-${now}`, event: "reconcile", installationId, repo,
      baseline: { branch, reason: "scheduled", slot: new Date(now).toISOString().slice(0, 13) },
    };
    await this.deps.enqueue(job);
  }

  private async lowOnRequests(octokit: Octokit): Promise<boolean> {
    const { data } = await octokit.rest.rateLimit.get();
    return data.resources.core.remaining < (this.deps.minRateLimit ?? 500);
  }

  /** One open pull request: evaluate it when its head has no run, resume a stranded run. */
  private async pull(octokit: Octokit, installationId: number, repo: { owner: string; repo: string }, pr: PullStub, count: { n: number }): Promise<"ok" | "queued" | "resumed"> {
    if (pr.draft) return "ok";
    count.n++;
    const appId = await this.deps.appId();
    const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: pr.head.sha, check_name: CHECK_NAME, app_id: appId, per_page: MAX_PER_PAGE });
    const runs = data.check_runs.filter((r) => r.app?.id === appId);
    const job: Job = {
      kind: "evaluate", delivery: `reconcile-${Date.now()}`, event: "reconcile", installationId, repo,
      target: pullRequestTarget({ number: pr.number, head: pr.head, base: pr.base, draft: pr.draft }),
    };
    if (runs.some((r) => r.status === "completed") && !runs.some((r) => r.status !== "completed")) return "ok";
    const started = (r: { started_at?: string | null }) => Date.parse(r.started_at ?? "") || 0;
    const stale = runs.filter((r) => r.status !== "completed" && (Date.now() - started(r) > this.deps.staleMs || started(r) < (this.deps.strandedBefore ?? 0)));
    if (runs.length > 0 && stale.length === 0) return "ok";
    const id = identityOf(job).id;
    // A stranded run that is not this job's (a Re-run's, say) is closed with a note; this
    // job's own is resumed by it.
    for (const run of stale) {
      if (run.external_id === id) continue;
      count.n++;
      await octokit.rest.checks.update({
        ...repo, check_run_id: run.id, status: "completed", conclusion: "neutral", completed_at: new Date().toISOString(),
        output: { title: "Interrupted; evaluated again", summary: "This run stopped before it finished (the App restarted). gitops-gate evaluated the head again: see the newer run." },
      });
    }
    // The job is the one a pull_request event would have queued: a redelivery later is a duplicate of it.
    const added = await this.deps.enqueue(job);
    if (added === "duplicate") return "ok";
    return stale.length ? "resumed" : "queued";
  }
}

interface PullStub {
  number: number;
  draft?: boolean;
  head: { sha: string };
  base: { ref: string; sha: string };
}

function extract<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  const d = data as { installations?: T[]; repositories?: T[] };
  return d.installations ?? d.repositories ?? [];
}

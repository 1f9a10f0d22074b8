// Prometheus metrics at /metrics: jobs by state and outcome, webhook-to-check latency,
// GitHub requests and the rate limit left per installation.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { JobQueue } from "../queue/types.js";

export class Metrics {
  readonly registry = new Registry();
  readonly jobsDone = new Counter({ name: "gitops_gate_jobs_done_total", help: "Job attempts finished, by kind and outcome", labelNames: ["kind", "outcome"], registers: [this.registry] });
  readonly webhooks = new Counter({ name: "gitops_gate_webhooks_total", help: "Webhook deliveries, by event and answer", labelNames: ["event", "status"], registers: [this.registry] });
  readonly latency = new Histogram({
    name: "gitops_gate_webhook_to_done_seconds",
    help: "From the webhook's arrival to the job's end (queue wait included)",
    labelNames: ["kind"],
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly requests = new Counter({ name: "gitops_gate_github_requests_total", help: "GitHub API requests, by installation and status", labelNames: ["installation", "status"], registers: [this.registry] });
  readonly rateLimit = new Gauge({ name: "gitops_gate_github_rate_limit_remaining", help: "x-ratelimit-remaining of the last answer, per installation", labelNames: ["installation"], registers: [this.registry] });
  readonly writeWaits = new Counter({ name: "gitops_gate_write_budget_wait_seconds_total", help: "Time writes waited for their installation's write budget (GitHub's secondary limits)", labelNames: ["installation"], registers: [this.registry] });
  private readonly queued = new Gauge({ name: "gitops_gate_jobs_queued", help: "Jobs waiting (or delayed for a retry)", registers: [this.registry] });
  private readonly running = new Gauge({ name: "gitops_gate_jobs_running", help: "Jobs running", registers: [this.registry] });

  constructor(private readonly queue: JobQueue) {
    collectDefaultMetrics({ register: this.registry });
    queue.onOutcome((e) => {
      this.jobsDone.inc({ kind: e.job.kind, outcome: e.outcome });
      if (e.outcome !== "retrying") this.latency.observe({ kind: e.job.kind }, (e.queuedMs + e.ms) / 1000);
    });
  }

  async text(): Promise<string> {
    const s = await this.queue.stats().catch(() => ({ waiting: 0, running: 0, delayed: 0 }));
    this.queued.set(s.waiting + s.delayed);
    this.running.set(s.running);
    return this.registry.metrics();
  }

  /** Counts a GitHub answer for an installation (an Octokit `hook.after`/`hook.error`). */
  github(installation: number | undefined, status: number, headers: Record<string, unknown> | undefined): void {
    const label = String(installation ?? "app");
    this.requests.inc({ installation: label, status: String(status) });
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    if (Number.isFinite(remaining)) this.rateLimit.set({ installation: label }, remaining);
  }
}

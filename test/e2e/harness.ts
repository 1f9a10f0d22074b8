// Starts the real App (`node dist/server/main.js`, as `npm start` does) against the
// emulator, configured only by Probot's standard environment variables, and delivers
// signed webhooks built from @octokit/webhooks-examples payloads.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { createRequire } from "node:module";
import { ROOT } from "../helpers/corpus.js";
import { GitHubEmulator, type PullRequest, type RepoState } from "./emulator.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<Record<string, unknown> & { action?: string }> }>;

export const SECRET = "e2e-webhook-secret";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function example(event: string, action: string): Record<string, unknown> {
  const group = examples.find((e) => e.name === event);
  const found = group?.examples.find((x) => x.action === action);
  if (!found) throw new Error(`find webhook example ${event}.${action}: none in @octokit/webhooks-examples`);
  return structuredClone(found);
}

/**
 * Polls `get` until it gives a value (not undefined, null or false), every 50 ms: the App
 * answers webhooks before it works, so tests wait for the effects they look at. Throws
 * when `ms` pass without one.
 */
export async function until<T>(get: () => T | undefined | null | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`until: condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class AppUnderTest {
  readonly github: GitHubEmulator;
  /** Whether this App owns the emulator (starts and stops it), or shares another App's. */
  private readonly ownsGithub: boolean;
  private child?: ChildProcess;
  private lastOptions: { cwd?: string; args?: readonly string[]; env?: Record<string, string> } = {};
  private port = 0;
  private privateKey = "";
  logs = "";
  url = "";
  /** host:port of the GitHub emulator. */
  githubHost = "";
  readonly cacheDir = mkdtempSync(join(tmpdir(), "gitops-gate-app-cache-"));

  /**
   * Starts the emulator and the App. By default the App runs from the working tree as
   * `npm start` does; `cwd`, `args` and `env` run it elsewhere (the production image's
   * runtime stage, reproduced in a folder).
   */
  constructor(shared?: GitHubEmulator) {
    this.github = shared ?? new GitHubEmulator();
    this.ownsGithub = !shared;
  }

  /** Another replica of the App against the same emulator (and the same Redis, when given). */
  replica(): AppUnderTest {
    const other = new AppUnderTest(this.github);
    other.githubHost = this.githubHost;
    return other;
  }

  async start(options: { cwd?: string; args?: readonly string[]; env?: Record<string, string> } = {}): Promise<void> {
    if (!this.githubHost) this.githubHost = await this.github.start();
    const host = this.githubHost;
    this.lastOptions = options;
    this.port ||= await freePort();
    const port = this.port;
    this.privateKey ||= generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const privateKey = this.privateKey;
    this.child = spawn(process.execPath, [...(options.args ?? [join(ROOT, "dist", "server", "main.js")])], {
      cwd: options.cwd ?? ROOT,
      env: {
        // Check runs start at once (as before the lazy start), so tests see them in progress;
        // tests of the lazy start and the benchmark set it.
        CHECK_RUN_START_MS: "0",
        ...options.env,
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: "127.0.0.1",
        GHE_HOST: host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
        // Retries as in production, on a test's time scale.
        GITOPS_GATE_RETRY_ATTEMPTS: "4",
        GITOPS_GATE_RETRY_BASE_MS: "200",
        GITOPS_GATE_RETRY_SECONDARY_MS: "500",
        // Each App under test compiles into a cache of its own, as a fresh container does.
        GITOPS_GATE_CACHE_DIR: this.cacheDir,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (d: Buffer) => (this.logs += d.toString()));
    this.child.stderr?.on("data", (d: Buffer) => (this.logs += d.toString()));
    this.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await fetch(`${this.url}/ping`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`start app: not listening after 20 s; logs:\n${this.logs}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The App process's peak resident memory in MiB since the last call with `reset` (Linux:
   * /proc/<pid>/status VmHWM, reset through clear_refs), or undefined where /proc is absent.
   */
  peakRssMiB(options: { reset?: boolean } = {}): number | undefined {
    const pid = this.child?.pid;
    if (pid === undefined) return undefined;
    try {
      if (options.reset) writeFileSync(`/proc/${pid}/clear_refs`, "5");
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
      return Number.isFinite(kb) ? kb / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stops the App (SIGTERM, as a container runtime does; SIGKILL after 10 s) and the emulator. */
  async stop(): Promise<void> {
    await this.kill("SIGTERM");
    if (this.ownsGithub) await this.github.stop();
  }

  /** Starts the App again (same port, same settings) after `kill()`. */
  async restart(): Promise<void> {
    await this.start(this.lastOptions);
  }

  /** Ends the App process with `signal` and waits for it to exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /**
   * Waits until the App has nothing queued or running (its /metrics), twice in a row: the
   * webhook is answered before the work is done.
   */
  async idle(timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < deadline) {
      const text = await fetch(`${this.url}/metrics`).then((r) => r.text(), () => "");
      const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
      quiet = value("gitops_gate_jobs_queued") === 0 && value("gitops_gate_jobs_running") === 0 ? quiet + 1 : 0;
      if (quiet >= 2) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the App did not become idle within ${timeoutMs} ms`);
  }

  /** Points a real example payload at the emulator's repository and installation. */
  aim(payload: Record<string, unknown>): Record<string, unknown> {
    const gh = this.github;
    const repository = payload["repository"] as Record<string, unknown>;
    Object.assign(repository, { id: gh.repoId, name: gh.repo, full_name: `${gh.owner}/${gh.repo}`, default_branch: gh.defaultBranch });
    (repository["owner"] as Record<string, unknown>)["login"] = gh.owner;
    payload["installation"] = { id: gh.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMjMxMTIxMw==" };
    return payload;
  }

  /** A pull_request payload from the real examples, pointed at the emulator's state (by default its main repository). */
  pullRequestPayload(action: string, pr: PullRequest, repo: RepoState = this.github.main): Record<string, unknown> {
    const payload = example("pull_request", action === "edited" ? "opened" : action === "closed" ? "closed" : action);
    payload["action"] = action;
    const gh = this.github;
    const repository = payload["repository"] as Record<string, unknown>;
    Object.assign(repository, { id: repo.id, name: repo.name, full_name: repo.fullName, default_branch: repo.defaultBranch });
    (repository["owner"] as Record<string, unknown>)["login"] = repo.owner;
    payload["installation"] = { id: repo.installationId ?? gh.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMjMxMTIxMw==" };
    const p = payload["pull_request"] as Record<string, unknown>;
    Object.assign(p, { number: pr.number, draft: pr.draft, changed_files: repo.changedFiles(pr).length });
    Object.assign(p["head"] as object, { sha: pr.head, ref: pr.headRef });
    Object.assign(p["base"] as object, { sha: pr.base, ref: pr.baseRef });
    payload["number"] = pr.number;
    Object.assign(p, { title: pr.title, body: pr.body ?? null, html_url: `https://github.example/${repo.fullName}/pull/${pr.number}` });
    (p["user"] as Record<string, unknown>)["login"] = pr.user;
    if (action === "closed") {
      Object.assign(p, { state: "closed", merged: Boolean(pr.merged), merge_commit_sha: pr.mergeSha ?? null, merged_at: "2026-11-26T12:00:00Z", merged_by: { ...(p["user"] as object), login: "mergebot-human" } });
    }
    return payload;
  }

  /** A pull_request_review payload from the real examples: `user` reviewed `pr` at `commit` with `state`. */
  reviewPayload(action: "submitted" | "dismissed", pr: PullRequest, review: { user: string; state: string; commit: string }): Record<string, unknown> {
    const payload = example("pull_request_review", action);
    const fromPull = this.pullRequestPayload("opened", pr);
    payload["repository"] = fromPull["repository"];
    payload["installation"] = fromPull["installation"];
    payload["pull_request"] = fromPull["pull_request"];
    const r = payload["review"] as Record<string, unknown>;
    Object.assign(r, { state: review.state.toLowerCase(), commit_id: review.commit });
    (r["user"] as Record<string, unknown>)["login"] = review.user;
    return payload;
  }

  /**
   * POSTs a webhook signed like GitHub does; returns the HTTP status. The App answers before
   * it works: unless `wait: false`, this then waits until the App is idle again.
   */
  async deliver(event: string, payload: unknown, options: { id?: string; secret?: string | null; wait?: boolean } = {}): Promise<{ status: number; id: string }> {
    const id = options.id ?? randomUUID();
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id };
    if (options.secret !== null) headers["x-hub-signature-256"] = await sign(options.secret ?? SECRET, body);
    const res = await fetch(`${this.url}/api/github/webhooks`, { method: "POST", headers, body });
    await res.text();
    if (options.wait !== false && res.status < 300) await this.idle();
    return { status: res.status, id };
  }
}

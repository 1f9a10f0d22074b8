// The App's HTTP server. A webhook is checked before anything is spent on it: its size
// against GitHub's payload cap before the body is read, its signature before it is parsed;
// then the handlers record jobs and it is answered at once. The work happens in the queue's
// workers, never in the request (GitHub gives up on a delivery after 10 s).
// https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks#respond-within-10-seconds
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import type { Probot } from "probot";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/types.js";
import type { Metrics } from "./metrics.js";

/** GitHub caps webhook payloads at 25 MB. https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface ServerDeps {
  readonly probot: Probot;
  readonly secret: string;
  readonly webhookPath: string;
  readonly queue: JobQueue;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly name: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body, or an error once it passes the cap (the connection is not read further). */
async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) throw new HttpError(413, `payload of ${declared} bytes is over GitHub's cap of ${max}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpError(413, `payload is over GitHub's cap of ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": type, ...(status === 413 ? { connection: "close" } : {}) });
  res.end(body);
}

async function webhook(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const name = String(req.headers["x-github-event"] ?? "");
  const id = String(req.headers["x-github-delivery"] ?? "");
  const signature = String(req.headers["x-hub-signature-256"] ?? "");
  if (!name || !id || !signature) throw new HttpError(400, "missing x-github-event, x-github-delivery or x-hub-signature-256");
  const body = await readBody(req, MAX_WEBHOOK_BYTES);
  if (!(await verify(deps.secret, body, signature).catch(() => false))) throw new HttpError(401, "signature does not match");
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new HttpError(400, "payload is not JSON");
  }
  // The handlers only turn the event into jobs on the queue.
  await deps.probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
  deps.metrics.webhooks.inc({ event: name, status: "202" });
  send(res, 202, "accepted\n");
}

export function createAppServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const handle = async (): Promise<void> => {
      if (req.method === "POST" && path === deps.webhookPath) return webhook(req, res, deps);
      if (req.method !== "GET") throw new HttpError(404, "not found");
      switch (path) {
        case "/health":
        case "/ping":
          return send(res, 200, path === "/ping" ? "PONG" : '{"status":"ok"}\n', path === "/ping" ? "text/plain" : "application/json");
        case "/ready":
          return (await deps.queue.ready()) ? send(res, 200, '{"status":"ready"}\n', "application/json") : send(res, 503, '{"status":"queue unreachable"}\n', "application/json");
        case "/metrics":
          return send(res, 200, await deps.metrics.text(), "text/plain; version=0.0.4");
        case "/probot":
        case "/":
          return send(res, 200, `<!doctype html><title>${deps.name}</title><h1>${deps.name} is running</h1><p>Queue: ${deps.queue.kind}.</p>\n`, "text/html; charset=utf-8");
        default:
          throw new HttpError(404, "not found");
      }
    };
    handle().catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (path === deps.webhookPath) deps.metrics.webhooks.inc({ event: String(req.headers["x-github-event"] ?? ""), status: String(status) });
      if (status >= 500) deps.log.error({ err: e, path }, "request failed");
      send(res, status, `${(e as Error).message}\n`);
      // Past the cap the rest of the body is not read: close the connection.
      if (status === 413) req.destroy();
    });
  });
}

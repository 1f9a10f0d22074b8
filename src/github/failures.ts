// Failures in words a person acts on. A check run's "Cause:" line and a rollback reply say
// what happened (rate limited, GitHub unavailable, no access, a file too large, a timeout)
// and what to do; the raw error (Octokit's message, a stack) goes to the log only, where
// the delivery id finds it. Unknown errors are "an internal error", never their text.

/** A failure whose message is written for the reader of the check: shown as its cause. */
export class PlainFailure extends Error {
  constructor(
    message: string,
    /** What to do about it. */
    readonly action: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PlainFailure";
  }
}

/** A file over a size limit, known from its tree entry before any download. */
export class FileTooLargeError extends PlainFailure {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly limit: number,
    what: string,
  ) {
    super(`${path} is ${size} bytes, over the limit of ${limit} for ${what}`, "Make the file smaller, or leave it out (config `paths.exclude`, or `render.enabled: false` for render inputs).");
    this.name = "FileTooLargeError";
  }
}

export interface Explained {
  readonly cause: string;
  readonly action: string;
  /** The HTTP status, when GitHub answered. */
  readonly status?: number;
}

interface HttpLike {
  status?: unknown;
  message?: unknown;
  code?: unknown;
  name?: unknown;
  cause?: unknown;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined> };
}

const RERUN = "Re-run the check from the Checks tab (“Re-run”), or push a new commit.";

/** `GET /repos/acme/deploy/contents/x` from an Octokit request, without the query or host. */
function requestOf(e: HttpLike): string | undefined {
  const url = e.request?.url;
  if (!url) return undefined;
  try {
    return `${e.request?.method ?? "GET"} ${new URL(url, "http://x").pathname.replace(/^\/api\/v3/, "")}`;
  } catch {
    return undefined;
  }
}

function networkCode(e: unknown): string | undefined {
  for (let x = e as HttpLike | undefined, depth = 0; x && depth < 4; x = x.cause as HttpLike | undefined, depth++) {
    if (typeof x.code === "string") return x.code;
  }
  return undefined;
}

/** Any thrown value → its plain cause and what to do. */
export function explainFailure(e: unknown): Explained {
  if (e instanceof PlainFailure) return { cause: e.message, action: e.action };
  const x = (e ?? {}) as HttpLike;
  const status = typeof x.status === "number" ? x.status : undefined;
  const message = typeof x.message === "string" ? x.message : "";
  const headers = x.response?.headers ?? {};
  const request = requestOf(x);
  const on = request ? ` (${request})` : "";
  // Octokit reports a failed connection as a 500 with the network error as its cause: look there first.
  const code = networkCode(e);
  const name = typeof x.name === "string" ? x.name : "";
  if (name === "TimeoutError" || name === "AbortError" || (code !== undefined && /^(ETIMEDOUT|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/.test(code)) || /timed? ?out/i.test(message)) {
    return { cause: "GitHub did not answer in time", action: `Re-run in a few minutes. ${RERUN}` };
  }
  if (code && /^(ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_SOCKET)$/.test(code)) {
    return { cause: `The App could not reach GitHub's API (${code})`, action: `Re-run; if it keeps failing, check the App's network access to GitHub. ${RERUN}` };
  }
  if (status !== undefined) {
    if (status === 429 || (status === 403 && (String(headers["x-ratelimit-remaining"]) === "0" || /rate limit/i.test(message)))) {
      const secondary = /secondary/i.test(message) || status === 429;
      const reset = Number(headers["x-ratelimit-reset"]);
      const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : "";
      return secondary
        ? { status, cause: "GitHub's secondary rate limit stopped the App's requests (too many at once)", action: `Wait a few minutes, then re-run. ${RERUN}` }
        : { status, cause: `GitHub's API rate limit for this installation is used up${when}`, action: `Re-run once the limit resets. ${RERUN}` };
    }
    if (status >= 500) return { status, cause: `GitHub's API was unavailable (HTTP ${status})${on}`, action: `Re-run in a few minutes; https://www.githubstatus.com says whether GitHub has an incident. ${RERUN}` };
    if (status === 404) return { status, cause: `GitHub answered "not found" (HTTP 404)${on}: it does not exist, or the App has no access to it`, action: "Check that the App is installed on this repository and on every repository the config names, with read access to contents; then re-run." };
    if (status === 403) return { status, cause: `GitHub refused the App access (HTTP 403)${on}`, action: "Check the App's permissions (contents, checks, pull requests) and that it is installed on the repository; then re-run." };
    if (status === 401) return { status, cause: "GitHub refused the App's credentials (HTTP 401)", action: "Check the App's APP_ID and private key, then re-run." };
    if (status === 409) return { status, cause: `GitHub reported a conflict (HTTP 409)${on}: the repository may be empty or changing`, action: RERUN };
    if (status === 422) return { status, cause: `GitHub refused the request as invalid (HTTP 422)${on}`, action: `${RERUN} If it fails again, report it with the delivery id from the App's logs.` };
  }
  return { cause: "an internal error in gitops-gate (the App's logs have the details, under this delivery)", action: `${RERUN} If it fails again, report it with the delivery id from the App's logs.` };
}

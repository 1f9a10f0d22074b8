// Failures in plain words: each known kind gets its cause and what to do; the raw text of
// an unknown error is never shown.
import { explainFailure, FileTooLargeError, PlainFailure } from "../../src/github/failures.js";

const http = (status: number, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, request: { method: "POST", url: "https://api.github.com/repos/acme/deploy/check-runs?x=1" }, response: { headers } });
const network = (code: string) => Object.assign(new Error("request failed"), { status: 500, cause: Object.assign(new TypeError("fetch failed"), { cause: { code } }) });

test.each([
  ["rate limit", http(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1796140800" }), /^GitHub's API rate limit for this installation is used up until \d\d:\d\d UTC$/, /once the limit resets/],
  ["secondary rate limit", http(403, "You have exceeded a secondary rate limit"), /secondary rate limit/, /Wait a few minutes/],
  ["429", http(429, "Too Many Requests"), /secondary rate limit/, /Wait/],
  ["GitHub 502", http(502, "Bad Gateway"), /^GitHub's API was unavailable \(HTTP 502\) \(POST \/repos\/acme\/deploy\/check-runs\)$/, /githubstatus/],
  ["404", http(404, "Not Found"), /not found.*no access/, /installed on this repository/],
  ["403", http(403, "Resource not accessible by integration"), /refused the App access \(HTTP 403\)/, /permissions/],
  ["401", http(401, "Bad credentials"), /credentials/, /APP_ID/],
  ["a timeout", Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" }), /did not answer in time/, /Re-run/],
  ["a refused connection", network("ECONNREFUSED"), /could not reach GitHub's API \(ECONNREFUSED\)/, /network access/],
  ["a connect timeout", network("UND_ERR_CONNECT_TIMEOUT"), /did not answer in time/, /Re-run/],
  ["a file too large", new FileTooLargeError("deploy/huge.yaml", 52_428_800, 2_097_152, "a render input"), /^deploy\/huge\.yaml is 52428800 bytes, over the limit of 2097152 for a render input$/, /smaller/],
  ["a plain failure", new PlainFailure("GitHub truncated the tree", "Set render.enabled: false."), /^GitHub truncated the tree$/, /^Set render/],
  ["anything else", new TypeError("Cannot read properties of undefined (reading 'x')"), /^an internal error in gitops-gate/, /delivery id/],
  ["a thrown string", "boom", /^an internal error/, /Re-run/],
])("%s", (_what, error, cause, action) => {
  const explained = explainFailure(error);
  expect(explained.cause).toMatch(cause);
  expect(explained.action).toMatch(action);
  expect(explained.cause).not.toMatch(/Cannot read|fetch failed|Bad Gateway|Resource not accessible/);
});

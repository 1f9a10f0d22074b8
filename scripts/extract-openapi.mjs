// Extracts from GitHub's published OpenAPI description (@octokit/openapi, ~385 MB
// installed) what the e2e emulator validates requests against: for each operation the
// App may call, its method, path template, parameters and request body schema.
// Usage: node scripts/extract-openapi.mjs <api.github.com.deref.json> > test/e2e/github-openapi.json
// (get the file with `npm pack @octokit/openapi@<version>`; the version is recorded.)
import { readFileSync } from "node:fs";

const OPERATIONS = [
  "apps/create-installation-access-token",
  "apps/get-repo-installation",
  "repos/get",
  "repos/get-content",
  "repos/get-commit",
  "repos/compare-commits-with-basehead",
  "repos/get-branch",
  "pulls/get",
  "pulls/list-files",
  "pulls/list-reviews",
  "pulls/create",
  "checks/create",
  "checks/update",
  "checks/get",
  "checks/list-for-ref",
  "checks/list-for-suite",
  "issues/list-comments",
  "issues/create-comment",
  "issues/update-comment",
  "git/get-tree",
  "git/get-blob",
  "git/get-commit",
  "git/create-blob",
  "git/create-tree",
  "git/create-commit",
  "git/create-ref",
  "git/create-tag",
  "repos/create-release",
  "repos/get-collaborator-permission-level",
  "reactions/create-for-issue-comment",
  // Policy sources in other repositories (issue 10), the reconciler (13), hardening (14),
  // unreviewed pushes, enforcement and baselines (15), waiver approvers (12).
  "apps/get-installation",
  "apps/list-repos-accessible-to-installation",
  "apps/list-installations",
  "pulls/list",
  "git/get-ref",
  "git/update-ref",
  "git/delete-ref",
  "repos/list-pull-requests-associated-with-commit",
  "repos/get-branch-rules",
  "repos/get-branch-protection",
  "repos/get-repo-rulesets",
  "repos/list-commits",
  "issues/create",
  "issues/update",
  "issues/list-for-repo",
  "issues/get",
  "teams/get-membership-for-user-in-org",
  "rate-limit/get",
  // The App's own slug (its bot's login), whose pushes are not reported as unreviewed (15).
  "apps/get-authenticated",
];

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = { source: `@octokit/openapi ${spec.info.version} (api.github.com)`, operations: [] };
const seen = new Set();
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!OPERATIONS.includes(op.operationId)) continue;
    seen.add(op.operationId);
    const body = op.requestBody?.content?.["application/json"]?.schema;
    out.operations.push({
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: p.schema })),
      ...(body ? { requestBody: { required: Boolean(op.requestBody.required), schema: body } } : {}),
    });
  }
}
const missing = OPERATIONS.filter((o) => !seen.has(o));
if (missing.length) {
  console.error(`extract-openapi: not in the description: ${missing.join(", ")}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");

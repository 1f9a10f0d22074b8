// Probot entry point: builds what every delivery shares, once, and registers the
// handlers. Logic lives in handlers/ and pipeline/; keep it out of here.
import { readFileSync } from "node:fs";
import type { ApplicationFunction } from "probot";
import { onCheckRequests } from "./handlers/check-run.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onMerge } from "./handlers/merge.js";
import { onCommentCommand } from "./handlers/comment-command.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { readBundle } from "./policy/bundle.js";
import { builtinBundlePath, packageVersion } from "./paths.js";

const app: ApplicationFunction = (probot) => {
  const bytes = readFileSync(builtinBundlePath());
  const bundle = readBundle(bytes, "built-in");
  const deps = {
    bundle: { bytes, digest: bundle.digest, rules: Object.values(bundle.metadata.rules) },
    toolVersion: packageVersion(),
  };
  onPullRequest(probot, deps);
  onCheckRequests(probot, deps);
  onMergeGroup(probot, deps);
  onMerge(probot);
  onCommentCommand(probot);
};

export default app;

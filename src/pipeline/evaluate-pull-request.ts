import { loadConfig } from "../config/load.js";
import { CONFIG_PATH, WAIVERS_PATH, type Config } from "../config/schema.js";
import type { FileReport } from "../evaluation/report.js";
import { decideVerdict, type Verdict } from "../evaluation/verdict.js";
import type { WorkerPool } from "../evaluation/worker-pool.js";
import type { CheckPublisher, CommentStore, RepoReader, RepoRef, SourceReader } from "../github/types.js";
import { formatCount, MAX_PULL_REQUEST_FILES } from "../limits.js";
import type { Logger } from "../log.js";
import { renderCheckRun } from "../render/check-run.js";
import { code, plain, text } from "../render/escape.js";
import { COMMENT_MARKER, commentState, renderComment } from "../render/comment.js";
import { loadPolicies, type BuiltinPolicies, type PolicyLibrary } from "./load-policies.js";
import type { BlobCache } from "./blob-cache.js";
import { evaluateChange, type RenderCache } from "./evaluate-change.js";
import { loadGatekeeperInventory } from "./gatekeeper-inventory.js";
import { gatekeeperNeeds, withGatekeeper } from "../policy/gatekeeper/bundles.js";
import { ownPolicyFolders, testPolicies, touchedFolders } from "./test-policies.js";
import { judgedFiles } from "./judged-files.js";
import { exclusion, selector } from "./select.js";
import { retryDelay } from "../queue/retry.js";
import { explainFailure } from "../github/failures.js";
import { evaluateBase } from "./evaluate-base.js";
import { loadWaivers } from "./load-waivers.js";
import { nonWaivableRules } from "../waivers/apply.js";
import { auditVerdict } from "./audit.js";
import { CheckRunHandle } from "./check-run-handle.js";

export interface PullRequestTarget {
  readonly repo: RepoRef;
  /** The pull request, or undefined for a merge group (evaluated by comparing commits). */
  readonly pull: number | undefined;
  readonly headSha: string;
  readonly baseRef: string;
  /** For a merge group: the commit its changes are measured from. */
  readonly baseSha?: string;
  readonly changedFiles: number;
  readonly draft: boolean;
  /** Who opened the pull request: their own approval never approves a waiver. */
  readonly author?: string;
  /** Identifies the work (the check run's external_id): a redelivery or a retry finds the run it started. */
  readonly runKey: string;
}

/** How this attempt relates to the job's others (queue retries, resumes after a crash). */
export interface Attempt {
  /** The check run an earlier attempt started, when it recorded one. */
  readonly checkRunId?: number;
  /** The last attempt: a failure is reported on the check run, not left for a retry. */
  readonly final: boolean;
  /** Records the check run for later attempts. */
  saveCheckRun(id: number): Promise<void>;
  /** The newer head of the pull request that makes this evaluation moot, if any. */
  supersededBy(): Promise<string | undefined>;
}

/** A single attempt with nothing before or after it (tests, the CLI). */
export const ONLY_ATTEMPT: Attempt = { final: true, saveCheckRun: async () => undefined, supersededBy: async () => undefined };

/** The policies every evaluation may use, built once when the App starts. */
export interface PolicyDeps {
  readonly builtin: BuiltinPolicies;
  readonly library: PolicyLibrary;
  readonly toolVersion: string;
  /** The App's worker threads (evaluation and rendering), started on first use. */
  readonly pool: () => Promise<WorkerPool>;
  /** File contents by blob id, and render outcomes by their inputs: shared by evaluations. */
  readonly blobs: BlobCache;
  readonly renders: RenderCache;
  /**
   * How long an evaluation may run before its check run shows `in_progress`; a verdict
   * reached sooner creates the run completed in one request. 0: start at once.
   */
  readonly checkRunStartMs?: number;
}

export interface PipelineDeps extends PolicyDeps {
  readonly reader: RepoReader;
  /** Reads policy sources in this and other repositories the installation can read. */
  readonly sources: SourceReader;
  readonly checks: CheckPublisher;
  readonly comments: CommentStore;
  readonly log: Pick<Logger, "info" | "warn" | "error">;
  /** The clock waivers expire by (tests set it). */
  readonly now?: () => Date;
  /** The one-line note while gitops-gate is not enforced on a release branch (enforcement.ts). */
  readonly enforcement?: (config: Config) => Promise<string | undefined>;
}

export type Outcome = "success" | "failure" | "duplicate" | "error" | "superseded";

/**
 * One evaluation of a pull request head, as numbered steps. Every check run started here
 * reaches `completed`: any failure before the verdict completes it as `failure` with the cause.
 */
export async function evaluatePullRequest(target: PullRequestTarget, deps: PipelineDeps, attempt: Attempt = ONLY_ATTEMPT): Promise<Outcome> {
  const { checks } = deps;
  // 1. The run this job started before (a retry, a redelivery, a resume after a crash):
  // completed means done; in progress means pick it up and finish it. Asked together with
  // everything the next steps read first (one GraphQL query, and the lists only REST gives).
  const found = attempt.checkRunId === undefined ? checks.findByExternalId(target.headSha, target.runKey) : undefined;
  askEarly(target, deps);
  let existing = attempt.checkRunId;
  let lookupFailed: unknown;
  if (found) {
    try {
      const listed = await found;
      if (listed?.completed) return "duplicate";
      existing = listed?.id;
    } catch (e) {
      // Not knowing whether a run exists: wait and ask again while attempts remain; the last
      // attempt reports the failure on a run of its own rather than leave the head without one.
      if (!attempt.final && retryDelay(e, 1) !== undefined) throw e;
      lookupFailed = e;
    }
  }
  // 2. The check run on the head commit: created when the verdict is ready, or in progress
  // once the evaluation has taken `checkRunStartMs`.
  const run = new CheckRunHandle(checks, { headSha: target.headSha, externalId: target.runKey, ...(existing !== undefined ? { existing } : {}), startDelayMs: deps.checkRunStartMs ?? 0, save: (id) => attempt.saveCheckRun(id) });
  let verdict: { config: Config; verdict: Verdict } | Outcome;
  try {
    if (lookupFailed !== undefined) throw lookupFailed;
    const newer = await attempt.supersededBy();
    verdict = newer ? await supersede(run, newer) : await judge(target, deps, run, attempt);
  } catch (e) {
    // GitHub turned us away for a while: leave the run in progress for the next attempt.
    if (!attempt.final && retryDelay(e, 1) !== undefined) {
      // A run not created yet shows it is in progress while the queue waits to retry.
      await run.started().catch(() => undefined);
      throw e;
    }
    // The cause in plain words; the raw error only in the log, under this delivery.
    const { cause, action } = explainFailure(e);
    deps.log.error({ err: e, headSha: target.headSha, runKey: target.runKey }, "evaluation failed");
    await run.finish("failure", {
      title: "gitops-gate could not finish the evaluation",
      summary: `### ⚠️ gitops-gate could not evaluate this change\n\nCause: ${text(cause, 1000)}.\n\nWhat to do: ${text(action, 1000)}\n\nNothing was judged, so the check fails closed (delivery ${code(target.runKey, { max: 80 })}).`,
    });
    return "error";
  }
  if (typeof verdict === "string") return verdict;
  // 9. The comment is a side effect of a verdict already published: best effort.
  await writeComment(target, deps, attempt, verdict.config, verdict.verdict).catch((e: unknown) => {
    deps.log.warn({ err: e, headSha: target.headSha }, "the pull request comment could not be written; the check run stands");
  });
  return verdict.verdict.conclusion;
}

/**
 * What the first steps read, asked before any is needed so they travel together: the
 * config and the waivers file (head and base) with the pull request's head and comments in
 * one GraphQL query, the changed files and the head's tree alongside. The reader and the
 * comment store keep the answers for the steps that use them; a failure here is seen
 * (and retried) by the step that needs the answer.
 */
function askEarly(target: PullRequestTarget, deps: PipelineDeps): void {
  const { reader } = deps;
  const early: Array<Promise<unknown>> = [
    reader.readFile(target.repo, CONFIG_PATH, target.baseRef),
    reader.readFile(target.repo, WAIVERS_PATH, target.headSha),
    reader.readFile(target.repo, WAIVERS_PATH, target.baseRef),
  ];
  if (target.pull !== undefined) early.push(reader.currentHead(target.pull), deps.comments.find(COMMENT_MARKER));
  if (!target.draft) {
    if (target.pull !== undefined) early.push(reader.listChangedFiles(target.pull, target.changedFiles));
    early.push(reader.tree(target.headSha));
  }
  for (const p of early) p.catch(() => undefined);
}

/** A newer push made this run moot: it completes neutral, never stays in progress. */
async function supersede(run: CheckRunHandle, newer: string): Promise<Outcome> {
  await run.finish("neutral", {
    title: `Superseded by ${newer.slice(0, 12)}`,
    summary: `### ⏭️ Superseded

A newer commit, \`${newer}\`, was pushed to this pull request before this one was judged; its own check run has the verdict.`,
  });
  return "superseded";
}

/** Steps 3 to 8: the verdict, published on the check run; or an outcome that ends the run early. */
async function judge(target: PullRequestTarget, deps: PipelineDeps, run: CheckRunHandle, attempt: Attempt): Promise<{ config: Config; verdict: Verdict } | Outcome> {
  const { reader } = deps;
  // 3. Config from the base branch (and the org's .github repo), never from the PR head.
  const loaded = await loadConfig(target.repo, (repo, path) =>
    reader.readFile(repo, path, repo.owner === target.repo.owner && repo.repo === target.repo.repo ? target.baseRef : undefined),
  );
  if (!loaded.ok) {
    const { error } = loaded;
    // The annotation goes on this repository's config: at the line at fault when the fault
    // is in it, else at its first line (the base it extends is another repository's file).
    const line = error.path === CONFIG_PATH ? error.line : 1;
    await run.finish(
      "failure",
      {
        title: "Invalid gitops-gate config",
        summary: `### ❌ The gitops-gate config on the base branch is invalid\n\n${code(error.path)} line ${error.line}: ${text(error.message, 2000)}\n\nFix the config on the base branch; until then every pull request fails this check.`,
      },
      [{ path: CONFIG_PATH, start_line: line, end_line: line, annotation_level: "failure", title: "Invalid gitops-gate config", message: plain(error.message, 4000) }],
    );
    return "failure";
  }
  const { config, sources } = loaded;
  // Whether the check is required on the base branch: asked now, alongside the next steps
  // (cached per repository and branch), used for the summary's note.
  const enforcement = deps.enforcement?.(config);
  enforcement?.catch(() => undefined);
  // 3b. Policies: the built-in packs the config keeps and its sources, compiled once per content.
  const policies = await loadPolicies(
    { config, judged: target.repo, baseRef: target.baseRef, allowExternal: loaded.allowExternal, builtin: deps.builtin, toolVersion: deps.toolVersion },
    { reader: deps.sources, library: deps.library, log: deps.log },
  );
  if (!policies.ok) {
    await run.finish("failure", { title: policies.title, summary: policies.summary }, policies.annotations);
    return "failure";
  }
  // 4. Draft pull requests pass with a note unless the config asks for them.
  if (target.draft && !config.drafts) {
    await run.finish("success", { title: "Draft: not evaluated", summary: "This pull request is a draft; gitops-gate evaluates it when it is ready for review (set `drafts: true` to evaluate drafts)." });
    return "success";
  }
  // 5. Changed files, all of them or fail closed.
  let changed =
    target.pull !== undefined
      ? await reader.listChangedFiles(target.pull, target.changedFiles)
      : await reader.diffCommits(target.baseSha ?? target.baseRef, target.headSha);
  // GitHub lists a pull request's files at its current head. When a push moved the head
  // after this event, that list is not this commit's: diff this commit's tree instead.
  if (target.pull !== undefined && target.baseSha && (await reader.currentHead(target.pull)) !== target.headSha) {
    changed = await reader.diffCommits(target.baseSha, target.headSha);
  }
  if (changed.truncated) {
    const summary =
      target.pull !== undefined
        ? `This pull request changes ${target.changedFiles} files; GitHub lists at most ${formatCount(MAX_PULL_REQUEST_FILES)} of a pull request's files, so gitops-gate cannot see them all and fails closed. Split the change into smaller pull requests.`
        : "GitHub truncated the commit trees of this merge group, so gitops-gate cannot see every changed file and fails closed.";
    await run.finish("failure", { title: "Too many changed files to evaluate", summary: `### ❌ ${summary}` });
    return "failure";
  }
  const notes: string[] = [];
  const enforced = await enforcement;
  if (enforced) notes.push(enforced);
  if (changed.files.some((f) => f.path === CONFIG_PATH)) {
    notes.push(`This pull request changes \`${CONFIG_PATH}\`; it was judged by the base branch's config, and the new config takes effect after merge.`);
  }
  const inFolder = (path: string, folder: string) => folder === "" || path.startsWith(`${folder}/`);
  for (const folder of policies.localFolders) {
    if (changed.files.some((f) => f.path.endsWith(".rego") && inFolder(f.path, folder))) {
      notes.push(`This pull request changes policies in ${code(`${folder || "."}/`)}; it was judged by the base branch's policies, and the new policies take effect after merge.`);
    }
  }
  const excluded = exclusion(config);
  // 5a. What is judged: sizes and kinds from the tree, links followed inside the repository.
  const judged = await judgedFiles({ headSha: target.headSha, changed: changed.files, select: selector(config) }, { reader, blobs: deps.blobs });
  notes.push(...judged.notes);

  // 5b. Rego of a policy source changed here: its own tests, strict check and compile.
  const policyReports: FileReport[] = [];
  if (changed.files.some((f) => f.path.endsWith(".rego"))) {
    const org = target.repo.repo === ".github" ? undefined : await loadConfig({ owner: target.repo.owner, repo: ".github" }, (repo, path) => reader.readFile(repo, path));
    const folders = touchedFolders(ownPolicyFolders(target.repo, [config, ...(org?.ok ? [org.config] : [])]), changed.files);
    if (folders.length) {
      const tested = await testPolicies({ judged: target.repo, headSha: target.headSha, folders }, { reader: deps.sources, opa: deps.library.opa });
      policyReports.push(...tested.reports);
      notes.push(...tested.notes);
    }
  }

  // 6-7. Render what the change touches and judge the objects; judge the other manifests as
  // files. Worker threads with time limits, with the config's namespaces and parameters.
  const pool = await deps.pool();
  // Gatekeeper templates see the evaluated commit: its manifests as data.inventory, its Constraints.
  const gatekeeper = gatekeeperNeeds(policies.bundles);
  let bundles = policies.bundles;
  if (gatekeeper.any) {
    const inventory = await loadGatekeeperInventory({ headSha: target.headSha, kinds: gatekeeper.kinds }, { reader, blobs: deps.blobs });
    bundles = withGatekeeper(bundles, inventory.context);
    notes.push(...inventory.notes);
  }
  const set = pool.policySet(bundles);
  const changedPaths = changed.files.map((f) => f.path).filter((p) => !excluded(p));
  // Where the judged files were at the base, asked now so the question travels in the same
  // GraphQL query as the head's contents; answered from memory if a finding needs it.
  if (target.baseSha && judged.files.length) reader.lookup(target.baseSha, judged.files.map((f) => f.previousPath ?? f.path)).catch(() => undefined);
  const evaluated = await evaluateChange({ headSha: target.headSha, files: judged.files, changedPaths, repo: target.repo }, config, set, { reader, pool, blobs: deps.blobs, renders: deps.renders });
  notes.push(...evaluated.notes);

  // 7b. The same files at the base, judged the same way (nothing to compare when the head has no findings).
  const judgedReports = [...evaluated.reports, ...judged.reports, ...policyReports];
  // Only files with findings are looked at there; roots are rendered there only when the head rendered.
  const withFindings = new Set(judgedReports.filter((r) => r.findings.some((f) => f.kind !== "error") || r.waived.length > 0).map((r) => r.path));
  const base = withFindings.size
    ? await evaluateBase(
        { repo: target.repo, baseSha: target.baseSha ?? (await reader.branchHead(target.baseRef)), changed: changed.files, manifests: judged.files.filter((f) => withFindings.has(f.path)), rendered: evaluated.renders.length > 0, formatOf: selector(config), excluded },
        config, set, { reader, pool, blobs: deps.blobs, renders: deps.renders },
      )
    : { reports: [], renames: new Map<string, string>() };
  // 7c. Waivers: the file at the head; entries this change adds or changes need an approval.
  const waivers = await loadWaivers({ repo: target.repo, baseRef: target.baseRef, headSha: target.headSha, pull: target.pull, ...(target.author ? { author: target.author } : {}) }, config, { reader, now: deps.now?.() ?? new Date() });

  // 8. The verdict, decided once, rendered and published on the check run; unless a newer
  // push arrived meanwhile, whose run will say it.
  const newer = await attempt.supersededBy();
  if (newer) return supersede(run, newer);
  const verdict = decideVerdict(judgedReports, config.block_on, {
    base, mode: config.verdict, never: nonWaivableRules(policies.rules, config.waivers.never), ...(waivers ? { waivers } : {}),
  });
  const rendered = renderCheckRun({ verdict, toolVersion: deps.toolVersion, policies: policies.provenance, renders: evaluated.renders, configSources: sources, headSha: target.headSha, notes });
  await run.finish(rendered.conclusion, rendered, rendered.annotations);
  auditVerdict(deps.log, target, verdict, policies.provenance.map((p) => p.digest));
  return { config, verdict };
}

/** The one PR comment, unless a newer push has moved the head on (its own run will write it). */
async function writeComment(target: PullRequestTarget, deps: PipelineDeps, attempt: Attempt, config: Config, verdict: Verdict): Promise<void> {
  if (config.comment === "never" || target.pull === undefined) return;
  // The newest head, without a request: GitHub's answer at the start of the job (askEarly),
  // and the queue's, which webhooks update as pushes arrive during the evaluation.
  const head = await deps.reader.currentHead(target.pull);
  const newer = head !== target.headSha ? head : await attempt.supersededBy();
  if (newer) {
    deps.log.info({ headSha: target.headSha, newHead: newer }, "head moved on; comment left to the newer evaluation");
    return;
  }
  // Read at the start of the job (askEarly): jobs of one pull request run one at a time, so
  // no other evaluation wrote the comment since.
  const existing = await deps.comments.find(COMMENT_MARKER);
  if (config.comment === "on-failure" && verdict.conclusion !== "failure" && !existing) return;
  const previous = existing ? commentState(existing.body) : undefined;
  const body = renderComment({ verdict, headSha: target.headSha, ...(previous ? { previous } : {}) });
  if (!existing) await deps.comments.create(body);
  else if (existing.body !== body) await deps.comments.update(existing.id, body);
}

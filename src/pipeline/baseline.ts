// The baseline of the default branch (issue 15): the repository-level drift report. When
// the config or the policies on the default branch change, when a policy source repository
// moves to a new commit, and daily (config `baseline`), the whole tree of the branch's head
// is judged with the built-in and configured policies and published as a completed
// `gitops-gate/baseline` check run on the head, with what changed since the previous
// baseline, read back from that run (never from memory).
import { createHash } from "node:crypto";
import { loadConfig } from "../config/load.js";
import { CONFIG_PATH } from "../config/schema.js";
import { decideVerdict } from "../evaluation/verdict.js";
import { explainFailure } from "../github/failures.js";
import type { ChangedFile, CheckPublisher, NamedChecks, RepoReader, RepoRef, SourceReader } from "../github/types.js";
import type { Logger } from "../log.js";
import { gatekeeperNeeds, withGatekeeper } from "../policy/gatekeeper/bundles.js";
import { baselineFacts, diffBaselines, readBaselineFacts, renderBaseline, samePolicies } from "../render/baseline.js";
import { code, text } from "../render/escape.js";
import { nonWaivableRules } from "../waivers/apply.js";
import { auditLog, policyDigest } from "./audit.js";
import { evaluateChange } from "./evaluate-change.js";
import type { PolicyDeps } from "./evaluate-pull-request.js";
import { loadGatekeeperInventory } from "./gatekeeper-inventory.js";
import { judgedFiles } from "./judged-files.js";
import { loadPolicies } from "./load-policies.js";
import { exclusion, selector } from "./select.js";
import { retryDelay } from "../queue/retry.js";

/** Commits of the branch looked at for the previous baseline when the head has none. */
export const BASELINE_HISTORY_DEPTH = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface BaselineRequest {
  readonly repo: RepoRef;
  /** The default branch. */
  readonly branch: string;
  /** The head to judge; undefined: the branch's tip when the job runs. */
  readonly headSha?: string;
  /** `change`: a push changed the config or the policies; `scheduled`: the reconciler's daily pass. */
  readonly reason: "change" | "scheduled";
  /** When it was asked for (the UTC hour, `2026-12-01T19`): one job per repository and slot. */
  readonly slot: string;
  /** Who pushed the change, for the audit trail. */
  readonly actor?: string;
  /** Paths the push changed (from its payload); undefined: unknown, judge anyway. */
  readonly changedPaths?: readonly string[];
}

export interface BaselineDeps extends PolicyDeps {
  readonly reader: RepoReader;
  readonly sources: SourceReader;
  /** `gitops-gate/baseline` runs: started, annotated and completed here. */
  readonly checks: CheckPublisher;
  /** The same runs read back (previous baselines). */
  readonly history: NamedChecks;
  readonly enforcement?: (branches: readonly string[], requireUpToDate: boolean) => Promise<string | undefined>;
  readonly log: Pick<Logger, "info" | "warn" | "error">;
  readonly now?: () => number;
  /**
   * Whether this is the job's last attempt. Before it, a failure GitHub says to wait out
   * (a rate limit, a 5xx) goes back to the queue with the run left in progress, and the
   * next attempt finds the run by its external id and finishes it.
   */
  readonly final?: boolean;
}

export type BaselineOutcome = "published" | "fresh" | "skipped" | "duplicate" | "failed";

/** Whether a push's paths touch the config or a local policy source (data files included). */
export function touchesPolicies(paths: readonly string[], localFolders: readonly string[], waiversPath: string): boolean {
  const inFolder = (p: string, folder: string) => folder === "" || p.startsWith(`${folder.replace(/\/$/, "")}/`);
  return paths.some((p) => p === CONFIG_PATH || p === waiversPath || p.endsWith(".rego") || localFolders.some((f) => inFolder(p, f)));
}

export async function publishBaseline(req: BaselineRequest, deps: BaselineDeps): Promise<BaselineOutcome> {
  const { reader } = deps;
  const now = deps.now?.() ?? Date.now();
  let head = req.headSha;
  try {
    head ??= await reader.branchHead(req.branch);
  } catch (e) {
    // An empty repository, or a default branch renamed since the job was asked for.
    if ((e as { status?: number }).status === 404) return "skipped";
    throw e;
  }
  // 1. Config and policies at the head: what a pull request into the branch is judged by.
  let configSha: string | null = null;
  const loaded = await loadConfig(req.repo, async (repo, path) => {
    const own = repo.owner === req.repo.owner && repo.repo === req.repo.repo;
    const f = await reader.readFile(repo, path, own ? head : undefined);
    if (own && path === CONFIG_PATH && f) configSha = f.sha;
    return f;
  });
  if (!loaded.ok) {
    deps.log.warn({ error: loaded.error, head }, "baseline: the config on the default branch is invalid; no baseline");
    return "skipped";
  }
  const { config } = loaded;
  if (req.reason === "scheduled" && config.baseline === "never") return "skipped";
  // A push that changed neither the config nor a policy of this repository leaves the baseline as it is.
  const localFolders = config.policies.sources.flatMap((src) => ("repo" in src ? [] : [src.path]));
  if (req.reason === "change" && req.changedPaths && !touchesPolicies(req.changedPaths, localFolders, config.waivers.path)) return "skipped";
  const policies = await loadPolicies(
    { config, judged: req.repo, baseRef: req.branch, allowExternal: loaded.allowExternal, builtin: deps.builtin, toolVersion: deps.toolVersion },
    { reader: deps.sources, library: deps.library, log: deps.log },
  );
  if (!policies.ok) {
    deps.log.warn({ title: policies.title, head }, "baseline: the policies cannot be loaded; no baseline");
    return "skipped";
  }

  // The enforcement audit rides along: the hourly pass opens and closes its issues even in
  // a repository without pull requests.
  const note = deps.enforcement ? await deps.enforcement([req.branch], config.enforcement.require_up_to_date) : undefined;

  // 2. The previous baseline: on the head, else the newest on the branch's recent commits.
  const onHead = (await deps.history.list(head)).filter((r) => r.completed);
  const previousRun = onHead[0] ?? (await deps.history.newestOnBranch(req.branch, BASELINE_HISTORY_DEPTH));
  const previous = previousRun ? readBaselineFacts(previousRun.text) : undefined;
  const provenance = policies.provenance.map((p) => ({ name: p.name, ...(p.commit ? { commit: p.commit } : {}), digest: p.digest }));
  let reason = req.reason === "change" ? "the config or the policies on the default branch changed" : "the daily baseline";
  if (req.reason === "scheduled" && previous && previousRun) {
    const moved = !samePolicies(previous.policies, provenance);
    const age = now - (Date.parse(previousRun.completedAt ?? "") || 0);
    if (!moved && age < DAY_MS) return "fresh";
    if (moved) reason = "a policy source moved to a new commit";
  }
  if (onHead.some((r) => { const f = readBaselineFacts(r.text); return f && samePolicies(f.policies, provenance) && f.configSha === configSha; })) return "duplicate";

  // 3. The run, started before the work so the head shows it is being judged.
  const externalId = `baseline:${head}:${createHash("sha256").update(JSON.stringify(provenance)).digest("hex").slice(0, 16)}`;
  const found = await deps.checks.findByExternalId(head, externalId);
  if (found?.completed) return "duplicate";
  const id = found?.id ?? (await deps.checks.start(head, externalId));
  try {
    // 4. Every file of the tree the config selects, judged; every root rendered.
    const tree = await reader.tree(head);
    const formatOf = selector(config);
    const excluded = exclusion(config);
    const files: ChangedFile[] = tree.files.filter((e) => formatOf(e.path)).map((e) => ({ path: e.path, status: "added", sha: e.sha, size: e.size, kind: e.kind }));
    const judged = await judgedFiles({ headSha: head, changed: files, select: formatOf }, { reader, blobs: deps.blobs });
    const pool = await deps.pool();
    const gatekeeper = gatekeeperNeeds(policies.bundles);
    let bundles = policies.bundles;
    const notes: string[] = [...judged.notes];
    if (tree.truncated) notes.push("GitHub truncated the tree of this commit: files it did not list are not in this baseline.");
    if (gatekeeper.any) {
      const inventory = await loadGatekeeperInventory({ headSha: head, kinds: gatekeeper.kinds }, { reader, blobs: deps.blobs });
      bundles = withGatekeeper(bundles, inventory.context);
      notes.push(...inventory.notes);
    }
    const set = pool.policySet(bundles);
    const evaluated = await evaluateChange({ headSha: head, files: judged.files, changedPaths: tree.files.map((e) => e.path).filter((p) => !excluded(p)) }, config, set, { reader, pool, blobs: deps.blobs, renders: deps.renders });
    notes.push(...evaluated.notes);
    if (note) notes.unshift(note);
    const verdict = decideVerdict([...evaluated.reports, ...judged.reports], config.block_on, { mode: "all", never: nonWaivableRules(policies.rules, config.waivers.never) });

    // 5. Published with the difference from the previous baseline.
    const facts = baselineFacts({ headSha: head, policies: policies.provenance, configSha, findings: verdict.findings.map((j) => j.finding) });
    const diff = diffBaselines(previous, facts, previousRun ? { url: previousRun.url } : undefined);
    const rendered = renderBaseline({ verdict, facts, diff, policies: policies.provenance, branch: req.branch, reason, notes });
    await deps.checks.annotate(id, rendered, rendered.annotations);
    await deps.checks.complete(id, rendered.conclusion, rendered);
    auditLog(deps.log, "baseline", {
      repository: `${req.repo.owner}/${req.repo.repo}`, commit: head, actor: req.actor ?? null, policyDigest: policyDigest(policies.provenance.map((p) => p.digest)),
      reason: req.reason, findings: facts.total, new: diff.added.length, resolved: diff.resolved.length,
    });
    return "published";
  } catch (e) {
    if (deps.final === false && retryDelay(e, 1) !== undefined) throw e;
    // Every run started here completes: a failure says its cause on the run.
    // The cause in plain words; the raw error only in the log, under this delivery.
    const { cause, action } = explainFailure(e);
    deps.log.error({ err: e, head }, "baseline failed");
    await deps.checks.complete(id, "neutral", {
      title: "gitops-gate could not finish the baseline",
      summary: `### ⚠️ The baseline of ${code(req.branch, { max: 255 })} could not be computed\n\nCause: ${text(cause, 1000)}.\n\nWhat to do: ${text(action, 1000)} The next change to the policies or the config, or the next scheduled pass, tries again.`,
    });
    return "failed";
  }
}

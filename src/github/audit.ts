// The Octokit side of the audit (issue 15): pull requests of a commit, the App's issues,
// the rules that make a check required, and check runs read back by name. Read-only on
// rules: the App never changes a ruleset or a branch protection.
import { MAX_PER_PAGE } from "../limits.js";
import type { Octokit } from "./octokit.js";
import type { BranchRules, CommitPull, IssueStore, KeptIssue, NamedChecks, NamedRun, PushReader, RepoRef, RequiredCheck, RulesReader } from "./types.js";

function status(e: unknown): number | undefined {
  return (e as { status?: number }).status;
}

export function octokitPushReader(octokit: Octokit, repo: RepoRef): PushReader {
  return {
    async pullsOf(sha) {
      const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: MAX_PER_PAGE });
      return data.map((p): CommitPull => ({ number: p.number, merged: Boolean(p.merged_at), mergeSha: p.merge_commit_sha ?? null }));
    },
  };
}

/** Issues of this App only: a marker copied into someone else's issue does not make it ours. */
export function octokitIssueStore(octokit: Octokit, repo: RepoRef): IssueStore {
  const kept = (i: { number: number; title: string; body?: string | null; html_url: string }): KeptIssue => ({ number: i.number, title: i.title, body: i.body ?? "", url: i.html_url });
  return {
    async findOpen(label, marker) {
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, { ...repo, state: "open", labels: label, per_page: MAX_PER_PAGE })) {
        const mine = page.data.find((i) => !i.pull_request && i.user?.type === "Bot" && (i.body ?? "").includes(marker));
        if (mine) return kept(mine);
      }
      return undefined;
    },
    async create({ title, body, labels }) {
      const { data } = await octokit.rest.issues.create({ ...repo, title, body, labels: [...labels] });
      return kept(data);
    },
    async update(number, { body, state, stateReason }) {
      await octokit.rest.issues.update({ ...repo, issue_number: number, ...(body !== undefined ? { body } : {}), ...(state ? { state } : {}), ...(stateReason ? { state_reason: stateReason } : {}) });
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body });
    },
  };
}

/**
 * Rulesets through the branch-rules endpoint (readable with `metadata: read`; organisation
 * rulesets included), branch protection through its own (needs `administration: read`:
 * 403 without it, 404 when the branch has none).
 */
export function octokitRulesReader(octokit: Octokit, repo: RepoRef): RulesReader {
  // https://api.github.com → https://github.com; http://ghe.example/api/v3 → http://ghe.example.
  const api = String(octokit.request.endpoint.DEFAULTS.baseUrl ?? "https://api.github.com");
  const web = api === "https://api.github.com" ? "https://github.com" : api.replace(/\/api\/v3\/?$/, "");
  return {
    settingsUrl: `${web}/${repo.owner}/${repo.repo}/settings/rules`,
    async branchRules(branch): Promise<BranchRules> {
      const checks: RequiredCheck[] = [];
      const { data: rules } = await octokit.rest.repos.getBranchRules({ ...repo, branch, per_page: MAX_PER_PAGE });
      for (const rule of rules) {
        if (rule.type !== "required_status_checks") continue;
        const p = (rule as { parameters?: { required_status_checks?: Array<{ context: string; integration_id?: number }>; strict_required_status_checks_policy?: boolean } }).parameters;
        for (const c of p?.required_status_checks ?? []) {
          checks.push({ context: c.context, ...(c.integration_id !== undefined ? { appId: c.integration_id } : {}), strict: Boolean(p?.strict_required_status_checks_policy), source: "ruleset" });
        }
      }
      try {
        const { data } = await octokit.rest.repos.getBranchProtection({ ...repo, branch });
        const r = data.required_status_checks;
        for (const c of r?.checks ?? []) checks.push({ context: c.context, ...(c.app_id !== null && c.app_id !== undefined ? { appId: c.app_id } : {}), strict: Boolean(r?.strict), source: "branch protection" });
        return { checks, protectionReadable: true };
      } catch (e) {
        if (status(e) === 404) return { checks, protectionReadable: true };
        if (status(e) === 403) return { checks, protectionReadable: false };
        throw e;
      }
    },
  };
}

type ListedRun = {
  id: number; head_sha: string; status: string; completed_at?: string | null; html_url?: string | null;
  output: { summary?: string | null; text?: string | null }; app?: { id?: number } | null;
};

export function octokitNamedChecks(octokit: Octokit, repo: RepoRef, appId: number, name: string): NamedChecks {
  const runsOf = async (sha: string, completed: boolean): Promise<NamedRun[]> => {
    const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: name, app_id: appId, per_page: MAX_PER_PAGE, ...(completed ? { status: "completed" as const } : {}) });
    return (data.check_runs as ListedRun[])
      .filter((r) => r.app?.id === appId)
      .map((r) => ({ id: r.id, headSha: r.head_sha, completed: r.status === "completed", completedAt: r.completed_at ?? null, summary: r.output.summary ?? "", text: r.output.text ?? "", url: r.html_url ?? "" }))
      .sort((a, b) => String(b.completedAt).localeCompare(String(a.completedAt)) || b.id - a.id);
  };
  return {
    list: (sha) => runsOf(sha, false),
    async newestOnBranch(branch, depth) {
      const { data: commits } = await octokit.rest.repos.listCommits({ ...repo, sha: branch, per_page: Math.min(depth, MAX_PER_PAGE) });
      for (const c of commits) {
        const run = (await runsOf(c.sha, true))[0];
        if (run) return run;
      }
      return undefined;
    },
    async publish(sha, externalId, conclusion, output) {
      const { data } = await octokit.rest.checks.create({
        ...repo, name, head_sha: sha, external_id: externalId, status: "completed", conclusion, completed_at: new Date().toISOString(),
        output: { title: output.title, summary: output.summary, ...(output.text ? { text: output.text } : {}) },
      });
      return { id: data.id, url: data.html_url ?? "" };
    },
  };
}

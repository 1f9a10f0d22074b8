// Fakes of the audit seams (issue 15): pull requests of a commit, the App's issues, branch
// rules, and check runs read back by name.
import type { BranchRules, CheckOutput, CommitPull, Conclusion, IssueStore, KeptIssue, NamedChecks, NamedRun, PushReader, RulesReader } from "../../src/github/types.js";

export class FakePushReader implements PushReader {
  /** Pull requests per commit. */
  readonly pulls = new Map<string, CommitPull[]>();
  readonly asked: string[] = [];
  async pullsOf(sha: string): Promise<readonly CommitPull[]> {
    this.asked.push(sha);
    return this.pulls.get(sha) ?? [];
  }
}

export class FakeIssueStore implements IssueStore {
  readonly issues: Array<{ number: number; title: string; body: string; url: string; labels: string[]; state: "open" | "closed"; comments: string[]; updates: number }> = [];
  async findOpen(label: string, marker: string): Promise<KeptIssue | undefined> {
    return this.issues.find((i) => i.state === "open" && i.labels.includes(label) && i.body.includes(marker));
  }
  async create(params: { title: string; body: string; labels: readonly string[] }): Promise<KeptIssue> {
    const issue = { number: this.issues.length + 1, title: params.title, body: params.body, url: `https://github.example/issues/${this.issues.length + 1}`, labels: [...params.labels], state: "open" as "open" | "closed", comments: [] as string[], updates: 0 };
    this.issues.push(issue);
    return issue;
  }
  async update(number: number, params: { body?: string; state?: "open" | "closed" }): Promise<void> {
    const i = this.issues.find((x) => x.number === number);
    if (!i) throw new Error(`update issue ${number}: no such issue`);
    if (params.body !== undefined) i.body = params.body;
    if (params.state) i.state = params.state;
    i.updates++;
  }
  async comment(number: number, body: string): Promise<void> {
    this.issues.find((x) => x.number === number)?.comments.push(body);
  }
}

export class FakeRulesReader implements RulesReader {
  readonly settingsUrl = "https://github.example/acme/deploy/settings/rules";
  /** Rules per branch; absent: nothing required, protection readable. */
  readonly rules = new Map<string, BranchRules>();
  reads = 0;
  failWith: Error | undefined;
  async branchRules(branch: string): Promise<BranchRules> {
    this.reads++;
    if (this.failWith) throw this.failWith;
    return this.rules.get(branch) ?? { checks: [], protectionReadable: true };
  }
}

export class FakeNamedChecks implements NamedChecks {
  readonly runs: Array<NamedRun & { externalId: string; conclusion: Conclusion; title: string }> = [];
  /** The branch's commits, newest first (for newestOnBranch). */
  history: string[] = [];
  async list(sha: string): Promise<readonly NamedRun[]> {
    return this.runs.filter((r) => r.headSha === sha).reverse();
  }
  async newestOnBranch(_branch: string, depth: number): Promise<NamedRun | undefined> {
    for (const sha of this.history.slice(0, depth)) {
      const run = (await this.list(sha))[0];
      if (run) return run;
    }
    return undefined;
  }
  async publish(sha: string, externalId: string, conclusion: Conclusion, output: CheckOutput): Promise<{ id: number; url: string }> {
    const id = this.runs.length + 1;
    const url = `https://github.example/runs/${id}`;
    this.runs.push({ id, headSha: sha, completed: true, completedAt: new Date().toISOString(), summary: output.summary, text: output.text ?? "", url, externalId, conclusion, title: output.title });
    return { id, url };
  }
}

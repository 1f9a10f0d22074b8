// Fake of the RevertWriter seam: commits, branches and pull requests it was asked for.
import type { RevertWriter, TreeChange } from "../../src/github/types.js";

export class FakeRevertWriter implements RevertWriter {
  readonly commits: Array<{ sha: string; parent: string; changes: readonly TreeChange[]; message: string }> = [];
  readonly branches = new Map<string, string>();
  readonly pulls: Array<{ number: number; title: string; head: string; base: string; body: string; open: boolean }> = [];
  readonly failWith: Partial<Record<keyof RevertWriter, Error>> = {};

  private enter(method: keyof RevertWriter): void {
    const error = this.failWith[method];
    if (error) throw error;
  }

  async commit(parent: string, changes: readonly TreeChange[], message: string): Promise<string> {
    this.enter("commit");
    const sha = `${(this.commits.length + 1).toString(16).padStart(40, "c")}`;
    this.commits.push({ sha, parent, changes, message });
    return sha;
  }

  async createBranch(name: string, sha: string): Promise<"created" | "exists"> {
    this.enter("createBranch");
    if (this.branches.has(name)) return "exists";
    this.branches.set(name, sha);
    return "created";
  }

  async resetBranch(name: string, sha: string): Promise<void> {
    this.enter("resetBranch");
    if (!this.branches.has(name)) throw new Error(`update ref heads/${name}: Reference does not exist`);
    this.branches.set(name, sha);
  }

  async findOpenPull(head: string): Promise<{ number: number; url: string } | undefined> {
    this.enter("findOpenPull");
    const pr = this.pulls.find((p) => p.head === head && p.open);
    return pr ? { number: pr.number, url: `https://github.example/pull/${pr.number}` } : undefined;
  }

  async openPull(params: { title: string; head: string; base: string; body: string }): Promise<{ number: number; url: string }> {
    this.enter("openPull");
    const number = 100 + this.pulls.length;
    this.pulls.push({ number, ...params, open: true });
    return { number, url: `https://github.example/pull/${number}` };
  }
}

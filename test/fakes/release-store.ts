// Fake of the ReleaseStore seam: release check runs by merge commit, tags and releases.
import type { ReleaseStore } from "../../src/github/types.js";

export class FakeReleaseStore implements ReleaseStore {
  readonly records = new Map<string, { id: number; title: string; summary: string; text: string }>();
  readonly tags = new Map<string, { mergeSha: string; name: string; body: string }>();
  readonly failWith: Partial<Record<keyof ReleaseStore, Error>> = {};

  private enter(method: keyof ReleaseStore): void {
    const error = this.failWith[method];
    if (error) throw error;
  }

  async find(mergeSha: string): Promise<{ id: number; text: string } | undefined> {
    this.enter("find");
    const r = this.records.get(mergeSha);
    return r ? { id: r.id, text: r.text } : undefined;
  }

  async publish(mergeSha: string, output: { title: string; summary: string; text: string }): Promise<{ id: number; url: string }> {
    this.enter("publish");
    const id = this.records.size + 1;
    this.records.set(mergeSha, { id, ...output });
    return { id, url: `https://github.example/runs/${id}` };
  }

  async tagRelease(params: { tag: string; mergeSha: string; name: string; body: string }): Promise<"created" | "exists"> {
    this.enter("tagRelease");
    if (this.tags.has(params.tag)) return "exists";
    this.tags.set(params.tag, params);
    return "created";
  }
}

// Fake of the CommentStore seam: one pull request's comments.
import type { CommentStore } from "../../src/github/types.js";

export class FakeCommentStore implements CommentStore {
  readonly comments: Array<{ id: number; body: string; edits: number }> = [];
  readonly failWith: Partial<Record<keyof CommentStore, Error>> = {};

  private enter(method: keyof CommentStore): void {
    const error = this.failWith[method];
    if (error) throw error;
  }

  async find(marker: string): Promise<{ id: number; body: string } | undefined> {
    this.enter("find");
    const c = this.comments.find((x) => x.body.includes(marker));
    return c ? { id: c.id, body: c.body } : undefined;
  }

  async create(body: string): Promise<void> {
    this.enter("create");
    this.comments.push({ id: this.comments.length + 1, body, edits: 0 });
  }

  async update(id: number, body: string): Promise<void> {
    this.enter("update");
    const c = this.comments.find((x) => x.id === id);
    if (!c) throw new Error(`update comment ${id}: not found`);
    c.body = body;
    c.edits++;
  }
}

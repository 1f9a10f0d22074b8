// Fake of the CheckPublisher seam: the runs it was asked to start, annotate and complete.
import type { Annotation, CheckOutput, CheckPublisher, Conclusion } from "../../src/github/types.js";

export interface FakeRun {
  readonly id: number;
  readonly headSha: string;
  readonly externalId: string;
  status: "in_progress" | "completed";
  conclusion?: Conclusion;
  output?: CheckOutput;
  annotations: Annotation[];
  completions: number;
}

export class FakeCheckPublisher implements CheckPublisher {
  readonly runs: FakeRun[] = [];
  readonly failWith: Partial<Record<keyof CheckPublisher, Error>> = {};

  private enter(method: keyof CheckPublisher): void {
    const error = this.failWith[method];
    if (error) throw error;
  }

  async findByExternalId(headSha: string, externalId: string): Promise<{ id: number; completed: boolean } | undefined> {
    this.enter("findByExternalId");
    const run = this.runs.find((r) => r.headSha === headSha && r.externalId === externalId);
    return run ? { id: run.id, completed: run.status === "completed" } : undefined;
  }

  async start(headSha: string, externalId: string): Promise<number> {
    this.enter("start");
    const run: FakeRun = { id: this.runs.length + 1, headSha, externalId, status: "in_progress", annotations: [], completions: 0 };
    this.runs.push(run);
    return run.id;
  }

  async annotate(id: number, _output: CheckOutput, annotations: readonly Annotation[]): Promise<void> {
    this.enter("annotate");
    this.run(id).annotations.push(...annotations);
  }

  async complete(id: number, conclusion: Conclusion, output: CheckOutput, annotations: readonly Annotation[] = []): Promise<void> {
    this.enter("complete");
    const run = this.run(id);
    run.annotations.push(...annotations);
    Object.assign(run, { status: "completed", conclusion, output, completions: run.completions + 1 });
  }

  async publish(headSha: string, externalId: string, conclusion: Conclusion, output: CheckOutput, annotations: readonly Annotation[]): Promise<number> {
    this.enter("publish");
    const run: FakeRun = { id: this.runs.length + 1, headSha, externalId, status: "completed", conclusion, output, annotations: [...annotations], completions: 1 };
    this.runs.push(run);
    return run.id;
  }

  private run(id: number): FakeRun {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new Error(`update check run ${id}: not found`);
    return run;
  }
}

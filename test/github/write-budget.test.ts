// The per-installation write budget: a burst waits for its own installation's window, the
// other installation writes at once; an hour used up hands the job back to the queue; the
// counters are shared through Redis by every replica.
import { isWrite, WriteBudget } from "../../src/github/write-budget.js";
import { MemoryQueue } from "../../src/queue/memory.js";
import { RedisQueue } from "../../src/queue/redis.js";
import { RetryableError } from "../../src/queue/retry.js";
import { RedisServer } from "../e2e/redis-server.js";

/** A clock that moves only when someone sleeps. */
function fakeClock(start: number) {
  const clock = { t: start, slept: [] as number[], now: () => clock.t, sleep: async (ms: number) => void (clock.slept.push(ms), (clock.t += ms)) };
  return clock;
}

test("writes beyond the minute's budget wait for the next minute; another installation does not wait", async () => {
  const queue = new MemoryQueue();
  const clock = fakeClock(Date.parse("2026-12-01T10:00:10Z"));
  const budget = new WriteBudget((n, ttl) => queue.count(n, ttl), { perMinute: 3, perHour: 100, maxWaitMs: 60_000, spacingMs: 0 }, clock);
  for (let i = 0; i < 3; i++) await budget.take(1);
  expect(clock.slept).toEqual([]);
  await budget.take(2);
  expect(clock.slept).toEqual([]);
  await budget.take(1);
  // From 10:00:10 to 10:01:00.
  expect(clock.slept).toEqual([50_000]);
  expect(budget.waits).toEqual({ count: 1, ms: 50_000 });
});

test("an hour's budget used up: the job goes back to the queue with the delay until the next hour", async () => {
  const queue = new MemoryQueue();
  const clock = fakeClock(Date.parse("2026-12-01T10:30:00Z"));
  const budget = new WriteBudget((n, ttl) => queue.count(n, ttl), { perMinute: 100, perHour: 2, maxWaitMs: 60_000, spacingMs: 0 }, clock);
  await budget.take(7);
  await budget.take(7);
  const error = await budget.take(7).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RetryableError);
  expect((error as RetryableError).delayMs).toBe(30 * 60_000);
  expect((error as Error).message).toMatch(/installation 7: 2 writes this hour used/);
});

test("what counts as a write: REST writes and GraphQL mutations, not reads, queries or installation tokens", () => {
  expect(isWrite({ method: "POST", url: "/repos/o/r/check-runs" })).toBe(true);
  expect(isWrite({ method: "PATCH", url: "/repos/o/r/check-runs/1" })).toBe(true);
  expect(isWrite({ method: "DELETE", url: "/repos/o/r/git/refs/heads/x" })).toBe(true);
  expect(isWrite({ method: "GET", url: "/repos/o/r/pulls/1/files" })).toBe(false);
  expect(isWrite({ method: "POST", url: "/graphql", query: "query q { viewer { login } }" })).toBe(false);
  expect(isWrite({ method: "POST", url: "/api/graphql", query: "mutation m { addComment(input: {}) { clientMutationId } }" })).toBe(true);
  expect(isWrite({ method: "POST", url: "/app/installations/12/access_tokens" })).toBe(false);
});

describe("shared by replicas through Redis", () => {
  const redis = new RedisServer();
  const queues: RedisQueue[] = [];
  beforeAll(() => redis.start(), 30_000);
  afterAll(async () => {
    for (const q of queues) await q.close(0);
    await redis.stop();
  });

  test("two replicas draw on one budget per installation", async () => {
    const a = new RedisQueue(redis.url);
    const b = new RedisQueue(redis.url);
    queues.push(a, b);
    const clock = fakeClock(Date.parse("2026-12-01T11:00:30Z"));
    const limits = { perMinute: 4, perHour: 100, maxWaitMs: 60_000, spacingMs: 0 };
    const onA = new WriteBudget((n, ttl) => a.count(n, ttl), limits, clock);
    const onB = new WriteBudget((n, ttl) => b.count(n, ttl), limits, clock);
    await Promise.all([onA.take(9), onB.take(9), onA.take(9), onB.take(9)]);
    expect(clock.slept).toEqual([]);
    await onB.take(9);
    expect(clock.slept).toEqual([30_000]);
  });
});

test("writes of one installation are a second apart; another installation's are not held up by them", async () => {
  const queue = new MemoryQueue();
  // Time stands still while they wait: each wait is measured from the same moment.
  const slept: number[] = [];
  const clock = { now: () => Date.parse("2026-12-01T12:00:00Z"), sleep: async (ms: number) => void slept.push(ms) };
  const budget = new WriteBudget((n, ttl) => queue.count(n, ttl), { perMinute: 100, perHour: 1000, maxWaitMs: 60_000, spacingMs: 1000 }, clock);
  await Promise.all([1, 1, 1, 2].map((installation) => budget.take(installation)));
  // Installation 1's second and third writes wait 1 s and 2 s; installation 2's first does not wait.
  expect(slept).toEqual([1000, 2000]);
});

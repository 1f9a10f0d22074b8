// The enforcement audit against fakes: what counts as enforced, the one-line note, the
// issue opened once and closed when the rule appears, and the short-lived cache.
import { enforcementNote, ENFORCEMENT_TTL_MS, forgetEnforcement, judgeEnforcement, NOT_ENFORCED_LABEL } from "../../src/pipeline/enforcement.js";
import { FakeIssueStore, FakeRulesReader } from "../fakes/audit.js";
import { FakeLog } from "../fakes/log.js";

const APP_ID = 123;
const REPO = { owner: "acme", repo: "deploy" };

beforeEach(() => forgetEnforcement());

describe("judgeEnforcement", () => {
  const rules = (checks: Array<{ context: string; appId?: number; strict?: boolean; source?: "ruleset" | "branch protection" }>, protectionReadable = true) => ({
    checks: checks.map((c) => ({ context: c.context, ...(c.appId !== undefined ? { appId: c.appId } : {}), strict: c.strict ?? false, source: c.source ?? ("ruleset" as const) })),
    protectionReadable,
  });

  test.each([
    ["pinned to this App by a ruleset", rules([{ context: "gitops-gate", appId: APP_ID }]), false, "enforced"],
    ["pinned by branch protection, protection readable", rules([{ context: "gitops-gate", appId: APP_ID, source: "branch protection" }]), false, "enforced"],
    ["pinned by a ruleset while protection is unreadable", rules([{ context: "gitops-gate", appId: APP_ID }], false), false, "enforced"],
    ["nothing required", rules([]), false, "missing"],
    ["another check required", rules([{ context: "ci", appId: 1 }]), false, "missing"],
    ["required without a source App", rules([{ context: "gitops-gate" }]), false, "missing"],
    ["required, pinned to another App", rules([{ context: "gitops-gate", appId: 999 }]), false, "missing"],
    ["pinned but not up to date while the config asks for it", rules([{ context: "gitops-gate", appId: APP_ID }]), true, "missing"],
    ["pinned and strict while the config asks for it", rules([{ context: "gitops-gate", appId: APP_ID, strict: true }]), true, "enforced"],
    ["protection unreadable, no ruleset", rules([], false), false, "unknown"],
    ["protection unreadable, an unpinned ruleset", rules([{ context: "gitops-gate" }], false), false, "unknown"],
  ])("%s", (_name, r, upToDate, state) => {
    expect(judgeEnforcement(r, APP_ID, upToDate).state).toBe(state);
  });
});

describe("enforcementNote", () => {
  function world() {
    const rules = new FakeRulesReader();
    const issues = new FakeIssueStore();
    const log = new FakeLog();
    let now = 1_000_000;
    const deps = { rules, issues, appId: APP_ID, log, now: () => now };
    return { rules, issues, log, deps, tick: (ms: number) => (now += ms) };
  }

  test("not enforced: one line with the settings link, one issue; enforced later: the issue is closed", async () => {
    const w = world();
    const note = await enforcementNote({ repo: REPO, branches: ["main"], requireUpToDate: false }, w.deps);
    expect(note).toBe("⚠️ gitops-gate is not enforced on `main`: it is not a required status check pinned to this App, so this verdict does not block merging ([rules settings](https://github.example/acme/deploy/settings/rules)).");
    expect(note).not.toContain("\n");
    expect(w.issues.issues).toEqual([expect.objectContaining({ title: "gitops-gate is not enforced on main", labels: [NOT_ENFORCED_LABEL], state: "open" })]);
    expect(w.log.lines.some((l) => (l.obj as { audit?: string }).audit === "enforcement-missing")).toBe(true);

    // Within the cache's lifetime: no request, no second issue.
    await enforcementNote({ repo: REPO, branches: ["main"], requireUpToDate: false }, w.deps);
    expect(w.rules.reads).toBe(1);
    expect(w.issues.issues).toHaveLength(1);

    // The rule appears; once the answer expires the App sees it and closes its issue.
    w.rules.rules.set("main", { checks: [{ context: "gitops-gate", appId: APP_ID, strict: false, source: "ruleset" }], protectionReadable: true });
    w.tick(ENFORCEMENT_TTL_MS + 1);
    expect(await enforcementNote({ repo: REPO, branches: ["main"], requireUpToDate: false }, w.deps)).toBeUndefined();
    expect(w.rules.reads).toBe(2);
    expect(w.issues.issues[0]).toMatchObject({ state: "closed", comments: [expect.stringContaining("now a required status check")] });
  });

  test("unreadable protection: the could-not-be-verified note and no issue", async () => {
    const w = world();
    w.rules.rules.set("release/1.x", { checks: [], protectionReadable: false });
    const note = await enforcementNote({ repo: REPO, branches: ["release/1.x"], requireUpToDate: false }, w.deps);
    expect(note).toContain("gitops-gate enforcement could not be verified on `release/1.x`");
    expect(note).toContain("`administration: read`");
    expect(w.issues.issues).toEqual([]);
  });

  test("a branch name cannot break the note or the issue's marker", async () => {
    const w = world();
    const branch = "x-->`@team` *y*";
    const note = await enforcementNote({ repo: REPO, branches: [branch], requireUpToDate: false }, w.deps);
    expect(note).toContain("``x-->`@team` *y*``");
    expect(w.issues.issues[0]?.body.split("\n")[0]).toBe(`<!-- gitops-gate:enforcement:${encodeURIComponent(branch)} -->`);
  });

  test("rules that cannot be read cost the check nothing", async () => {
    const w = world();
    w.rules.failWith = Object.assign(new Error("boom"), { status: 500 });
    expect(await enforcementNote({ repo: REPO, branches: ["main"], requireUpToDate: false }, w.deps)).toBeUndefined();
    expect(w.log.lines.some((l) => l.level === "warn")).toBe(true);
  });
});

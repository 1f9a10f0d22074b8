// Waivers as reviewed data: the file read entry by entry, and the verdict with waivers
// applied: what they waive, what is wrong with them, what cannot be waived.
import { decideVerdict } from "../../src/evaluation/verdict.js";
import type { FileReport } from "../../src/evaluation/report.js";
import type { Finding } from "../../src/policy/types.js";
import { addDays, nonWaivableRules, WAIVER_RULES, type WaiverInput, type WaiverSet } from "../../src/waivers/apply.js";
import { parseWaivers } from "../../src/waivers/parse.js";

const PATH = ".github/gitops-gate-waivers.yml";
const TODAY = "2026-11-26";

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: "k8s-host-network", kind: "deny", severity: "high", title: "Pod must not use the host network", message: "uses the host network",
  file: "deploy/monitoring/node-exporter.yaml", line: 12, document: 0, field: "spec.template.spec.hostNetwork", resource: "DaemonSet/monitoring/node-exporter", ...over,
});
const report = (findings: Finding[], waived: FileReport["waived"] = []): FileReport => ({ path: "x.yaml", format: "yaml", status: "evaluated", documents: 1, findings, waived });

const WAIVER = `- rule: k8s-host-network
  resources: ["DaemonSet/monitoring/node-exporter"]
  reason: node-exporter reads host metrics
  owner: "@acme/observability"
  expires: 2027-01-31
`;

function set(text: string, over: Partial<WaiverSet> & { origin?: "base" | "new"; approved?: boolean } = {}): WaiverSet {
  const file = parseWaivers(PATH, Buffer.from(text));
  const entries: WaiverInput[] = file.entries.map((e) => ({ ...e, origin: over.origin ?? "base", approved: over.approved ?? (over.origin ?? "base") === "base" }));
  return { path: PATH, entries, today: TODAY, maxDays: 90, ...(file.error ? { error: file.error } : {}), ...over };
}

const ids = (v: ReturnType<typeof decideVerdict>) => v.findings.filter((j) => !j.waiver).map((j) => `${j.finding.ruleId}${j.blocks ? " blocks" : ""}`);

describe("the waivers file", () => {
  test("entries with their lines; every missing or malformed field named", () => {
    const file = parseWaivers(PATH, Buffer.from(`${WAIVER}- rule: k8s-privileged\n  resource: [x]\n  owner: "not a team!"\n  expires: 2027-02-30\n`));
    expect(file.entries.map((e) => [e.line, e.problems.length])).toEqual([[1, 0], [6, 5]]);
    expect(file.entries[0]).toMatchObject({ rule: "k8s-host-network", resources: ["DaemonSet/monitoring/node-exporter"], owner: "@acme/observability", expires: "2027-01-31" });
    expect(file.entries[1]?.problems.join("\n")).toMatch(/`resource` is not a known key[\s\S]*both missing[\s\S]*`reason` is missing[\s\S]*not a user[\s\S]*not a date/);
  });

  test("a file that is not a list, or not YAML, is an error at its line", () => {
    expect(parseWaivers(PATH, Buffer.from("rule: x\n")).error).toMatchObject({ line: 1, message: expect.stringContaining("must be a YAML list") });
    expect(parseWaivers(PATH, Buffer.from("- rule: [\n")).error?.line).toBeGreaterThan(0);
    expect(parseWaivers(PATH, Buffer.from("# no waivers yet\n"))).toEqual({ path: PATH, entries: [] });
  });

  test("the same entry at base and head has the same key, whatever the order of its keys", () => {
    const a = parseWaivers(PATH, Buffer.from(WAIVER)).entries[0];
    const b = parseWaivers(PATH, Buffer.from(`- expires: 2027-01-31\n  owner: "@acme/observability"\n  reason: node-exporter reads host metrics\n  resources: ["DaemonSet/monitoring/node-exporter"]\n  rule: k8s-host-network\n`)).entries[0];
    expect(a?.key).toBe(b?.key);
    expect(a?.key).not.toBe(parseWaivers(PATH, Buffer.from(WAIVER.replace("2027-01-31", "2027-02-01"))).entries[0]?.key);
  });
});

describe("waivers in the verdict", () => {
  test("a waiver on the base waives its finding: listed with reason, owner and expiry, not blocking", () => {
    const v = decideVerdict([report([finding()])], ["deny"], { waivers: set(WAIVER) });
    expect(v.conclusion).toBe("success");
    expect(v.findings[0]).toMatchObject({ blocks: false, waiver: { reason: "node-exporter reads host metrics", owner: "@acme/observability", expires: "2027-01-31" } });
    expect(v.counts).toMatchObject({ denied: 0, waived: 1 });
    expect(v.waivers).toEqual([expect.objectContaining({ state: "active", matched: 1, waived: 1 })]);
  });

  test("scope: resources and paths (globs), both when both are given; other rules and objects stay", () => {
    const other = finding({ resource: "DaemonSet/monitoring/other", file: "deploy/monitoring/other.yaml" });
    const byPath = set(WAIVER.replace('resources: ["DaemonSet/monitoring/node-exporter"]', 'paths: ["deploy/monitoring/**"]'));
    expect(decideVerdict([report([finding(), other])], ["deny"], { waivers: byPath }).counts.waived).toBe(2);
    const both = set(WAIVER.replace("  reason:", '  paths: ["deploy/other/**"]\n  reason:'));
    expect(decideVerdict([report([finding()])], ["deny"], { waivers: both }).counts.waived).toBe(0);
    const glob = set(WAIVER.replace("node-exporter\"]", "*\"]"));
    expect(decideVerdict([report([finding(), other, finding({ ruleId: "k8s-host-pid" })])], ["deny"], { waivers: glob }).counts.waived).toBe(2);
  });

  test("a new waiver without approval does not waive, and blocks as pending whatever block_on says", () => {
    const v = decideVerdict([report([finding()])], ["critical"], { waivers: set(WAIVER, { origin: "new", approved: false, approvers: "@acme/sre" }) });
    expect(ids(v)).toEqual([WAIVER_RULES.pending + " blocks", "k8s-host-network"]);
    const pending = v.findings.find((j) => j.finding.ruleId === WAIVER_RULES.pending)?.finding;
    expect(pending).toMatchObject({ file: PATH, line: 1 });
    expect(pending?.message).toContain("@acme/sre");
    const approved = decideVerdict([report([finding()])], ["deny"], { waivers: set(WAIVER, { origin: "new", approved: true }) });
    expect(approved.conclusion).toBe("success");
  });

  test("an expired waiver no longer waives and is a warning", () => {
    const v = decideVerdict([report([finding()])], ["deny"], { waivers: set(WAIVER.replace("2027-01-31", "2026-11-25")) });
    expect(ids(v)).toEqual([`${WAIVER_RULES.expired}`, "k8s-host-network blocks"]);
    // The last day still counts.
    expect(decideVerdict([report([finding()])], ["deny"], { waivers: set(WAIVER.replace("2027-01-31", TODAY)) }).conclusion).toBe("success");
  });

  test("past max_days, incomplete, or matching nothing: a warning; the first two waive nothing", () => {
    const far = set(WAIVER.replace("2027-01-31", addDays(TODAY, 91)));
    expect(ids(decideVerdict([report([finding()])], ["deny"], { waivers: far }))).toEqual([WAIVER_RULES.invalid, "k8s-host-network blocks"]);
    const incomplete = set(WAIVER.replace(/ {2}reason: .*\n/, ""));
    expect(ids(decideVerdict([report([finding()])], ["deny"], { waivers: incomplete }))).toEqual([WAIVER_RULES.invalid, "k8s-host-network blocks"]);
    const unused = set(WAIVER.replace("node-exporter\"]", "nothing\"]"), { origin: "new", approved: true });
    expect(ids(decideVerdict([report([finding()])], ["deny"], { waivers: unused }))).toEqual([WAIVER_RULES.unused, "k8s-host-network blocks"]);
    // An entry already on the base that names nothing in this change is not this change's business.
    expect(ids(decideVerdict([report([finding()])], ["deny"], { waivers: set(WAIVER.replace("node-exporter\"]", "nothing\"]").replace("2027-01-31", "2020-01-01")) }))).toEqual(["k8s-host-network blocks"]);
  });

  test("a waiver for a rule that cannot be waived is itself a blocking finding; the finding stands", () => {
    const rules = [{ key: "k/deny_privileged", namespace: "k", rule: "deny_privileged", kind: "deny" as const, id: "k8s-privileged", waivable: false as const }];
    const never = nonWaivableRules(rules, ["k8s-host-network"]);
    expect([...never].sort()).toEqual(["k8s-host-network", "k8s-privileged"]);
    const v = decideVerdict([report([finding()])], ["deny"], { waivers: set(WAIVER), never });
    expect(ids(v)).toEqual([`${WAIVER_RULES.notAllowed} blocks`, "k8s-host-network blocks"]);
    // A result that says it cannot be waived (a hostPath of /), under a rule that can be.
    const root = finding({ ruleId: "k8s-host-path", waivable: false, field: "spec.template.spec.volumes[0].hostPath" });
    const v2 = decideVerdict([report([root])], ["deny"], { waivers: set(WAIVER.replace("k8s-host-network", "k8s-host-path")) });
    expect(ids(v2)).toEqual([`${WAIVER_RULES.notAllowed} blocks`, "k8s-host-path blocks"]);
  });

  test("a conftest exception for a rule that cannot be waived: the finding stands, with a blocking finding beside it", () => {
    const privileged = finding({ ruleId: "k8s-privileged", waivable: false });
    const waived = [{ file: privileged.file, document: 0, namespace: "kubernetes.security", rule: "deny_privileged", message: "data.kubernetes.security.exception[_][_] == \"privileged\"", waived: [privileged.message], findings: [privileged] }];
    const v = decideVerdict([report([], waived)], ["deny"]);
    expect(ids(v)).toEqual([`${WAIVER_RULES.exceptionNotAllowed} blocks`, "k8s-privileged blocks"]);
    expect(v.findings[0]?.finding.remediation).toContain("Remove `privileged` from the package's `exception` rule");
    expect(v.counts.waived).toBe(0);
    // config waivers.never does the same for a rule that can otherwise be waived.
    const hostNet = finding();
    const byConfig = decideVerdict([report([], [{ ...waived[0]!, rule: "deny_host_network", waived: [hostNet.message], findings: [hostNet] }])], ["deny"], { never: new Set(["k8s-host-network"]) });
    expect(byConfig.conclusion).toBe("failure");
    // Other exceptions are honoured, as conftest does.
    const honoured = decideVerdict([report([], [{ ...waived[0]!, rule: "deny_host_network", waived: [hostNet.message], findings: [hostNet] }])], ["deny"]);
    expect([honoured.conclusion, honoured.counts.waived, honoured.exceptions.length]).toEqual(["success", 1, 1]);
  });

  test("with a base: findings about base waivers are pre-existing, about new ones new", () => {
    const expired = set(WAIVER.replace("2027-01-31", "2026-01-01"));
    const base = { reports: [report([finding()])] };
    const v = decideVerdict([report([finding()])], ["deny"], { base, mode: "new", waivers: expired });
    expect(v.findings.map((j) => [j.finding.ruleId, j.baseline, j.blocks])).toEqual([
      [WAIVER_RULES.expired, "pre-existing", false], ["k8s-host-network", "pre-existing", false],
    ]);
    expect(v.conclusion).toBe("success");
  });

  test("an unreadable waivers file is a warning and waives nothing", () => {
    const v = decideVerdict([report([finding()])], ["deny"], { waivers: set("rule: x\n") });
    expect(ids(v)).toEqual([WAIVER_RULES.invalid, "k8s-host-network blocks"]);
  });
});

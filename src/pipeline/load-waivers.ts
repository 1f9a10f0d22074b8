// Step "waivers": the waivers file at the head, each entry marked as already on the base
// branch (it applies) or added or changed by this change (it applies once a waiver approver
// other than the author approves the pull request at its head commit). Approvers are config
// `waivers.approvers`, else the CODEOWNERS of the waivers file on the base branch (trusted
// like the config: a pull request cannot make its author an approver).
import type { Config } from "../config/schema.js";
import type { RepoReader, RepoRef } from "../github/types.js";
import { CODEOWNERS_PATHS, codeOwners, codeOwnersMatcher } from "../release/record.js";
import type { WaiverInput, WaiverSet } from "../waivers/apply.js";
import { parseWaivers } from "../waivers/parse.js";

export interface WaiverTarget {
  readonly repo: RepoRef;
  readonly baseRef: string;
  readonly headSha: string;
  /** The pull request; undefined for a merge group, whose pull requests were each approved before they were queued. */
  readonly pull: number | undefined;
  readonly author?: string;
}

/** `YYYY-MM-DD` of a moment, in UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const login = (s: string) => s.replace(/^@/, "").toLowerCase();

/** Who may approve: config, else CODEOWNERS of the waivers file on the base branch. */
async function waiverApprovers(target: WaiverTarget, config: Pick<Config, "waivers">, reader: RepoReader): Promise<{ owners: string[]; from: string }> {
  if (config.waivers.approvers.length) return { owners: config.waivers.approvers.map((o) => (o.startsWith("@") ? o : `@${o}`)), from: "config waivers.approvers" };
  for (const path of CODEOWNERS_PATHS) {
    const file = await reader.readFile(target.repo, path, target.baseRef);
    if (file) return { owners: codeOwners(Buffer.from(file.bytes).toString("utf8"), [config.waivers.path], codeOwnersMatcher()), from: `CODEOWNERS of ${config.waivers.path}` };
  }
  return { owners: [], from: "CODEOWNERS" };
}

/** Reviewers (not the author) whose approval of the head commit counts: named, or members of a named team. */
async function approvingApprovers(target: WaiverTarget & { pull: number }, owners: readonly string[], reader: RepoReader): Promise<string[]> {
  const author = target.author ? login(target.author) : undefined;
  const reviewers = (await reader.approvers(target.pull, target.headSha)).filter((u) => login(u) !== author);
  const out: string[] = [];
  for (const user of reviewers) {
    for (const owner of owners) {
      const [org, team] = owner.replace(/^@/, "").split("/", 2) as [string, string | undefined];
      if (team ? await reader.isTeamMember(org, team, user) : login(owner) === login(user)) {
        out.push(user);
        break;
      }
    }
  }
  return out;
}

/** The waivers of the change, or undefined when the head has no waivers file. */
export async function loadWaivers(target: WaiverTarget, config: Pick<Config, "waivers">, deps: { reader: RepoReader; now: Date }): Promise<WaiverSet | undefined> {
  const { reader } = deps;
  const path = config.waivers.path;
  const [head, base] = await Promise.all([reader.readFile(target.repo, path, target.headSha), reader.readFile(target.repo, path, target.baseRef)]);
  if (!head) return undefined;
  const common = { path, today: utcDay(deps.now), maxDays: config.waivers.max_days };
  const parsed = parseWaivers(path, head.bytes);
  if (parsed.error) return { ...common, entries: [], error: parsed.error };
  // An entry counts as on the base when the base holds the very same entry (any position).
  const onBase = new Map<string, number>();
  for (const e of base ? parseWaivers(path, base.bytes).entries : []) onBase.set(e.key, (onBase.get(e.key) ?? 0) + 1);
  const origins = parsed.entries.map((e) => {
    const n = onBase.get(e.key) ?? 0;
    if (n > 0) onBase.set(e.key, n - 1);
    return n > 0 ? ("base" as const) : ("new" as const);
  });
  if (!origins.includes("new")) return { ...common, entries: parsed.entries.map((e) => ({ ...e, origin: "base", approved: true })) };
  let approved = false;
  let approvedBy: string[] = [];
  let approvers: string;
  if (target.pull === undefined) {
    approved = true;
    approvers = "approved in their pull requests";
  } else {
    const who = await waiverApprovers(target, config, reader);
    approvers = who.owners.length ? `${who.owners.join(", ")}, from ${who.from}` : `nobody: set waivers.approvers or name owners of ${path} in CODEOWNERS`;
    approvedBy = who.owners.length ? await approvingApprovers({ ...target, pull: target.pull }, who.owners, reader) : [];
    approved = approvedBy.length > 0;
  }
  const entries: WaiverInput[] = parsed.entries.map((e, i) => ({ ...e, origin: origins[i] ?? "new", approved: origins[i] === "base" || approved }));
  return { ...common, entries, approvers, approvedBy };
}

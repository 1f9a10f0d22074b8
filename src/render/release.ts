import { parseImage, resourceKey, type EnvironmentFacts } from "../release/facts.js";
import { fitRecord } from "../release/compact.js";
import type { ReleaseRecord } from "../release/record.js";
import { MAX_CHECK_OUTPUT, MAX_COMMENT_BODY } from "../limits.js";
import { code, mention, owner, text, url } from "./escape.js";
import { truncate } from "./truncate.js";

export const RELEASE_COMMENT_MARKER = "<!-- gitops-gate:release-record -->";
/** Room kept free in a comment for the marker and the link to the machine-readable record. */
const COMMENT_FOOTER_ROOM = 200;

function img(ref: string | null): string {
  if (!ref) return "—";
  const p = parseImage(ref);
  return `${code(p.repository)}${p.tag ? ` tag ${code(p.tag, { max: 128 })}` : ""}${p.digest ? ` digest ${code(`${p.digest.slice(0, 19)}…`)}` : ""}`;
}

/** A value of a fact (a replica count, a chart version), as code, or a word when absent. */
const value = (v: string | number | null, absent: string) => (v === null ? absent : code(String(v), { max: 100 }));

/** An environment's facts: heading, resources, images, replicas and charts before → after. */
export function environmentLines(env: EnvironmentFacts, options: { warnings?: boolean } = {}): string[] {
  const lines = [`#### Environment ${code(env.environment, { max: 100 })}`, ""];
  if (env.added.length) lines.push(`- Added: ${env.added.map((x) => code(resourceKey(x))).join(", ")}`);
  if (env.changed.length) lines.push(`- Changed: ${env.changed.map((x) => code(resourceKey(x))).join(", ")}`);
  if (env.removed.length) lines.push(`- Removed: ${env.removed.map((x) => code(resourceKey(x))).join(", ")}`);
  for (const i of env.images) lines.push(`- Image ${code(i.workload)} container ${code(i.container)}: ${img(i.before)} → ${img(i.after)}`);
  for (const x of env.replicas) lines.push(`- Replicas ${code(x.resource)}: ${value(x.before, "unset")} → ${value(x.after, "unset")}`);
  for (const c of env.charts) lines.push(`- ${text(c.resource)}: ${value(c.before, "absent")} → ${value(c.after, "absent")}`);
  // The merge record says these in its rollback notes; elsewhere they stand on their own.
  if (options.warnings) for (const w of env.irreversible) lines.push(`- ⚠️ Data loss: ${text(w)}`);
  return lines;
}

/** The human release record: what changed where, who approved, policy verdict, rollback notes. */
export function renderReleaseMarkdown(r: ReleaseRecord): string {
  const lines: string[] = [
    `### Release record: #${r.pullRequest.number} ${text(r.pullRequest.title, 256)}`,
    "",
    `Merged ${text(r.mergedAt, 40)} by ${mention(r.mergedBy)} into ${code(r.branch, { max: 255 })} (${text(r.mergeMethod)}) as ${code(r.mergeSha.slice(0, 12))}; author ${mention(r.author)}; approved by ${r.approvedBy.length ? r.approvedBy.map(mention).join(", ") : "nobody"}.`,
    `Policy at the merged head: **${text(r.policy.verdict)}**${url(r.policy.checkRunUrl) ? ` ([check run](${url(r.policy.checkRunUrl)}))` : ""}${r.policy.acceptedWarnings ? `, ${Number(r.policy.acceptedWarnings)} warning(s) accepted` : ""}.`,
    ...(r.policy.waivers?.length
      ? [
          `Waivers in force: ${r.policy.waivers
            .map((w) => `${code(w.rule, { max: 200 })} on ${[...w.resources, ...w.paths].map((x) => code(x, { max: 300 })).join(", ")} until ${text(w.expires, 40)} (owner ${text(w.owner, 200)}: ${text(w.reason, 500)})`)
            .join("; ")}.`,
        ]
      : []),
    ...(r.pullRequest.labels.length ? [`Labels: ${r.pullRequest.labels.map((l) => code(l, { max: 100 })).join(", ")}.`] : []),
    ...(r.pullRequest.linkedIssues.length ? [`Linked issues: ${r.pullRequest.linkedIssues.map((n) => `#${Number(n)}`).join(", ")}.`] : []),
    "",
  ];
  for (const e of r.renderErrors ?? []) lines.push(`> ⚠️ Not in this record: ${text(e)}`, "");
  if (r.configError) lines.push(`> ⚠️ The gitops-gate config is invalid (${text(r.configError)}); this record uses the built-in settings: one environment, owners from CODEOWNERS or the merger.`, "");
  if (!r.manifestsChanged) lines.push("No manifests changed in this merge: nothing to roll out or roll back.");
  for (const env of r.environments) {
    lines.push(...environmentLines(env));
    const rb = env.rollback;
    lines.push(
      "",
      `**Rollback** (owner: ${rb.owners.map(owner).join(", ")}, from ${text(rb.ownersFrom)})`,
      "",
      ...rb.warnings.map((w) => `> ⚠️ ${text(w)}`),
      ...(rb.warnings.length ? [""] : []),
      ...(rb.restore.length ? ["Return to:", ...rb.restore.map((s) => `- ${text(s)}`), ""] : []),
      `- Revert: ${code(rb.revertCommand)}`,
      `- One click: ${rb.oneClick}`,
      "",
    );
  }
  return truncate(lines.join("\n"), MAX_CHECK_OUTPUT - COMMENT_FOOTER_ROOM);
}

/**
 * The machine-readable record, as stored in the check run's text: the whole record when it
 * fits GitHub's 65,535 characters, else a compact one that always fits (lists of facts cut
 * first, `omitted` counting what each list lost), so rollback never loses its record.
 */
export function renderReleaseJson(r: ReleaseRecord): string {
  return fitRecord(r, MAX_CHECK_OUTPUT);
}

export function renderReleaseComment(r: ReleaseRecord, checkUrl: string | null): string {
  const href = url(checkUrl);
  return truncate(`${RELEASE_COMMENT_MARKER}\n${renderReleaseMarkdown(r)}${href ? `\n[Machine-readable record](${href})` : ""}`, MAX_COMMENT_BODY);
}

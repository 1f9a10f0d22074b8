import { parseImage, resourceKey } from "../release/facts.js";
import type { ReleaseRecord } from "../release/record.js";
import { MAX_CHECK_OUTPUT, MAX_COMMENT_BODY } from "../limits.js";
import { truncate } from "./truncate.js";

export const RELEASE_COMMENT_MARKER = "<!-- gitops-gate:release-record -->";
/** Room kept free in a comment for the marker and the link to the machine-readable record. */
const COMMENT_FOOTER_ROOM = 200;

function img(ref: string | null): string {
  if (!ref) return "—";
  const p = parseImage(ref);
  return `\`${p.repository}\`${p.tag ? ` tag \`${p.tag}\`` : ""}${p.digest ? ` digest \`${p.digest.slice(0, 19)}…\`` : ""}`;
}

/** The human release record: what changed where, who approved, policy verdict, rollback notes. */
export function renderReleaseMarkdown(r: ReleaseRecord): string {
  const lines: string[] = [
    `### Release record: #${r.pullRequest.number} ${r.pullRequest.title}`,
    "",
    `Merged ${r.mergedAt} by @${r.mergedBy} into \`${r.branch}\` (${r.mergeMethod}) as \`${r.mergeSha.slice(0, 12)}\`; author @${r.author}; approved by ${r.approvedBy.length ? r.approvedBy.map((a) => `@${a}`).join(", ") : "nobody"}.`,
    `Policy at the merged head: **${r.policy.verdict}**${r.policy.checkRunUrl ? ` ([check run](${r.policy.checkRunUrl}))` : ""}${r.policy.acceptedWarnings ? `, ${r.policy.acceptedWarnings} warning(s) accepted` : ""}.`,
    ...(r.pullRequest.labels.length ? [`Labels: ${r.pullRequest.labels.join(", ")}.`] : []),
    ...(r.pullRequest.linkedIssues.length ? [`Linked issues: ${r.pullRequest.linkedIssues.map((n) => `#${n}`).join(", ")}.`] : []),
    "",
  ];
  for (const e of r.renderErrors ?? []) lines.push(`> ⚠️ Not in this record: ${e}`, "");
  if (r.configError) lines.push(`> ⚠️ The gitops-gate config is invalid (${r.configError}); this record uses the built-in settings: one environment, owners from CODEOWNERS or the merger.`, "");
  if (!r.manifestsChanged) lines.push("No manifests changed in this merge: nothing to roll out or roll back.");
  for (const env of r.environments) {
    lines.push(`#### Environment \`${env.environment}\``, "");
    if (env.added.length) lines.push(`- Added: ${env.added.map((x) => `\`${resourceKey(x)}\``).join(", ")}`);
    if (env.changed.length) lines.push(`- Changed: ${env.changed.map((x) => `\`${resourceKey(x)}\``).join(", ")}`);
    if (env.removed.length) lines.push(`- Removed: ${env.removed.map((x) => `\`${resourceKey(x)}\``).join(", ")}`);
    for (const i of env.images) lines.push(`- Image \`${i.workload}\` container \`${i.container}\`: ${img(i.before)} → ${img(i.after)}`);
    for (const x of env.replicas) lines.push(`- Replicas \`${x.resource}\`: ${x.before ?? "unset"} → ${x.after ?? "unset"}`);
    for (const c of env.charts) lines.push(`- ${c.resource}: ${c.before ?? "absent"} → ${c.after ?? "absent"}`);
    const rb = env.rollback;
    lines.push(
      "",
      `**Rollback** (owner: ${rb.owners.join(", ")}, from ${rb.ownersFrom})`,
      "",
      ...rb.warnings.map((w) => `> ⚠️ ${w}`),
      ...(rb.warnings.length ? [""] : []),
      ...(rb.restore.length ? ["Return to:", ...rb.restore.map((s) => `- ${s}`), ""] : []),
      `- Revert: \`${rb.revertCommand}\``,
      `- One click: ${rb.oneClick}`,
      "",
    );
  }
  return truncate(lines.join("\n"), MAX_CHECK_OUTPUT - COMMENT_FOOTER_ROOM);
}

/**
 * The machine-readable record, as stored in the check run's text: compact, so that more
 * fits in GitHub's 65,535 characters; a record that does not fit is replaced by a stub
 * that says so rather than by JSON cut in the middle.
 */
export function renderReleaseJson(r: ReleaseRecord): string {
  const json = JSON.stringify(r);
  if (json.length <= MAX_CHECK_OUTPUT) return json;
  return JSON.stringify({ schema: r.schema, repository: r.repository, mergeSha: r.mergeSha, truncated: true, reason: `the record is ${json.length} characters, over GitHub's 65,535` });
}

export function renderReleaseComment(r: ReleaseRecord, checkUrl: string | null): string {
  return truncate(`${RELEASE_COMMENT_MARKER}\n${renderReleaseMarkdown(r)}${checkUrl ? `\n[Machine-readable record](${checkUrl})` : ""}`, MAX_COMMENT_BODY);
}

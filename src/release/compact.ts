// A release record that always fits GitHub's 65,535 characters of check-run text, so a
// large merge keeps its rollback. What rollback needs (the merge, the state to return to,
// the owners, the revert command, data-loss warnings) is kept longest; lists of facts are
// cut first, halving the longest one at a time, and `omitted` says how many entries each
// list lost. The summary (Markdown) shows the details as far as they fit.
import type { ReleaseRecord } from "./record.js";

/** Strings in a compacted record are capped at this many characters (commit ids are shorter). */
const MAX_STRING = 500;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Lists cut first (facts), then context, then what rollback reads. */
const TIERS: ReadonlyArray<RegExp> = [
  /^\/environments\/\d+\/(files|added|changed|removed|images|replicas|charts|irreversible)$|^\/environments\/\d+\/rollback\/restore$/,
  /^\/(approvedBy|renderErrors|pullRequest\/labels|pullRequest\/linkedIssues|policy\/sources)$|^\/environments\/\d+\/rollback\/warnings$/,
  /^\/environments$|^\/environments\/\d+\/rollback\/owners$/,
];

function capStrings(v: Json, capped: { n: number }): Json {
  if (typeof v === "string") {
    if (v.length <= MAX_STRING) return v;
    capped.n++;
    return `${v.slice(0, MAX_STRING - 1)}…`;
  }
  if (Array.isArray(v)) return v.map((x) => capStrings(x, capped));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, capStrings(x, capped)]));
  return v;
}

/** `v` with every list whose pointer `tier` matches cut to its first `keep` entries; what each lost. */
function capLists(v: Json, tier: RegExp, keep: number, pointer = "", omitted: Record<string, number> = {}): { value: Json; omitted: Record<string, number> } {
  const walk = (x: Json, at: string): Json => {
    if (Array.isArray(x)) {
      const kept = tier.test(at) && x.length > keep ? x.slice(0, keep) : x;
      if (kept.length < x.length) omitted[at] = x.length - kept.length;
      return kept.map((y, i) => walk(y, `${at}/${i}`));
    }
    if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y, `${at}/${k}`)]));
    return x;
  };
  return { value: walk(v, pointer), omitted };
}

function longestList(v: Json, tier: RegExp, at = ""): number {
  if (Array.isArray(v)) return Math.max(tier.test(at) ? v.length : 0, ...v.map((x, i) => longestList(x, tier, `${at}/${i}`)));
  if (v && typeof v === "object") return Math.max(0, ...Object.entries(v).map(([k, x]) => longestList(x, tier, `${at}/${k}`)));
  return 0;
}

/**
 * The record as JSON within `max` characters: whole when it fits, else compacted. Tier by
 * tier, every list of the tier is cut to the longest length that fits (a binary search,
 * so a few passes over the record whatever its size); a tier cut to nothing moves on to
 * the next. With strings capped and every list empty the record is a few kilobytes.
 */
export function fitRecord(record: ReleaseRecord, max: number): string {
  const whole = JSON.stringify(record);
  if (whole.length <= max) return whole;
  const capped = { n: 0 };
  let current = capStrings(structuredClone(record) as unknown as Json, capped);
  const omitted: Record<string, number> = capped.n ? { strings: capped.n } : {};
  const size = (v: Json, o: Record<string, number>) => JSON.stringify({ ...(v as object), omitted: o }).length;
  for (const tier of TIERS) {
    if (size(current, omitted) <= max) break;
    const none = capLists(current, tier, 0);
    if (size(none.value, { ...omitted, ...none.omitted }) > max) {
      current = none.value;
      Object.assign(omitted, none.omitted);
      continue;
    }
    let lo = 0;
    let hi = longestList(current, tier);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const tried = capLists(current, tier, mid);
      if (size(tried.value, { ...omitted, ...tried.omitted }) <= max) lo = mid;
      else hi = mid - 1;
    }
    const kept = capLists(current, tier, lo);
    current = kept.value;
    Object.assign(omitted, kept.omitted);
    break;
  }
  const json = JSON.stringify({ ...(current as object), omitted });
  if (json.length > max) throw new Error(`compact release record: ${json.length} characters with every list empty, over ${max}`);
  return json;
}

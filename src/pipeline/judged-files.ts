// Step "what is judged": the changed files the config selects, each with its size and kind
// from the tree before anything is downloaded. A symbolic link is judged as the content it
// leads to at the same commit (under the link's path, naming the target), as `kubectl
// apply -f` and Argo CD follow in-repository links; a link that leaves the repository, is
// broken or loops is an error; submodules are named as not evaluated. Unchanged links that
// lead to a changed file judge it under their path too: a link is where it deploys.
import { errorFinding, type FileReport } from "../evaluation/report.js";
import type { ChangedFile, PathEntry, RepoReader, TreeEntry } from "../github/types.js";
import { CONTENT_CONCURRENCY } from "../limits.js";
import { code } from "../render/escape.js";
import { mapLimit } from "./map-limit.js";
import type { BlobCache } from "./blob-cache.js";
import { MAX_LINK_TARGET_BYTES, resolveLink, type LinkResolution, type LinkWorld } from "./links.js";

export const LINK_RULE = "gitops-gate/symlink";
/** Files judged through one link to a folder, and unchanged links looked at, per evaluation. */
const MAX_FILES_BEHIND_LINK = 500;
const MAX_LINKS_SCANNED = 200;

/** A file to judge: its blob (the link's target's, for a link), size and format. */
export interface JudgedFile extends ChangedFile {
  readonly format: string;
  readonly size: number;
  /** The blob holding the content to judge. */
  readonly blob: string;
  /** For a path reached through a symbolic link: the target whose content is judged. */
  readonly via?: string;
}

export interface JudgedFiles {
  readonly files: JudgedFile[];
  /** Links that cannot be judged: an error on the link's path. */
  readonly reports: FileReport[];
  readonly notes: string[];
}

/** A path whose link cannot be judged: one error finding on it. */
export function linkErrorReport(path: string, format: string, message: string): FileReport {
  const finding = errorFinding({ file: path, line: 1, ruleId: LINK_RULE, title: "Symbolic link cannot be judged", message });
  return {
    path, format, status: "error", documents: 0, waived: [],
    findings: [{ ...finding, remediation: "Point the link at a file or folder inside the repository (a relative path), or replace it with the file itself: gitops-gate judges what a link deploys and does not follow links out of the repository." }],
  };
}

/** The repository at a commit as links see it: entries from the tree, link targets from their blobs. */
function linkWorld(headSha: string, deps: { reader: RepoReader; blobs: BlobCache }): LinkWorld & { at(path: string): Promise<PathEntry | undefined> } {
  const entries = new Map<string, Promise<PathEntry | undefined>>();
  const at = (path: string) => {
    let hit = entries.get(path);
    if (!hit) entries.set(path, (hit = deps.reader.lookup(headSha, [path]).then((m) => m.get(path))));
    return hit;
  };
  return {
    at,
    entry: at,
    async target(path) {
      const e = await at(path);
      if (!e || e.kind !== "link") throw new Error(`read link ${path}: not a link at ${headSha.slice(0, 12)}`);
      if (e.size > MAX_LINK_TARGET_BYTES) return undefined;
      const bytes = await deps.blobs.read(e.sha, async (sha) => {
        const blob = await deps.reader.readBlob(sha, MAX_LINK_TARGET_BYTES);
        if ("tooLarge" in blob) throw new Error(`read link ${path}: ${blob.tooLarge} bytes`);
        return blob.bytes;
      });
      return Buffer.from(bytes).toString("utf8");
    },
  };
}

export async function judgedFiles(
  params: {
    headSha: string;
    changed: readonly ChangedFile[];
    select: (path: string) => string | undefined;
    /** Also judge unchanged links that lead to changed files (default); reads the whole tree. */
    unchangedLinks?: boolean;
  },
  deps: { reader: RepoReader; blobs: BlobCache },
): Promise<JudgedFiles> {
  const present = params.changed.filter((f) => f.status !== "removed");
  const world = linkWorld(params.headSha, deps);
  // Sizes and kinds: list-files does not say them; the tree does.
  const unknown = present.filter((f) => f.size === undefined || f.kind === undefined).map((f) => f.path);
  const looked = unknown.length ? await deps.reader.lookup(params.headSha, unknown) : new Map<string, PathEntry>();
  const files: JudgedFile[] = [];
  const reports: FileReport[] = [];
  const notes: string[] = [];
  const judged = new Set<string>();
  const add = (f: JudgedFile) => {
    if (judged.has(f.path)) return;
    judged.add(f.path);
    files.push(f);
  };
  /** Judges what a resolved link leads to, under the link's path; undefined when it is not selected. */
  const throughLink = async (link: string, resolved: LinkResolution, only?: (path: string) => boolean): Promise<void> => {
    const format = params.select(link);
    if (!resolved.ok) {
      if (format) reports.push(linkErrorReport(link, format, resolved.message));
      return;
    }
    if (resolved.kind === "submodule") {
      notes.push(`${code(link)} is a symbolic link to the submodule ${code(resolved.path)}: not evaluated (gitops-gate does not read other repositories' commits).`);
      return;
    }
    if (resolved.kind === "file") {
      const target = (await world.at(resolved.path)) as TreeEntry;
      if (format && (!only || only(resolved.path))) add({ path: link, status: "modified", sha: target.sha, blob: target.sha, size: target.size, kind: "file", format, via: resolved.path });
      return;
    }
    // A link to a folder: every file below it, as if it sat below the link.
    const tree = await deps.reader.tree(params.headSha);
    const prefix = resolved.path ? `${resolved.path}/` : "";
    const below = tree.files.filter((e) => e.kind === "file" && e.path.startsWith(prefix) && (!only || only(e.path)));
    const selected = below.flatMap((e) => {
      const path = `${link}/${e.path.slice(prefix.length)}`;
      const f = params.select(path);
      return f ? [{ e, path, format: f }] : [];
    });
    if (tree.truncated || selected.length > MAX_FILES_BEHIND_LINK) {
      reports.push(linkErrorReport(link, "yaml", `${link} is a symbolic link to the folder ${resolved.path || "(the repository root)"}: ${tree.truncated ? "GitHub truncated the tree, so its files cannot all be listed" : `${selected.length} files to judge behind it, over the limit of ${MAX_FILES_BEHIND_LINK}`}`));
      return;
    }
    for (const s of selected) add({ path: s.path, status: "modified", sha: s.e.sha, blob: s.e.sha, size: s.e.size, kind: "file", format: s.format, via: s.e.path });
  };

  for (const f of present) {
    const entry = looked.get(f.path);
    const kind = f.kind ?? (entry && entry.kind !== "folder" ? entry.kind : undefined);
    const size = f.size ?? (entry && entry.kind !== "folder" ? entry.size : undefined);
    if (kind === "submodule") {
      notes.push(`${code(f.path)} is a submodule (commit ${code(f.sha.slice(0, 12))}): not evaluated; gitops-gate does not read other repositories' commits.`);
      continue;
    }
    if (kind === "link") {
      await throughLink(f.path, await resolveLink(f.path, world));
      continue;
    }
    const format = params.select(f.path);
    if (!format) continue;
    if (kind === undefined || size === undefined) {
      reports.push(linkErrorReport(f.path, format, `${f.path} is not in the tree of ${params.headSha.slice(0, 12)}; re-run the check`));
      continue;
    }
    add({ ...f, format, size, kind, blob: f.sha });
  }

  // Unchanged links that lead to a changed file: what they deploy changed.
  if (params.unchangedLinks === false) return { files, reports, notes };
  const changedPaths = new Set(present.map((f) => f.path));
  const tree = await deps.reader.tree(params.headSha);
  const links = tree.files.filter((e) => e.kind === "link" && !changedPaths.has(e.path));
  if (links.length > 0) {
    if (tree.truncated || links.length > MAX_LINKS_SCANNED) {
      notes.push(`The repository has ${tree.truncated ? "more links than GitHub lists in one tree" : `${links.length} symbolic links`}; links that were not changed were not followed to the changed files.`);
    } else {
      const changedFile = (p: string) => changedPaths.has(p);
      // Targets are read a few at a time (each is a small blob, cached by its id).
      const resolutions = await mapLimit(links, CONTENT_CONCURRENCY, (link) => resolveLink(link.path, world));
      for (const [i, link] of links.entries()) {
        const resolved = resolutions[i] as LinkResolution;
        if (!resolved.ok || resolved.kind === "submodule") continue;
        if (resolved.kind === "file" && !changedPaths.has(resolved.path)) continue;
        if (resolved.kind === "folder" && ![...changedPaths].some((p) => p.startsWith(resolved.path ? `${resolved.path}/` : ""))) continue;
        await throughLink(link.path, resolved, changedFile);
      }
    }
  }
  return { files, reports, notes };
}

/** A report judged through a link: every finding names the target whose content it is about. */
export function throughLinkReport(report: FileReport, file: Pick<JudgedFile, "path" | "via">): FileReport {
  if (!file.via) return report;
  const note = ` (${file.path} is a symbolic link to ${file.via}: the target's content at this commit was judged)`;
  return { ...report, findings: report.findings.map((f) => ({ ...f, message: `${f.message}${note}` })) };
}

// The repository around the checked files, read for Gatekeeper templates: every YAML and
// JSON file (bounded) gives its objects to `data.inventory`, and the Constraints among them
// configure the templates of their kind. Charts and overlays are not rendered for this.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { parseFile } from "../manifests/index.js";
import { gatekeeperContext, type GatekeeperContext } from "../policy/gatekeeper/context.js";
import { IGNORED_DIRS } from "./discover.js";
import { checkedRoot } from "./render.js";

/** Bounds on what is read: a repository of manifests fits; a monorepo is read in part, and says so. */
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 1024 * 1024;

export interface CliGatekeeper {
  readonly root: string;
  readonly context: GatekeeperContext;
  readonly notes: readonly string[];
}

/** Objects of the repository around `checked` (and of the checked files, wherever they are). */
export async function cliGatekeeperContext(checked: readonly string[], kinds: ReadonlySet<string>, root = checkedRoot(checked)): Promise<CliGatekeeper> {
  const notes: string[] = [];
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= MAX_FILES) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name)) await walk(p);
      } else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) files.push(p);
    }
  };
  await walk(root);
  if (files.length >= MAX_FILES) notes.push(`read the first ${MAX_FILES} YAML and JSON files of ${root} for Gatekeeper's inventory`);
  const inside = new Set(files.map((f) => resolve(f)));
  for (const c of checked) if (/\.(ya?ml|json)$/i.test(c) && !inside.has(resolve(c))) files.push(c);
  const documents: Array<{ file: string; content: unknown }> = [];
  for (const f of files) {
    if ((await stat(f)).size > MAX_FILE_BYTES) continue;
    const parsed = parseFile({ path: f, bytes: await readFile(f) }, f.toLowerCase().endsWith(".json") ? "json" : "yaml");
    // A file that does not parse holds no objects a cluster would have (templates, broken YAML).
    if (!parsed.ok) continue;
    const rel = relative(root, resolve(f)).split(sep).join("/");
    for (const d of parsed.documents) documents.push({ file: rel, content: d.content });
  }
  return { root, context: gatekeeperContext(documents, kinds), notes };
}

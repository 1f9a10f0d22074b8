// Step "gatekeeper inventory": when the policies hold Gatekeeper templates, the evaluated
// commit's manifests become data.inventory (the shape Gatekeeper syncs) and its Constraints
// configure the templates. Every YAML and JSON file of the tree up to these bounds, read
// through the blob cache; past them the inventory is partial and the summary says so.
import type { RepoReader } from "../github/types.js";
import { BATCHED_READS } from "../limits.js";
import { parseFile } from "../manifests/index.js";
import { gatekeeperContext, type GatekeeperContext } from "../policy/gatekeeper/context.js";
import type { BlobCache } from "./blob-cache.js";
import { mapLimit } from "./map-limit.js";

/** A repository of manifests fits; a monorepo is read in part (by path order), and says so. */
export const INVENTORY_MAX_FILES = 2000;
export const INVENTORY_MAX_FILE_BYTES = 512 * 1024;

export async function loadGatekeeperInventory(
  params: { headSha: string; kinds: ReadonlySet<string> },
  deps: { reader: RepoReader; blobs: BlobCache },
): Promise<{ context: GatekeeperContext; notes: string[] }> {
  const notes: string[] = [];
  const tree = await deps.reader.tree(params.headSha);
  if (tree.truncated) notes.push("GitHub truncated the repository's tree: Gatekeeper's inventory holds only the manifests it listed.");
  const candidates = tree.files.filter((f) => /\.(ya?ml|json)$/i.test(f.path) && f.size <= INVENTORY_MAX_FILE_BYTES).sort((a, b) => a.path.localeCompare(b.path));
  if (candidates.length > INVENTORY_MAX_FILES) {
    notes.push(`Gatekeeper's inventory holds the first ${INVENTORY_MAX_FILES} of ${candidates.length} YAML and JSON files (by path); templates that look objects up may miss the others.`);
  }
  const files = candidates.slice(0, INVENTORY_MAX_FILES);
  // All at once: the reader batches them into GraphQL queries.
  const read = await mapLimit(files, BATCHED_READS, async (f) => {
    const bytes = await deps.blobs.read(f.sha, async (sha) => {
      const blob = await deps.reader.readBlob(sha, INVENTORY_MAX_FILE_BYTES, f.size);
      return "tooLarge" in blob ? new Uint8Array() : blob.bytes;
    });
    const parsed = parseFile({ path: f.path, bytes }, f.path.toLowerCase().endsWith(".json") ? "json" : "yaml");
    // A file that does not parse holds nothing a cluster would (templates, broken YAML).
    return parsed.ok ? parsed.documents.map((d) => ({ file: f.path, content: d.content })) : [];
  });
  return { context: gatekeeperContext(read.flat(), params.kinds), notes };
}

// Tree listings read once, and lookups that still answer (sizes, kinds) when GitHub
// truncated the recursive listing: folder by folder instead.
import { treeReader, type ListTree, type RawTreeEntry } from "../../src/github/trees.js";

/** A repository as tree objects: id → entries; the commit's root is "c1". */
const TREES: Record<string, RawTreeEntry[]> = {
  c1: [
    { path: "deploy", mode: "040000", type: "tree", sha: "t-deploy" },
    { path: "vendor", mode: "160000", type: "commit", sha: "f".repeat(40) },
    { path: "README.md", mode: "100644", type: "blob", sha: "b-readme", size: 3 },
  ],
  "t-deploy": [
    { path: "huge.yaml", mode: "100644", type: "blob", sha: "b-huge", size: 52_428_800 },
    { path: "link.yaml", mode: "120000", type: "blob", sha: "b-link", size: 9 },
    { path: "prod", mode: "040000", type: "tree", sha: "t-prod" },
  ],
  "t-prod": [{ path: "web.yaml", mode: "100755", type: "blob", sha: "b-web", size: 120 }],
};

function lister(truncated: boolean) {
  const calls: string[] = [];
  const list: ListTree = async (sha, recursive) => {
    calls.push(`${sha}${recursive ? " recursive" : ""}`);
    if (!recursive) return { sha, truncated: false, tree: TREES[sha] ?? [] };
    // A truncated recursive listing holds only the root's own entries.
    return { sha, truncated, tree: truncated ? (TREES["c1"] ?? []) : [...(TREES["c1"] ?? []), { path: "deploy/huge.yaml", mode: "100644", type: "blob", sha: "b-huge", size: 52_428_800 }] };
  };
  return { list, calls };
}

test("a truncated tree is looked up folder by folder, with sizes and kinds, each folder listed once", async () => {
  const { list, calls } = lister(true);
  const trees = treeReader(list);
  const found = await trees.lookup("c1", ["deploy/huge.yaml", "deploy/link.yaml", "deploy/prod/web.yaml", "deploy/prod", "vendor", "nope/x.yaml"]);
  expect(Object.fromEntries(found)).toEqual({
    "deploy/huge.yaml": { path: "deploy/huge.yaml", sha: "b-huge", size: 52_428_800, kind: "file" },
    "deploy/link.yaml": { path: "deploy/link.yaml", sha: "b-link", size: 9, kind: "link" },
    "deploy/prod/web.yaml": { path: "deploy/prod/web.yaml", sha: "b-web", size: 120, kind: "file" },
    "deploy/prod": { path: "deploy/prod", kind: "folder" },
    vendor: { path: "vendor", sha: "f".repeat(40), size: 0, kind: "submodule" },
  });
  expect(calls).toEqual(["c1 recursive", "c1", "t-deploy", "t-prod"]);
});

test("a complete tree answers lookups without another request", async () => {
  const { list, calls } = lister(false);
  const trees = treeReader(list);
  await trees.full("c1");
  const found = await trees.lookup("c1", ["deploy/huge.yaml", "deploy"]);
  expect(found.get("deploy/huge.yaml")).toMatchObject({ size: 52_428_800, kind: "file" });
  expect(found.get("deploy")).toEqual({ path: "deploy", kind: "folder" });
  expect(calls).toEqual(["c1 recursive"]);
});

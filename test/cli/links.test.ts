// Symbolic links in the working tree, by the App's rules: a link is judged as the file it
// leads to inside the repository (under its own path, naming the target); a link that
// leaves the repository, is broken or loops is an error for that path.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

const PRIVILEGED = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: a, image: nginx:1.27, securityContext: {privileged: true}}]\n";

interface JsonReport {
  files: Array<{ path: string; status: string; findings: Array<{ ruleId: string; message: string; file: string }> }>;
}

async function check(...paths: string[]): Promise<{ code: number; report: JsonReport }> {
  let out = "";
  const code = await main(["check", "--no-config", "--render", "none", "-o", "json", ...paths], { stdout: (s) => (out += s), stderr: () => undefined, stderrIsTty: false });
  return { code, report: JSON.parse(out) as JsonReport };
}

/** A repository (a folder with .git) with files and links, and a file outside it. */
function repo(): string {
  const top = mkdtempSync(join(tmpdir(), "gitops-gate-links-"));
  writeFileSync(join(top, "outside.yaml"), PRIVILEGED);
  const root = join(top, "repo");
  mkdirSync(join(root, ".git"), { recursive: true });
  mkdirSync(join(root, "deploy", "prod"), { recursive: true });
  mkdirSync(join(root, "samples"), { recursive: true });
  writeFileSync(join(root, "samples", "bad.txt"), PRIVILEGED);
  writeFileSync(join(root, "samples", "pod.yaml"), PRIVILEGED);
  symlinkSync("../../samples/bad.txt", join(root, "deploy", "prod", "evil.yaml"));
  symlinkSync("../../../outside.yaml", join(root, "deploy", "prod", "out.yaml"));
  symlinkSync("missing.yaml", join(root, "deploy", "prod", "broken.yaml"));
  symlinkSync("b.yaml", join(root, "deploy", "prod", "a.yaml"));
  symlinkSync("a.yaml", join(root, "deploy", "prod", "b.yaml"));
  symlinkSync("../../samples", join(root, "deploy", "prod", "apps"));
  symlinkSync("..", join(root, "deploy", "prod", "up"));
  return root;
}

test("links under a checked folder: in-repository targets judged under the link, the rest errors", async () => {
  const root = repo();
  const { code, report } = await check(join(root, "deploy"));
  expect(code).toBe(2);
  const byFile = new Map(report.files.map((f) => [f.path.slice(root.length + 1), f]));
  const evil = byFile.get("deploy/prod/evil.yaml");
  expect(evil?.findings.find((f) => f.ruleId === "k8s-privileged")?.message).toContain("deploy/prod/evil.yaml is a symbolic link to");
  expect(evil?.findings.find((f) => f.ruleId === "k8s-privileged")?.message).toContain("samples/bad.txt");
  expect(byFile.get("deploy/prod/apps/pod.yaml")?.findings.some((f) => f.ruleId === "k8s-privileged")).toBe(true);
  expect(byFile.get("deploy/prod/out.yaml")?.findings[0]?.message).toMatch(/leaves the repository/);
  expect(byFile.get("deploy/prod/broken.yaml")?.findings[0]?.message).toMatch(/broken/);
  expect(byFile.get("deploy/prod/a.yaml")?.findings[0]?.message).toMatch(/loop/);
  // A link back up the tree is walked once, not forever.
  expect([...byFile.keys()].filter((p) => p.includes("/up/")).length).toBeLessThan(10);
});

test("a link named on the command line follows the same rules", async () => {
  const root = repo();
  const out = await check(join(root, "deploy", "prod", "out.yaml"));
  expect(out.code).toBe(2);
  expect(out.report.files[0]?.findings[0]?.message).toMatch(/leaves the repository/);
  const evil = await check(join(root, "deploy", "prod", "evil.yaml"));
  expect(evil.code).toBe(1);
});

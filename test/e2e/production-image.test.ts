// The production image, without a Docker engine: its runtime stage is reproduced in a
// temporary folder from the Dockerfile itself (the files it copies from the build stage,
// its ENV and its ENTRYPOINT), over `npm ci --omit=dev` as the build stage's
// `npm prune --omit=dev` leaves node_modules. If runtime code imports a devDependency,
// or the Dockerfile forgets a file the App reads, the App fails here as it would in the image.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ROOT } from "../helpers/corpus.js";
import { AppUnderTest } from "./harness.js";

interface RuntimeStage {
  /** [source under the build stage's /app, destination under the runtime WORKDIR]. */
  readonly copies: ReadonlyArray<readonly [string, string]>;
  readonly env: Record<string, string>;
  readonly entrypoint: readonly string[];
}

/** The last stage of the Dockerfile: what it copies, sets and runs. */
function runtimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile.replace(/\\\n/g, " ").split("\n").map((l) => l.trim());
  const last = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
  const copies: Array<[string, string]> = [];
  const env: Record<string, string> = {};
  let entrypoint: string[] = [];
  for (const line of lines.slice(last + 1)) {
    const copy = /^COPY\s+--from=build\s+\/app\/(\S+)\s+(\S+)$/i.exec(line);
    // The OPA stage builds the pinned OPA, as scripts/ensure-opa.sh does into .tools/bin.
    const opa = /^COPY\s+--from=opa\s+\/out\/opa\s+(\S+)$/i.exec(line);
    if (copy) copies.push([copy[1] as string, copy[2] as string]);
    else if (opa) copies.push([".tools/bin/opa", opa[1] as string]);
    else if (/^COPY\s/i.test(line)) {
      const local = /^COPY\s+(\S+)\s+(\S+)$/i.exec(line);
      if (!local) throw new Error(`read Dockerfile: cannot follow ${line}`);
      copies.push([local[1] as string, local[2] as string]);
    }
    const envLine = /^ENV\s+(.*)$/i.exec(line);
    if (envLine) for (const m of (envLine[1] as string).matchAll(/(\w+)=(\S+)/g)) env[m[1] as string] = m[2] as string;
    const ep = /^ENTRYPOINT\s+(\[.*\])$/i.exec(line);
    if (ep) entrypoint = JSON.parse(ep[1] as string) as string[];
  }
  return { copies, env, entrypoint };
}

const stage = runtimeStage(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
let dir = "";
const app = new AppUnderTest();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gitops-gate-image-"));
  // The build stage's node_modules after `npm prune --omit=dev`.
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
  execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, stdio: "pipe" });
  for (const [from, to] of stage.copies) {
    if (from === "node_modules" || from === "package.json") continue;
    const source = join(ROOT, from);
    if (!existsSync(source)) throw new Error(`reproduce image: ${from} is missing; run npm run build`);
    // `COPY app.yml ./` puts the file into the folder; `COPY dist ./dist` names the target;
    // an absolute target (/usr/local/bin/opa) lands under the folder too.
    const target = to.endsWith("/") || to === "." ? join(dir, to, basename(from)) : join(dir, to);
    cpSync(source, target, { recursive: true });
  }
  // Absolute paths the image's ENV names are inside the reproduced root.
  for (const [k, v] of Object.entries(stage.env)) if (v.startsWith("/")) stage.env[k] = join(dir, v);
}, 300_000);

afterAll(async () => {
  await app.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the Dockerfile's runtime stage runs the App, as a non-root user, on all interfaces", () => {
  expect(stage.entrypoint).toEqual(["node", "dist/server/main.js"]);
  expect(stage.env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
  expect(stage.copies).toContainEqual([".tools/bin/opa", "/usr/local/bin/opa"]);
  expect(readFileSync(join(ROOT, "Dockerfile"), "utf8")).toMatch(/^USER node$/m);
});

const TEAM_RULE = "package main\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tnot input.metadata.labels.team\n\tmsg := \"pod has no team label\"\n}\n";

test("with production dependencies only, the App starts, serves /probot and judges a signed webhook with built-in and own policies", async () => {
  const [command, ...args] = stage.entrypoint;
  expect(command).toBe("node");
  await app.start({ cwd: dir, args, env: stage.env });
  const page = await fetch(`${app.url}/probot`);
  expect(page.status).toBe(200);

  const gh = app.github;
  const privileged = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n      securityContext: {privileged: true}\n";
  // The organisation's own Rego is compiled at run time by the image's OPA.
  const baseFiles = { "README.md": "hello\n", ".github/gitops-gate.yml": "policies:\n  sources:\n    - path: policy\n", "policy/team.rego": TEAM_RULE };
  const base = gh.commit(baseFiles);
  const head = gh.commit({ ...baseFiles, "deploy/pod.yaml": privileged }, { parents: [base] });
  const pr = gh.openPull({ number: 1, head, base, baseRef: "main", draft: false });
  const unsigned = await app.deliver("pull_request", app.pullRequestPayload("opened", pr), { secret: null });
  expect(unsigned.status).toBeGreaterThanOrEqual(400);
  const signed = await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  expect(signed.status).toBe(202);
  const run = gh.checkRuns.find((r) => r.head_sha === head && r.status === "completed");
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run?.output.annotations.some((a) => String(a["title"]).includes("[k8s-privileged]"))).toBe(true);
  expect(run?.output.annotations.some((a) => a["message"] === "pod has no team label")).toBe(true);
  expect(app.logs).not.toMatch(/Cannot find (package|module)/);
});

test("the image ships conftest's parsers: the build stage puts them in dist/wasm, and the CLI in the image reads TOML and CUE with them", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  expect(dockerfile).toMatch(/^RUN bash scripts\/ensure-parsers-wasm\.sh \/out$/m);
  expect(dockerfile).toMatch(/^COPY --from=parsers \/out \.\/dist\/wasm$/m);
  expect(stage.copies).toContainEqual(["dist", "./dist"]);
  writeFileSync(join(dir, "app.toml"), "[server]\nport = 8080\n");
  writeFileSync(join(dir, "app.cue"), "server: port: 8080\n");
  const out = execFileSync("node", ["bin/gitops-gate.js", "check", "-o", "json", "app.toml", "app.cue"], { cwd: dir, encoding: "utf8", env: { ...process.env, ...stage.env } });
  const report = JSON.parse(out) as { files: Array<{ path: string; status: string }> };
  expect(report.files.map((f) => [f.path, f.status])).toEqual([["app.toml", "evaluated"], ["app.cue", "evaluated"]]);
});

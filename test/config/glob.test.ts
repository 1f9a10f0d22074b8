// The config's glob matcher: picomatch's answers (dot: true) on the globs configs use, and
// bounded time on the globs that made picomatch's regular expressions backtrack for seconds.
import picomatch from "picomatch";
import { compileGlob, globMatcher, globProblem, MAX_GLOB_LENGTH } from "../../src/config/glob.js";

const GLOBS = [
  "**/*.yaml", "**/*.yml", "**/*.json", "**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile", "**/*.tf", "**/*.template",
  ".github/gitops-gate.yml", ".github/ISSUE_TEMPLATE/**", "**/node_modules/**", "**/package*.json", "**/tsconfig*.json",
  "deploy/**/*.manifest", "deploy/prod/**", "deploy/staging/**", "*.yaml", "deploy/*", "deploy/*/x.yaml", "**", "*",
  "deploy/**", "**/values-*.yaml", "charts/?pi/**", "deploy/[ps]*/**", "deploy/[^p]*/*.yaml", "deploy/[a-m]*/**",
  "**/*.{yaml,yml}", "{deploy,infra}/**", "deploy/{prod,staging/{eu,us}}/**", "env-{1..3}/**", "a**b/*.yaml", "**/a*a*b.yml",
  "!**/*.md", "./deploy/**", "deploy/**/prod/**", "**/.hidden/**", "deploy/\\*.yaml", "deploy/*.y?ml", "**/**/x.yaml", "x/**/**/y",
  "**/x/**", "a/**/b/**", "a/*/b/**", "*/**", "**/*/**", "a/?/**", "a/b/**/**",
];

const PATHS = [
  "a.yaml", "deploy/a.yaml", "deploy/prod/web.yaml", "deploy/prod/eu/web.yml", "deploy/staging/eu/x.yaml", "deploy/staging/x.yaml", "deploy/x.yaml",
  ".github/gitops-gate.yml", ".github/ISSUE_TEMPLATE/bug.yml", "node_modules/x/package.json", "web/node_modules/x/a.yaml", "package.json", "ui/package-lock.json",
  "tsconfig.json", "Dockerfile", "docker/Dockerfile.prod", "api.Dockerfile", "main.tf", "stack.template", "deploy/a/b/c.manifest", "deploy/x.manifest",
  "charts/api/values-prod.yaml", "charts/api/templates/d.yaml", "charts/xpi/a", "deploy/pa/x.yaml", "deploy/sa/y.yaml", "deploy/qa/x.yaml", "infra/a.yaml",
  "env-2/a", "env-4/a", "aXb/c.yaml", "ab/c.yaml", "x/aab.yml", "README.md", "docs/a.md", ".hidden/a.yaml", "a/.hidden/b", "deploy/*.yaml", "deploy/y.yaml",
  "deploy/x.yml", "deploy/a/prod/b", "deploy/prod", "x/y", "x/a/y", "x/a/b/y", "a/b/x.yaml", "deploy",
  "x", "a/x", "a/b", "a/c/b", "a/x/b", "a", "a/b/c",
];

test.each(GLOBS)("%s matches exactly the paths picomatch matches", (glob) => {
  const ours = compileGlob(glob);
  const theirs = picomatch(glob, { dot: true });
  expect(PATHS.filter((p) => ours(p))).toEqual(PATHS.filter((p) => theirs(p)));
});

test("[!p] negates as [^p] does (picomatch reads it as the characters ! and p)", () => {
  const bang = compileGlob("deploy/[!p]*/*.yaml");
  const caret = compileGlob("deploy/[^p]*/*.yaml");
  expect(PATHS.filter(bang)).toEqual(PATHS.filter(caret));
  expect(PATHS.filter(bang)).toEqual(["deploy/staging/x.yaml", "deploy/sa/y.yaml", "deploy/qa/x.yaml"]);
});

test("a list matches when any glob does; an empty list matches nothing", () => {
  const m = globMatcher(["deploy/**", "*.yaml"]);
  expect(["deploy/a/b", "x.yaml", "x/y.yaml"].map(m)).toEqual([true, true, false]);
  expect(globMatcher([])("a.yaml")).toBe(false);
});

test.each([
  ["an extglob", "**/+(a|b).yaml", /extglob/],
  ["a negated extglob", "!(a).yaml", /extglob/],
  ["an overlong glob", `**/${"a".repeat(MAX_GLOB_LENGTH)}`, /over the limit of 256/],
  ["braces expanding past the bound", "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}", /more than 64 alternatives/],
  ["a huge range", "{1..1000}", /more than 64 alternatives/],
])("%s is refused with the reason", (_what, glob, reason) => {
  expect(globProblem(glob)).toMatch(reason);
});

// The red team's glob: picomatch took 3.5 s here (14 s under load) on the 56-character path.
test.each([
  ["the red team's glob", "**/a*a*a*a*a*a*a*a*b.yml", "a".repeat(56)],
  ["stars and questions at the length limit", `**/${"a*?".repeat(80)}b`, "a".repeat(4000)],
  ["globstars at the length limit", "**/".repeat(80) + "b", "a/".repeat(2000) + "c"],
  ["stars in many segments", `${"*a*/".repeat(60)}b`, "aaaa/".repeat(800)],
])("%s matches in bounded time", (_what, glob, path) => {
  const m = compileGlob(glob);
  const started = performance.now();
  m(path);
  expect(performance.now() - started).toBeLessThan(250);
});

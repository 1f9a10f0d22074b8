// Dockerfiles: the document handed to policies equals what `conftest parse` produces
// (conftest built from its Go module, pinned in package.json), so conftest Dockerfile
// policies work unchanged; and every instruction keeps its line.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { detectFormat, parseFile } from "../../src/manifests/index.js";
import { CORPUS, ROOT, listFiles } from "../helpers/corpus.js";

const parse = (text: string) => {
  const r = parseFile({ path: "Dockerfile", bytes: Buffer.from(text) }, "dockerfile");
  if (!r.ok) throw new Error(r.error.message);
  return r.documents;
};

test("every corpus Dockerfile parses exactly as conftest parses it", () => {
  const conftest = execFileSync("bash", [join(ROOT, "scripts", "ensure-conftest.sh")], { encoding: "utf8" }).trim();
  const files = listFiles(join(CORPUS, "dockerfiles"));
  expect(files.length).toBeGreaterThan(20);
  const differences: string[] = [];
  for (const f of files) {
    expect([f, detectFormat(f)]).toEqual([f, "dockerfile"]);
    const ours = parseFile({ path: f, bytes: readFileSync(f) }, "dockerfile");
    const theirs = (JSON.parse(execFileSync(conftest, ["parse", f], { encoding: "utf8" })) as unknown[])[0];
    const mine = ours.ok ? ours.documents[0]?.content : ours.error;
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) differences.push(f);
  }
  expect(differences).toEqual([]);
}, 300_000);

test("instruction shapes: exec form, flags, name=value, legacy ENV, stages, ONBUILD", () => {
  const [doc] = parse(`# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
ENV A=1 B="two words"
ENV LEGACY value with spaces
COPY --from=build --chown=1000:1000 /src /dst
RUN ["go", "build"]
FROM scratch
ONBUILD RUN make
USER 10001
`);
  expect(doc?.content).toEqual([
    { Cmd: "comment", Flags: null, JSON: false, Stage: 0, SubCmd: "", Value: ["syntax=docker/dockerfile:1"] },
    { Cmd: "from", Flags: [], JSON: false, Stage: 0, SubCmd: "", Value: ["golang:1.22", "AS", "build"] },
    { Cmd: "env", Flags: [], JSON: false, Stage: 0, SubCmd: "", Value: ["A", "1", "=", "B", '"two words"', "="] },
    { Cmd: "env", Flags: [], JSON: false, Stage: 0, SubCmd: "", Value: ["LEGACY", "value with spaces", ""] },
    { Cmd: "copy", Flags: ["--from=build", "--chown=1000:1000"], JSON: false, Stage: 0, SubCmd: "", Value: ["/src", "/dst"] },
    { Cmd: "run", Flags: [], JSON: true, Stage: 0, SubCmd: "", Value: ["go", "build"] },
    { Cmd: "from", Flags: [], JSON: false, Stage: 1, SubCmd: "", Value: ["scratch"] },
    { Cmd: "onbuild", Flags: [], JSON: false, Stage: 1, SubCmd: "run", Value: ["make"] },
    { Cmd: "user", Flags: [], JSON: false, Stage: 1, SubCmd: "", Value: ["10001"] },
  ]);
});

test("lines: continuations, heredocs and CRLF keep each instruction at its first line", () => {
  const [doc] = parse("FROM alpine:3.20\r\n\r\nRUN apk add \\\r\n    curl \\\r\n    git\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nUSER app\r\n");
  const content = doc?.content as Array<{ Cmd: string; Value: string[] }>;
  expect(content.map((i) => i.Cmd)).toEqual(["from", "run", "run", "user"]);
  expect(content[1]?.Value).toEqual(["apk add     curl     git"]);
  expect([0, 1, 2, 3].map((i) => doc?.sourceMap.lineOf([i]))).toEqual([1, 3, 6, 9]);
  expect(doc?.sourceMap.lineOf([3, "Value", 0])).toBe(9);
});

test("an empty Dockerfile is nothing to evaluate; a line that is no instruction is an error at its line", () => {
  expect(parse("# only a comment\n\n")).toEqual([]);
  const bad = parseFile({ path: "Dockerfile", bytes: Buffer.from("FROM alpine:3\n!!! nonsense\n") }, "dockerfile");
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.error).toMatchObject({ reason: "syntax", line: 2 });
});

test.each([
  ["Dockerfile", "dockerfile"], ["src/Dockerfile.debug", "dockerfile"], ["kustomize.Dockerfile", "dockerfile"], ["Containerfile", "dockerfile"],
  ["Dockerfile.yaml", "yaml"], ["notes/dockerfile-tips.md", undefined],
])("detectFormat(%s) = %s", (path, format) => {
  expect(detectFormat(path)).toBe(format);
});

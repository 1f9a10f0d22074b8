// Every hostile file in ../shared/corpus/bad/ against the behaviour its README asks for.
import { readdirSync } from "node:fs";
import { parseFile, detectFormat } from "../../src/manifests/index.js";
import type { ParseErrorReason } from "../../src/manifests/types.js";
import { CORPUS, corpusFile } from "../helpers/corpus.js";

type Expect =
  | { error: ParseErrorReason; line?: number }
  | { documents: number; check?: (docs: unknown[]) => void };

const deployment = (docs: unknown[]): void => {
  const d = docs[0] as { apiVersion: string; spec: { template: { spec: { containers: Array<{ image: string }> } } } };
  expect(Object.keys(d)[0]).toBe("apiVersion");
  expect(d.spec.template.spec.containers[0]?.image).toBe("nginx:1.27");
};

const CASES: Record<string, Expect> = {
  "alias-bomb.yaml": { error: "alias-expansion" },
  "bad-aliases.yaml": { error: "syntax", line: 9 },
  "binary-garbage.yaml": { error: "binary" },
  // Unterminated string, missing brace, unterminated heredoc: fails at the first, as conftest does.
  "broken.tf": { error: "syntax", line: 4 },
  // A plain YAML parser must fail on the doubled tag; CloudFormation tags come with issue 5.
  "cfn-tag-mixing.yaml": { error: "syntax", line: 13 },
  "complex-keys.yaml": { error: "complex-key", line: 6 },
  "crlf-line-endings.yaml": { documents: 1, check: deployment },
  "deep-nesting-block.yaml": { error: "depth" },
  "deep-nesting-flow.yaml": { error: "depth", line: 6 },
  "deep-nesting.json": { error: "depth", line: 1 },
  "duplicate-keys.yaml": { error: "duplicate-key", line: 11 },
  "empty.yaml": { documents: 0 },
  "huge-single-line.yaml": {
    documents: 1,
    check: (docs) => expect(((docs[0] as { data: { blob: string } }).data.blob).length).toBeGreaterThan(1_000_000),
  },
  "invalid-indentation.yaml": { error: "syntax", line: 5 },
  "invalid-utf8.yaml": { error: "encoding" },
  // Rejected: 1e400 has no finite JSON value (and the duplicate `name` would be refused next).
  "json-edge-cases.json": { error: "number-range", line: 1 },
  "large-5mib.yaml": { error: "too-large" },
  "merge-keys.yaml": {
    documents: 1,
    check: (docs) => {
      const c = (docs[0] as { spec: { containers: Array<{ securityContext: { privileged: boolean } }> } }).spec.containers;
      // Explicit keys win over merged ones, wherever they stand: app is privileged, app2 is not.
      expect(c[0]?.securityContext.privileged).toBe(true);
      expect(c[1]?.securityContext.privileged).toBe(false);
      expect(Object.keys(c[0]?.securityContext ?? {})).not.toContain("<<");
    },
  },
  "multidoc-one-invalid.yaml": { error: "syntax", line: 11 },
  "nul-in-yaml.yaml": { error: "binary" },
  "only-comments-and-separators.yaml": { documents: 0 },
  "proto-pollution.json": {
    documents: 1,
    check: (docs) => {
      const pod = docs[0] as { spec: { containers: Array<Record<string, unknown>> } };
      const c = pod.spec.containers[0] ?? {};
      expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
      expect(c["securityContext"]).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(c, "__proto__")).toBe(true);
    },
  },
  "proto-pollution.yaml": {
    documents: 1,
    check: (docs) => {
      const cm = docs[0] as { metadata: Record<string, unknown> };
      expect(cm.metadata["namespace"]).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(cm.metadata, "__proto__")).toBe(true);
    },
  },
  "tabs-indentation.yaml": { error: "syntax", line: 4 },
  "unsafe-tags.yaml": { error: "unknown-tag", line: 6 },
  "unterminated-quote.yaml": { error: "syntax" },
  "utf16le-bom.yaml": { documents: 1, check: deployment },
  "utf8-bom.yaml": { documents: 1, check: deployment },
  "yaml11-scalars.yaml": {
    documents: 1,
    check: (docs) => {
      // One documented schema, YAML 1.2 core: NO/yes/on stay strings, `on` stays a key.
      const data = (docs[0] as { data: Record<string, unknown> }).data;
      expect(data["country"]).toBe("NO");
      expect(data["enabled"]).toBe("yes");
      expect(data["on"]).toBe("push");
      expect(data["mode"]).toBe(755);
      expect(data["port_time"]).toBe("22:22");
    },
  },
};

const files = readdirSync(`${CORPUS}/bad`).filter((f) => f !== "README.md");

test("every hostile file has a case", () => {
  expect(files.sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(files)("%s", (name) => {
  const want = CASES[name];
  // "every hostile file has a case" above fails for a file without one.
  if (!want) return;
  test(`${"error" in want ? `fails with ${want.error}` : `parses to ${want.documents} document(s)`} quickly`, () => {
    const format = detectFormat(name);
    expect(format).toBeDefined();
    const started = performance.now();
    const result = parseFile({ path: name, bytes: corpusFile(`bad/${name}`) }, format ?? "yaml");
    // Bounded time: generous for a loaded CI machine, far below what a blow-up takes.
    expect(performance.now() - started).toBeLessThan(2000);
    if ("error" in want) {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.reason).toBe(want.error);
      expect(result.error.message.length).toBeGreaterThan(0);
      expect(result.error.message.length).toBeLessThan(500);
      if (want.line !== undefined) expect(result.error.line).toBe(want.line);
    } else {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.documents).toHaveLength(want.documents);
      want.check?.(result.documents.map((d) => d.content));
      for (const d of result.documents) expect(JSON.stringify(d.content)).not.toContain("\\r");
    }
  });
});

test("loading hostile input pollutes no prototype", () => {
  for (const name of ["proto-pollution.json", "proto-pollution.yaml"]) {
    parseFile({ path: name, bytes: corpusFile(`bad/${name}`) }, detectFormat(name) ?? "yaml");
  }
  expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
  expect(({} as Record<string, unknown>)["namespace"]).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
});

import { parseFile } from "../../src/manifests/index.js";
import { formatFieldPath, parseFieldPath } from "../../src/manifests/source-map.js";

const parse = (text: string, format = "yaml") => {
  const r = parseFile({ path: "t.yaml", bytes: Buffer.from(text) }, format);
  if (!r.ok) throw new Error(r.error.message);
  return r.documents;
};

const STREAM = `# leading comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
# second document
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          resources: {}
        - name: "side car"
          securityContext:
            privileged: true
---
`;

describe("source map", () => {
  const docs = parse(STREAM);

  test("documents keep their own first line, not line 1 of the file", () => {
    expect(docs.map((d) => [d.index, d.line])).toEqual([[0, 3], [1, 9]]);
  });

  test.each([
    [["spec", "template", "spec", "containers", 0, "image"], 18],
    [["spec", "template", "spec", "containers", 1], 20],
    [["spec", "template", "spec", "containers", 1, "securityContext", "privileged"], 22],
    [["metadata", "name"], 12],
    // Missing fields fall back to the nearest existing ancestor.
    [["spec", "template", "spec", "containers", 0, "resources", "limits", "memory"], 19],
    [["spec", "template", "spec", "containers", 0, "livenessProbe"], 17],
    [["nothing", "here"], 9],
    [[], 9],
  ] as const)("%j → line %i", (path, line) => {
    expect(docs[1]?.sourceMap.lineOf(path)).toBe(line);
  });

  test("JSON keeps lines too", () => {
    const [doc] = parse('{\n  "kind": "Pod",\n  "spec": {\n    "containers": [\n      {"image": "x"}\n    ]\n  }\n}\n', "json");
    expect(doc?.sourceMap.lineOf(["spec", "containers", 0, "image"])).toBe(5);
    expect(doc?.sourceMap.lineOf(["kind"])).toBe(2);
  });

  test("CRLF line endings give the same lines and no \\r in values", () => {
    const [doc] = parse("a: 1\r\nb:\r\n  c: x\r\n");
    expect(doc?.content).toEqual({ a: 1, b: { c: "x" } });
    expect(doc?.sourceMap.lineOf(["b", "c"])).toBe(3);
  });

  test("aliases resolve to the alias's own line", () => {
    const [doc] = parse("base: &b\n  x: 1\nuse: *b\n");
    expect(doc?.content).toEqual({ base: { x: 1 }, use: { x: 1 } });
    expect(doc?.sourceMap.lineOf(["use", "x"])).toBe(3);
  });
});

describe("field paths", () => {
  test.each([
    ["spec.containers[0].image", ["spec", "containers", 0, "image"]],
    ['metadata.annotations["kubernetes.io/ingress.class"]', ["metadata", "annotations", "kubernetes.io/ingress.class"]],
    ["a['b.c'][2]", ["a", "b.c", 2]],
  ] as const)("%s", (text, path) => {
    expect(parseFieldPath(text)).toEqual(path);
    expect(parseFieldPath(formatFieldPath(path))).toEqual(path);
  });

  test("arrays pass through; junk is refused", () => {
    expect(parseFieldPath(["a", 0])).toEqual(["a", 0]);
    expect(parseFieldPath([{}, 1])).toBeUndefined();
    expect(parseFieldPath(42)).toBeUndefined();
    expect(parseFieldPath("")).toBeUndefined();
  });
});

describe("limits", () => {
  test("nesting is checked with aliases expanded", () => {
    const deep = (n: number): string => "[".repeat(n) + "]".repeat(n);
    const text = `a: &a ${deep(60)}\nb: [*a, [*a]]\nc: {x: {y: *a}}\n`;
    const r = parseFile({ path: "t", bytes: Buffer.from(text) }, "yaml", { maxBytes: 1e6, maxDepth: 61, maxAliasNodes: 1e5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe("depth");
  });

  test(".inf and NaN are refused: they have no JSON form", () => {
    for (const v of [".inf", "-.Inf", ".nan", "1e999"]) {
      const r = parseFile({ path: "t", bytes: Buffer.from(`x: ${v}\n`) }, "yaml");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.reason).toBe("number-range");
    }
  });
});

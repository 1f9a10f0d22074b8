// Every YAML/JSON file under ../shared/corpus/kubernetes parses, or fails for the reason named here.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { detectFormat, parseFile } from "../../src/manifests/index.js";
import { CORPUS, listFiles } from "../helpers/corpus.js";

const EXPECTED_FAILURES: Record<string, { reason: string; line: number; why: string }> = {
  "aws-samples__eks-workshop-v2/manifests/modules/troubleshooting/workernodes/yaml/configmaps-new.yaml": {
    reason: "duplicate-key", line: 59, why: "two ConfigMaps run together without ---, so apiVersion/kind/metadata repeat",
  },
  "kubernetes__examples/_archived/volumes/scaleio/sc-pvc.yaml": {
    reason: "duplicate-key", line: 12, why: "spec.storageClassName appears twice",
  },
  "kubernetes__examples/_archived/openshift-origin/openshift-controller.yaml": {
    reason: "duplicate-key", line: 12, why: "spec.selector appears twice",
  },
  "kubernetes__examples/_archived/openshift-origin/etcd-discovery-controller.yaml": {
    reason: "duplicate-key", line: 12, why: "spec.selector appears twice",
  },
  "kubernetes__examples/_archived/openshift-origin/etcd-controller.yaml": {
    reason: "duplicate-key", line: 12, why: "spec.selector appears twice",
  },
  "kubernetes__examples/_archived/storage/vitess/etcd-service-template.yaml": {
    reason: "complex-key", line: 7, why: "an unrendered {{cell}} template: YAML reads the braces as a flow-mapping key",
  },
  "kubernetes__examples/_archived/storage/vitess/etcd-controller-template.yaml": {
    reason: "complex-key", line: 6, why: "an unrendered {{cell}} template",
  },
  "kubernetes__examples/_archived/storage/vitess/vtgate-controller-template.yaml": {
    reason: "complex-key", line: 6, why: "an unrendered {{cell}} template",
  },
};

const root = join(CORPUS, "kubernetes");
const files = listFiles(root).filter((p) => detectFormat(p) !== undefined);

test("the corpus is there and large", () => {
  expect(files.length).toBeGreaterThan(700);
});

test("every Kubernetes corpus file parses or fails for its named reason", () => {
  const unexpected: string[] = [];
  let documents = 0;
  for (const path of files) {
    const rel = relative(root, path);
    const result = parseFile({ path: rel, bytes: readFileSync(path) }, detectFormat(path) ?? "yaml");
    const want = EXPECTED_FAILURES[rel];
    if (result.ok) {
      documents += result.documents.length;
      if (want) unexpected.push(`${rel}: parsed, but expected ${want.reason} (${want.why})`);
      for (const d of result.documents) expect(d.line).toBeGreaterThanOrEqual(1);
    } else if (!want) unexpected.push(`${rel}: ${result.error.reason} at line ${result.error.line}: ${result.error.message}`);
    else if (want.reason !== result.error.reason || want.line !== result.error.line) {
      unexpected.push(`${rel}: ${result.error.reason}@${result.error.line}, expected ${want.reason}@${want.line}`);
    }
  }
  expect(unexpected).toEqual([]);
  expect(documents).toBeGreaterThan(1000);
});

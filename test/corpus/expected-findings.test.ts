// The built-in packs over the real corpus, compared with a committed expected-results file
// (test/corpus/expected-findings.json), so that a parser or policy change that moves
// findings shows up in review as a diff of that file. Regenerate it on purpose with
// `npm run corpus:update` and review the diff.
//
// Hand-reviewed sample (kept as reasoning for the expected file):
// - kubernetes/aws-samples__eks-workshop-v2/manifests/base-application/carts/deployment-db.yaml:
//   k8s-memory-limit, k8s-resource-requests ×2 at line 25 (container `dynamodb` sets no
//   resources: correct, the finding sits on the container's `- name:` line); k8s-missing-namespace
//   at line 3 (metadata has no namespace; kustomize sets it later, hence a warning, not a deny).
// - kubernetes/GoogleCloudPlatform__microservices-demo/kubernetes-manifests/frontend.yaml: the
//   LoadBalancer Service `frontend-external` has no internal annotation: k8s-service-public-load-balancer
//   at its `type:` line is right for a public demo front end.
// - kubernetes/kubernetes__examples/_archived/*: objects in removed API versions (extensions/v1beta1,
//   policy/v1beta1 PodSecurityPolicy, apps/v1beta1) get
//   k8s-removed-api-version at their apiVersion line: correct.
// - dockerfiles/istio__istio/pilot/docker/Dockerfile.pilot: docker-base-image-tag at lines 9
//   and 12, because `ARG BASE_VERSION=latest` makes both bases `…:latest`; the final stage
//   sets USER 1337, so no docker-root-user. Correct.
// - dockerfiles/GoogleCloudPlatform__microservices-demo/src/frontend/Dockerfile: the builder
//   stage is pinned by digest (no finding); the final `FROM gcr.io/distroless/static` at line 32
//   has no tag and no USER: docker-base-image-tag and docker-root-user there. Correct.
// - github-workflows/kubernetes-sigs__kustomize/.github/workflows/go.yml: every action pinned
//   to a full SHA and permissions declared: no findings. Correct.
// - cloudformation/…/RDS/RDS_MySQL_With_Read_Replica.yaml: aws-rds-encryption at line 98, the
//   `Properties:` of MasterDB, which sets no StorageEncrypted; its ReplicaDB inherits the
//   source's encryption and is rightly not flagged.
// - cloudformation/…/ECS/ECS_Schedule_Example.template: aws-sg-open-ingress at line 176,
//   EcsSecurityGroupSSHinbound opening tcp 22 to 0.0.0.0/0. Correct.
// - terraform/…/eventbridge-schedule-ecs-terraform/main.tf: aws-sg-open-ingress at line 103, the
//   `cidr_blocks = ["0.0.0.0/0"]` of an ingress block with protocol "-1" (all ports). Correct.
// - terraform/terraform-aws-modules__terraform-aws-s3-bucket/examples/complete/main.tf:
//   aws-kms-rotation at line 27, the header of aws_kms_key.objects, which sets no
//   enable_key_rotation. Correct. Module variables (`"${var.x}"`) are never judged.
// - `CidrIp: !Ref SSHLocation` rules are not findings: a parameter is not provably open.
// - cloudformation and serverless templates get no Kubernetes, Dockerfile or workflow
//   findings: each pack recognises its own input.
// - The 8 Kubernetes and 2 CloudFormation files that cannot be parsed appear as
//   gitops-gate/parse-error at the line named in test/manifests/*-corpus tests.
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { main } from "../../src/cli/main.js";
import { CORPUS, ROOT } from "../helpers/corpus.js";

export const KINDS = ["kubernetes", "terraform", "cloudformation", "serverless", "dockerfiles", "github-workflows", "helm", "kustomize"] as const;
const EXPECTED = join(ROOT, "test", "corpus", "expected-findings.json");

type Expected = Record<string, Record<string, string[]>>;

async function actual(kind: string): Promise<Record<string, string[]>> {
  let out = "";
  await main(["check", "-o", "json", join(CORPUS, kind)], { stdout: (s) => (out += s), stderr: () => undefined, stderrIsTty: false });
  const report = JSON.parse(out) as { files: Array<{ path: string; findings: Array<{ ruleId: string; line: number; file: string }> }> };
  // By the file each finding points at: for a rendered chart or overlay, the template,
  // values file, patch or resource a person edits.
  const byFile: Record<string, string[]> = {};
  for (const f of report.files.flatMap((r) => r.findings)) (byFile[relative(join(CORPUS, kind), f.file)] ??= []).push(`${f.line} ${f.ruleId}`);
  for (const list of Object.values(byFile)) list.sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b));
  return Object.fromEntries(Object.entries(byFile).sort(([a], [b]) => a.localeCompare(b)));
}

if (process.env["UPDATE_CORPUS_FINDINGS"]) {
  test("regenerate the expected corpus findings", async () => {
    const all: Expected = {};
    for (const kind of KINDS) all[kind] = await actual(kind);
    writeFileSync(EXPECTED, JSON.stringify(all, null, 1) + "\n");
  }, 300_000);
} else {
  const expected = JSON.parse(readFileSync(EXPECTED, "utf8")) as Expected;
  test.each(KINDS)("corpus/%s gives exactly the committed findings", async (kind) => {
    expect(await actual(kind)).toEqual(expected[kind]);
  }, 300_000);
}

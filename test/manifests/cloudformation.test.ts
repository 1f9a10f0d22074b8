// CloudFormation/SAM and serverless.yml: short-form intrinsics in long form, detection by
// content, and every corpus template parses or fails for the reason named here.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { detectFormat, parseFile } from "../../src/manifests/index.js";
import { CORPUS, listFiles } from "../helpers/corpus.js";

const parse = (text: string, path = "template.yaml") => {
  const r = parseFile({ path, bytes: Buffer.from(text) }, detectFormat(path) ?? "yaml");
  return r;
};

test("short forms map to long forms, in scalar, sequence and mapping form", () => {
  const r = parse(`AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Properties:
      BucketName: !Sub "\${AWS::StackName}-data"
      Tags:
        - Key: arn
          Value: !GetAtt Role.Arn
        - Key: list
          Value: !GetAtt [Role, Arn]
        - Key: joined
          Value: !Join ["-", [!Ref "AWS::Region", !Select [0, !GetAZs ""]]]
        - Key: mapped
          Value: !Sub
            - "\${Name}-x"
            - Name: !FindInMap [Map, !Ref Env, name]
        - Key: policy
          Value: !If [IsProd, {Action: "*"}, !Ref "AWS::NoValue"]
        - Key: cond
          Value: !Condition IsProd
`);
  expect(r.ok && r.format).toBe("cloudformation");
  if (!r.ok) return;
  const t = r.documents[0]?.content as { Conditions: unknown; Resources: { Bucket: { Properties: { BucketName: unknown; Tags: Array<{ Value: unknown }> } } } };
  expect(t.Conditions).toEqual({ IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] } });
  const p = t.Resources.Bucket.Properties;
  expect(p.BucketName).toEqual({ "Fn::Sub": "${AWS::StackName}-data" });
  expect(p.Tags.map((x) => x.Value)).toEqual([
    { "Fn::GetAtt": ["Role", "Arn"] },
    { "Fn::GetAtt": ["Role", "Arn"] },
    { "Fn::Join": ["-", [{ Ref: "AWS::Region" }, { "Fn::Select": [0, { "Fn::GetAZs": "" }] }]] },
    { "Fn::Sub": ["${Name}-x", { Name: { "Fn::FindInMap": ["Map", { Ref: "Env" }, "name"] } }] },
    { "Fn::If": ["IsProd", { Action: "*" }, { Ref: "AWS::NoValue" }] },
    { Condition: "IsProd" },
  ]);
});

test("unknown and doubled tags are parse errors with their line, never dropped", () => {
  const unknown = parse("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: !NotARealIntrinsic x\n");
  expect(unknown.ok).toBe(false);
  if (!unknown.ok) expect(unknown.error).toMatchObject({ reason: "unknown-tag", line: 6 });
  const doubled = parseFile({ path: "t.yaml", bytes: readFileSync(join(CORPUS, "bad", "cfn-tag-mixing.yaml")) }, "yaml");
  expect(doubled.ok).toBe(false);
  if (!doubled.ok) expect(doubled).toMatchObject({ format: "cloudformation", error: { reason: "syntax", line: 13 } });
});

test("detection: by content for .yaml and .json, by name for .template and serverless.yml", () => {
  expect(parse("Resources:\n  T:\n    Type: AWS::SNS::Topic\n").format).toBe("cloudformation");
  expect(parse('{\n  "Resources": {"T": {"Type": "AWS::SNS::Topic"}}\n}\n', "t.json").format).toBe("cloudformation");
  expect(parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n").format).toBe("yaml");
  expect(detectFormat("stacks/vpc.template")).toBe("cloudformation");
  expect(detectFormat("svc/serverless.yml")).toBe("serverless");
  const sls = parse("service: x\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n      Properties:\n        QueueName: !Sub '${AWS::StackName}-q'\n", "serverless.yml");
  expect(sls.ok && sls.documents[0]?.content).toMatchObject({ provider: { stage: "${opt:stage, 'dev'}" }, resources: { Resources: { Q: { Properties: { QueueName: { "Fn::Sub": "${AWS::StackName}-q" } } } } } });
});

// Flow collections and quoted scalars continued at their key's indentation (YAML 1.2 wants
// one more space) are read as the CloudFormation service and Go's yaml read them: four
// corpus templates (apigw-ses-transformation, FindInMap_Inside_Sub, stack-set-template,
// CreateHanaBackupSecureBackut) parse. See src/manifests/yaml.ts.
const EXPECTED_FAILURES: Record<string, [string, number]> = {
  // Real duplicate keys: a TagOption repeats Key/Value; Outputs defines EC2InstanceSGID twice.
  "awslabs__aws-cloudformation-templates/aws/services/ServiceCatalog/Portfolio.yaml": ["duplicate-key", 193],
  "awslabs__aws-cloudformation-templates/aws/solutions/CloudFrontCustomOriginLambda@Edge/CloudFront.yaml": ["duplicate-key", 828],
};

test.each(["cloudformation", "serverless"])("every %s corpus file is detected and parses, or fails for its named reason", (kind) => {
  const root = join(CORPUS, kind);
  const unexpected: string[] = [];
  for (const path of listFiles(root)) {
    const rel = relative(root, path);
    const r = parseFile({ path: rel, bytes: readFileSync(path) }, detectFormat(path) ?? "none");
    if (r.format !== kind) unexpected.push(`${rel}: detected as ${r.format}`);
    const want = EXPECTED_FAILURES[rel];
    if (r.ok && want) unexpected.push(`${rel}: parsed, expected ${want.join("@")}`);
    if (!r.ok && (!want || want[0] !== r.error.reason || want[1] !== r.error.line)) unexpected.push(`${rel}: ${r.error.reason}@${r.error.line} ${r.error.message}`);
  }
  expect(unexpected).toEqual([]);
});

// What evaluating one file yields, and the findings that stand for a file that could not
// be judged. Defined once: the CLI, the App, the worker pool and every renderer use these.
import type { ParseError } from "../manifests/types.js";
import type { Finding, WaivedResult } from "../policy/types.js";

export type FileStatus = "evaluated" | "empty" | "error";

export interface FileReport {
  readonly path: string;
  readonly format: string;
  readonly status: FileStatus;
  readonly documents: number;
  readonly findings: Finding[];
  readonly waived: WaivedResult[];
}

export const PARSE_ERROR_RULE = "gitops-gate/parse-error";
export const EVALUATION_ERROR_RULE = "gitops-gate/evaluation-error";

/** What a person writes to make a file of each format readable again. */
const READABLE_AS: Readonly<Record<string, string>> = {
  yaml: "valid YAML (1.2, no duplicate keys, no custom tags)",
  json: "valid JSON",
  cloudformation: "a valid CloudFormation template (YAML or JSON; only CloudFormation's own tags)",
  serverless: "a valid serverless.yml (YAML; only CloudFormation's own tags)",
  terraform: "valid Terraform HCL2 (as `terraform validate` reads it)",
  "terraform-plan": "valid JSON from `terraform show -json`",
  dockerfile: "a valid Dockerfile (one instruction per line, continuations with `\\`)",
  hcl2: "valid HCL2 (as conftest's hcl2 parser reads it)",
};

/** The formats read by conftest's own parsers: "valid TOML (as `conftest parse --parser toml` reads it)". */
const CONFTEST_NAMES: Readonly<Record<string, string>> = {
  codeowners: "CODEOWNERS", cue: "CUE", cyclonedx: "CycloneDX (JSON or XML)", dotenv: ".env", edn: "EDN",
  groovy: "Groovy (a Jenkinsfile)", hcl1: "HCL1", hocon: "HOCON", ignore: "ignore-file", ini: "INI", jsonc: "JSON with comments",
  jsonnet: "Jsonnet", nginx: "nginx configuration", properties: "Java properties", spdx: "SPDX tag-value", textproto: "textproto",
  toml: "TOML", vcl: "VCL", xml: "XML",
};

function remediationFor(ruleId: string, format: string | undefined): string {
  if (ruleId !== PARSE_ERROR_RULE) {
    return "Re-run the check; if it fails again, the policy or the input is too expensive to evaluate within the limits.";
  }
  if (format === "unknown") return "Name the file's format with --parser (or config `formats`), or leave the file out: gitops-gate reads the formats its README lists.";
  const conftestName = format ? CONFTEST_NAMES[format] : undefined;
  if (format && conftestName) return `Fix the file so that it is valid ${conftestName} (as \`conftest parse --parser ${format}\` reads it); gitops-gate does not judge what it cannot read.`;
  const readable = (format && READABLE_AS[format]) ?? READABLE_AS["yaml"];
  return `Fix the file so that it is ${readable}; gitops-gate does not judge what it cannot read.`;
}

/** A file that could not be judged: blocks like a deny, so an error is never a pass. */
export function errorFinding(params: {
  file: string;
  line: number;
  ruleId: string;
  title: string;
  message: string;
  /** The file's format, for a remediation that fits it. */
  format?: string;
  document?: number;
  column?: number;
}): Finding {
  return {
    ruleId: params.ruleId,
    kind: "error",
    severity: "high",
    title: params.title,
    message: params.message,
    file: params.file,
    line: params.line,
    ...(params.column !== undefined ? { column: params.column } : {}),
    ...(params.document !== undefined ? { document: params.document } : {}),
    remediation: remediationFor(params.ruleId, params.format),
  };
}

/** The report of a file that could not be parsed: one error finding at the line at fault. */
export function parseErrorReport(path: string, format: string, error: ParseError): FileReport {
  return {
    path,
    format,
    status: "error",
    documents: 0,
    findings: [
      errorFinding({
        file: path,
        line: error.line,
        format,
        ...(error.column !== undefined ? { column: error.column } : {}),
        ruleId: PARSE_ERROR_RULE,
        title: "File could not be parsed",
        message: `parse ${path}: ${error.message} (${error.reason})`,
      }),
    ],
    waived: [],
  };
}

/** The report of a file whose evaluation failed as a whole (time limit, crashed worker). */
export function evaluationErrorReport(path: string, format: string, message: string): FileReport {
  return {
    path,
    format,
    status: "error",
    documents: 0,
    findings: [errorFinding({ file: path, line: 1, ruleId: EVALUATION_ERROR_RULE, title: "Policy evaluation failed", message: `evaluate ${path}: ${message}` })],
    waived: [],
  };
}

/** A file over the size limit, refused before it was downloaded or read. */
export function tooLargeReport(path: string, format: string, size: number, limit: number): FileReport {
  return {
    path,
    format,
    status: "error",
    documents: 0,
    findings: [errorFinding({ file: path, line: 1, format, ruleId: PARSE_ERROR_RULE, title: "File too large to evaluate", message: `${path} is ${size} bytes, over the limit of ${limit}` })],
    waived: [],
  };
}

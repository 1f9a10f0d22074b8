import { summaryLine, type ReportInput } from "./summary.js";

// Workflow commands: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
// Property values escape %, CR, LF, ':' and ','; messages escape %, CR and LF.
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND = { deny: "error", error: "error", warn: "warning" } as const;

/** `::error file=…,line=…,title=…::message` lines that GitHub Actions turns into annotations. */
export function renderGithub(input: ReportInput): string {
  const lines = input.verdict.findings.map(({ finding: f, waiver, baseline, blocks }) => {
    const message = f.remediation ? `${f.message}\n${f.remediation}` : f.message;
    // Waived and pre-existing findings that do not block are notices, as in the check run.
    const command = !blocks && (waiver || baseline === "pre-existing") ? "notice" : COMMAND[f.kind];
    const note = waiver ? " (waived)" : baseline === "pre-existing" ? " (pre-existing)" : "";
    return `::${command} file=${escapeProperty(f.file)},line=${f.line},title=${escapeProperty(`${f.title} [${f.ruleId}]${note}`)}::${escapeData(message)}`;
  });
  lines.push(summaryLine(input.verdict.counts));
  return lines.join("\n") + "\n";
}

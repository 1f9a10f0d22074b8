import { basename, dirname } from "node:path/posix";
import { parseFile, type ParsedFile } from "../manifests/index.js";
import { DEFAULT_LIMITS, type ParseLimits, type SourceFile } from "../manifests/types.js";
import type { PolicyEngine } from "../policy/engine.js";
import { normalise, type ResultTarget } from "../policy/results.js";
import type { BundleMetadata, Finding, WaivedResult } from "../policy/types.js";
import { errorFinding, EVALUATION_ERROR_RULE, parseErrorReport, type FileReport } from "./report.js";

export interface FileToEvaluate extends SourceFile {
  readonly format: string;
  /** `data.conftest.file.dir`; conftest gives the absolute folder. Default: the path's folder. */
  readonly dir?: string;
}

/** Parses one file and evaluates each of its documents. */
export function evaluateFile(
  file: FileToEvaluate,
  engine: PolicyEngine,
  metadata: BundleMetadata,
  limits: ParseLimits = DEFAULT_LIMITS,
): FileReport {
  const parsed = parseFile(file, file.format, limits);
  if (!parsed.ok) return parseErrorReport(parsed.path, parsed.format, parsed.error);
  const findings: Finding[] = [];
  const waived: WaivedResult[] = [];
  // As conftest sets it: the file's base name and its folder.
  const conftestFile = { name: basename(file.path), dir: file.dir ?? dirname(file.path) };
  for (const doc of parsed.documents) {
    const target: ResultTarget = { file: file.path, document: doc.index, line: doc.line, sourceMap: doc.sourceMap };
    try {
      const raw = engine.evaluateDocument(doc.content, conftestFile);
      const out = normalise(raw, metadata, target);
      findings.push(...out.findings);
      waived.push(...out.waived);
    } catch (e) {
      findings.push(
        errorFinding({
          file: file.path,
          line: doc.line,
          document: doc.index,
          ruleId: EVALUATION_ERROR_RULE,
          title: "Policy evaluation failed",
          message: (e as Error).message,
        }),
      );
    }
  }
  const failed = findings.some((f) => f.kind === "error");
  return {
    path: file.path,
    format: file.format,
    status: failed ? "error" : parsed.documents.length === 0 ? "empty" : "evaluated",
    documents: parsed.documents.length,
    findings,
    waived,
  };
}

/**
 * conftest `--combine`: every file's documents in one input, `[{path, contents}]`,
 * where contents is the document, or the list of documents for a multi-document file.
 */
export function evaluateCombined(
  files: readonly FileToEvaluate[],
  engine: PolicyEngine,
  metadata: BundleMetadata,
  limits: ParseLimits = DEFAULT_LIMITS,
): FileReport[] {
  const reports: FileReport[] = [];
  const parsedOk: Array<Extract<ParsedFile, { ok: true }>> = [];
  for (const file of files) {
    const parsed = parseFile(file, file.format, limits);
    if (!parsed.ok) reports.push(parseErrorReport(parsed.path, parsed.format, parsed.error));
    else parsedOk.push(parsed);
  }
  const byPath = new Map(parsedOk.map((p) => [p.path, p]));
  const input = parsedOk
    .filter((p) => p.documents.length > 0)
    .map((p) => ({
      path: p.path,
      contents: p.documents.length === 1 ? p.documents[0]?.content : p.documents.map((d) => d.content),
    }));
  const perFile = new Map<string, { findings: Finding[]; waived: WaivedResult[] }>(
    parsedOk.map((p) => [p.path, { findings: [], waived: [] }]),
  );
  const combinedName = "(combined)";
  const fallback: ResultTarget = { file: combinedName, line: 1 };
  const extra = { findings: [] as Finding[], waived: [] as WaivedResult[] };
  try {
    const raw = engine.evaluateCombined(input);
    const out = normalise(raw, metadata, fallback, (file, document) => {
      const p = byPath.get(file);
      if (!p) return undefined;
      const doc = p.documents[document ?? 0];
      return doc
        ? { file, document: doc.index, line: doc.line, sourceMap: doc.sourceMap }
        : { file, line: 1 };
    });
    for (const f of out.findings) (perFile.get(f.file) ?? extra).findings.push(f);
    for (const w of out.waived) (perFile.get(w.file) ?? extra).waived.push(w);
  } catch (e) {
    extra.findings.push(
      errorFinding({ file: combinedName, line: 1, ruleId: EVALUATION_ERROR_RULE, title: "Policy evaluation failed", message: (e as Error).message }),
    );
  }
  for (const p of parsedOk) {
    const got = perFile.get(p.path) ?? { findings: [], waived: [] };
    reports.push({
      path: p.path,
      format: p.format,
      status: p.documents.length === 0 ? "empty" : "evaluated",
      documents: p.documents.length,
      ...got,
    });
  }
  if (extra.findings.length > 0 || extra.waived.length > 0) {
    const failed = extra.findings.some((f) => f.kind === "error");
    reports.push({ path: combinedName, format: "combined", status: failed ? "error" : "evaluated", documents: 0, ...extra });
  }
  return reports;
}

import { basename, dirname } from "node:path/posix";
import { parseFile, type ParsedFile } from "../manifests/index.js";
import { DEFAULT_LIMITS, type ManifestDocument, type ParseLimits, type SourceFile } from "../manifests/types.js";
import type { PolicyEngine } from "../policy/engine.js";
import { normalise, type ResultTarget } from "../policy/results.js";
import type { Finding, WaivedResult } from "../policy/types.js";
import { errorFinding, EVALUATION_ERROR_RULE, parseErrorReport, type FileReport } from "./report.js";
import { resourceOf, withResource } from "./resource.js";

export interface FileToEvaluate extends SourceFile {
  readonly format: string;
  /** `data.conftest.file.dir`; conftest gives the absolute folder. Default: the path's folder. */
  readonly dir?: string;
}

/** Parses one file and evaluates each of its documents with every engine. */
export function evaluateFile(file: FileToEvaluate, engines: readonly PolicyEngine[], limits: ParseLimits = DEFAULT_LIMITS): FileReport {
  const parsed = parseFile(file, file.format, limits);
  if (!parsed.ok) return parseErrorReport(parsed.path, parsed.format, parsed.error);
  // As conftest sets it: the file's base name and its folder.
  const conftestFile = { name: basename(file.path), dir: file.dir ?? dirname(file.path) };
  return evaluateDocuments({ path: file.path, format: file.format, documents: parsed.documents, conftestFile }, engines);
}

/** Documents already parsed (or rendered) → one report; each document goes through each engine. */
export function evaluateDocuments(
  input: { path: string; format: string; documents: readonly ManifestDocument[]; conftestFile: { name: string; dir: string } },
  engines: readonly PolicyEngine[],
): FileReport {
  const findings: Finding[] = [];
  const waived: WaivedResult[] = [];
  for (const doc of input.documents) {
    const target: ResultTarget = { file: input.path, document: doc.index, line: doc.line, sourceMap: doc.sourceMap };
    const resource = resourceOf(doc.content);
    for (const engine of engines) {
      try {
        const out = withResource(normalise(engine.evaluateDocument(doc.content, input.conftestFile), engine.metadata, target), resource);
        findings.push(...out.findings);
        waived.push(...out.waived);
      } catch (e) {
        findings.push(
          errorFinding({ file: input.path, line: doc.line, document: doc.index, ruleId: EVALUATION_ERROR_RULE, title: "Policy evaluation failed", message: (e as Error).message }),
        );
      }
    }
  }
  const failed = findings.some((f) => f.kind === "error");
  return {
    path: input.path,
    format: input.format,
    status: failed ? "error" : input.documents.length === 0 ? "empty" : "evaluated",
    documents: input.documents.length,
    findings,
    waived,
  };
}

/** conftest's name for the result of a combined evaluation, and for its `data.conftest.file.name`. */
export const COMBINED_NAME = "Combined";

/**
 * conftest `--combine`: every file's documents in one input, `[{path, contents}]`, one
 * entry per document (a multi-document file gives several entries with its path), sorted
 * by path, as conftest's CombineConfigurations builds it.
 */
export function evaluateCombined(
  files: readonly FileToEvaluate[],
  engines: readonly PolicyEngine[],
  limits: ParseLimits = DEFAULT_LIMITS,
  /** `data.conftest.file.dir`: conftest gives the working directory. */
  dir = "",
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
    .flatMap((p) => p.documents.map((d) => ({ path: p.path, contents: d.content })))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const perFile = new Map<string, { findings: Finding[]; waived: WaivedResult[] }>(
    parsedOk.map((p) => [p.path, { findings: [], waived: [] }]),
  );
  const combinedName = COMBINED_NAME;
  const fallback: ResultTarget = { file: combinedName, line: 1 };
  const extra = { findings: [] as Finding[], waived: [] as WaivedResult[] };
  const lookup = (file: string, document: number | undefined): ResultTarget | undefined => {
    const p = byPath.get(file);
    if (!p) return undefined;
    const doc = p.documents[document ?? 0];
    return doc ? { file, document: doc.index, line: doc.line, sourceMap: doc.sourceMap } : { file, line: 1 };
  };
  for (const engine of engines) {
    try {
      const out = normalise(engine.evaluateCombined(input, { name: COMBINED_NAME, dir }), engine.metadata, fallback, lookup);
      // A result that named its file and document is about that document's object.
      const about = (file: string, document: number | undefined) => (document === undefined ? undefined : resourceOf(byPath.get(file)?.documents.find((d) => d.index === document)?.content));
      for (const f of out.findings) (perFile.get(f.file) ?? extra).findings.push(withResource({ findings: [f], waived: [] }, about(f.file, f.document)).findings[0] as Finding);
      for (const w of out.waived) (perFile.get(w.file) ?? extra).waived.push(w);
    } catch (e) {
      extra.findings.push(
        errorFinding({ file: combinedName, line: 1, ruleId: EVALUATION_ERROR_RULE, title: "Policy evaluation failed", message: (e as Error).message }),
      );
    }
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

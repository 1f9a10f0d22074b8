import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { packageRoot } from "../../src/paths.js";

/**
 * The shared corpus: $GITOPS_GATE_CORPUS, else beside the repository (../shared/corpus,
 * as CI lays it out), else the workplace's own copy for a clone made elsewhere.
 */
function findCorpus(): string {
  const candidates = [
    process.env["GITOPS_GATE_CORPUS"],
    resolve(packageRoot(), "..", "shared", "corpus"),
    "/work/shared/corpus",
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(join(c, "bad"))) ?? (candidates[0] as string);
}

export const CORPUS = findCorpus();

export function corpusFile(rel: string): Uint8Array {
  const p = join(CORPUS, rel);
  if (!existsSync(p)) throw new Error(`read corpus file ${rel}: not found under ${CORPUS}`);
  return readFileSync(p);
}

export const ROOT = packageRoot();

/** Every file below `dir`, depth first. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { packageRoot } from "../../src/paths.js";

/** The shared corpus sits beside the repository (../shared/corpus), in CI as here. */
export const CORPUS = process.env["GITOPS_GATE_CORPUS"] ?? resolve(packageRoot(), "..", "shared", "corpus");

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

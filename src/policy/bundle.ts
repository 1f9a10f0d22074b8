import { createHash } from "node:crypto";
import { readTarGz } from "./tar.js";
import { METADATA_DATA_KEY } from "./build/wrapper.js";
import type { BundleMetadata } from "./types.js";

export interface PolicyBundle {
  readonly wasm: Uint8Array;
  /** The bundle's own data (data.json files), without the metadata. */
  readonly data: Record<string, unknown>;
  readonly metadata: BundleMetadata;
  /** sha256 of the bundle file: what a decision records as its policy version. */
  readonly digest: string;
}

/** Reads a bundle written by `compilePolicies` (an `opa build -t wasm` tarball). */
export function readBundle(bytes: Uint8Array, name = "bundle"): PolicyBundle {
  let files: Map<string, Uint8Array>;
  try {
    files = readTarGz(bytes);
  } catch (e) {
    throw new Error(`read policy bundle ${name}: not a gzipped tar (${(e as Error).message})`, { cause: e });
  }
  const wasm = files.get("policy.wasm");
  if (!wasm) throw new Error(`read policy bundle ${name}: no policy.wasm inside (was it built with -t wasm?)`);
  const dataBytes = files.get("data.json");
  const data = dataBytes ? (JSON.parse(Buffer.from(dataBytes).toString("utf8")) as Record<string, unknown>) : {};
  const metadata = data[METADATA_DATA_KEY] as BundleMetadata | undefined;
  if (!metadata || metadata.schemaVersion !== 1) {
    throw new Error(`read policy bundle ${name}: no gitops-gate metadata; build it with gitops-gate, not plain opa build`);
  }
  const rest = { ...data };
  delete rest[METADATA_DATA_KEY];
  return { wasm, data: rest, metadata, digest: createHash("sha256").update(bytes).digest("hex") };
}

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { compilePolicies, sourceDigest } from "../policy/build/compile.js";
import { findOpa } from "../policy/build/opa.js";
import { builtinBundlePath } from "../paths.js";

// Bumped whenever the wrapper or metadata layout changes, so old cached bundles are not reused.
const COMPILER_REVISION = "3";

/** conftest's compile flags, which change the bundle (and so its cache key). */
export interface CompileFlags {
  readonly strict?: boolean;
  /** A capabilities.json path. */
  readonly capabilities?: string;
  readonly declareUnavailable?: boolean;
}

function cacheDir(): string {
  const base = process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(base, "gitops-gate", "bundles");
}

/** The built-in packs, compiled by `npm run build`. */
export async function builtinPolicySource(): Promise<Uint8Array> {
  const path = builtinBundlePath();
  if (!existsSync(path)) throw new Error(`load built-in policies: ${path} is missing; run npm run build`);
  return readFile(path);
}

/**
 * The bundle bytes for `--policy`: nothing means the built-in packs, a .tar.gz is a
 * compiled bundle, a folder of Rego is compiled once and cached by content hash.
 */
export async function loadPolicySource(policy: readonly string[], regoVersion: "v0" | "v1", flags: CompileFlags = {}): Promise<{ bytes: Uint8Array; builtin: boolean }> {
  if (policy.length === 0) return { bytes: await builtinPolicySource(), builtin: true };
  if (policy.length === 1 && policy[0] && (policy[0].endsWith(".tar.gz") || policy[0].endsWith(".tgz"))) {
    return { bytes: await readFile(policy[0]), builtin: false };
  }
  for (const p of policy) await stat(p).catch((e: Error) => {
    throw new Error(`load policy ${p}: ${e.message}`, { cause: e });
  });
  const opa = await findOpa();
  const capabilities = flags.capabilities ? await readFile(flags.capabilities).catch((e: Error) => {
    throw new Error(`load capabilities ${flags.capabilities}: ${e.message}`, { cause: e });
  }) : undefined;
  const key = createHash("sha256")
    .update([await sourceDigest(policy), regoVersion, COMPILER_REVISION, opa, flags.strict ? "strict" : "", flags.declareUnavailable ? "unavailable" : ""].join("\0"))
    .update(capabilities ?? "")
    .digest("hex");
  const dir = cacheDir();
  const cached = join(dir, `${key}.tar.gz`);
  if (!existsSync(cached)) {
    await mkdir(dir, { recursive: true });
    await compilePolicies({
      sources: policy, opa, out: cached, regoVersion,
      ...(flags.strict ? { strict: true } : {}),
      ...(flags.capabilities ? { capabilities: flags.capabilities } : {}),
      ...(flags.declareUnavailable ? { declareUnavailable: true } : {}),
    });
  }
  return { bytes: await readFile(cached), builtin: false };
}

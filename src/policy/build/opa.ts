import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../paths.js";

const run = promisify(execFile);

/** The one OPA version the project builds and tests with (package.json `config.opaVersion`). */
export function pinnedOpaVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { config?: { opaVersion?: string } };
  const v = pkg.config?.opaVersion;
  if (!v) throw new Error("read package.json: config.opaVersion is missing");
  return v;
}

async function versionOf(bin: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(bin, ["version"]);
    return /Version: v?(\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Finds an `opa` binary: $GITOPS_GATE_OPA, then the project's tool folder (filled by
 * scripts/ensure-opa.sh), then `opa` on PATH when it is a 1.x release.
 */
export async function findOpa(): Promise<string> {
  const fromEnv = process.env["GITOPS_GATE_OPA"];
  if (fromEnv) return fromEnv;
  const local = join(packageRoot(), ".tools", "bin", "opa");
  if (existsSync(local)) return local;
  const onPath = await versionOf("opa");
  if (onPath?.startsWith("1.")) return "opa";
  throw new Error(
    `find opa: no OPA 1.x binary (want ${pinnedOpaVersion()}); run scripts/ensure-opa.sh, or install OPA and put it on PATH`,
  );
}

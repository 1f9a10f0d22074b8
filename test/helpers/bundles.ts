import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicies } from "../../src/policy/build/compile.js";
import { findOpa } from "../../src/policy/build/opa.js";
import { readBundle, type PolicyBundle } from "../../src/policy/bundle.js";
import { ROOT } from "./corpus.js";

const dir = mkdtempSync(join(tmpdir(), "gitops-gate-test-"));

/** Compiles one folder of test/fixtures/policies (through the real opa) and reads it back. */
export async function fixtureBundle(name: string, regoVersion: "v0" | "v1" = "v1"): Promise<{ bundle: PolicyBundle; bytes: Uint8Array }> {
  const out = join(dir, `${name}.tar.gz`);
  await compilePolicies({ sources: [join(ROOT, "test", "fixtures", "policies", name)], opa: await findOpa(), out, regoVersion });
  const bytes = readFileSync(out);
  return { bundle: readBundle(bytes, name), bytes };
}

export function builtinBundle(): { bundle: PolicyBundle; bytes: Uint8Array } {
  const bytes = readFileSync(join(ROOT, "dist", "policies", "builtin.tar.gz"));
  return { bundle: readBundle(bytes, "builtin"), bytes };
}

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (where package.json names gitops-gate), from source or from dist. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "gitops-gate") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("find package root: no package.json named gitops-gate above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The built-in packs, compiled by `npm run build:policies`. */
export function builtinBundlePath(): string {
  return join(packageRoot(), "dist", "policies", "builtin.tar.gz");
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** The rendering engine, built by `npm run build` (scripts/ensure-hydrate.sh); $GITOPS_GATE_HYDRATE_WASM overrides. */
export function hydrateWasmPath(): string {
  return process.env.GITOPS_GATE_HYDRATE_WASM || join(packageRoot(), "dist", "hydrate", "hydrate.wasm");
}

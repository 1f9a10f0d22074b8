import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { HydrateEngine } from "../../src/hydrate/engine.js";
import { hydrateWasmPath } from "../../src/paths.js";
import { CORPUS, ROOT } from "../helpers/corpus.js";

/** Whole charts and overlays: podinfo, the Flux kustomize-helm example, microservices-demo. */
export const RENDER_CORPUS = join(CORPUS, "render");

let built = false;

/**
 * hydrate.wasm as hydrate/ now is: scripts/ensure-hydrate.sh rebuilds it when the Go
 * sources changed since the last build (a hash check and a copy otherwise).
 */
export function ensureWasm(): string {
  if (!built && !process.env["GITOPS_GATE_HYDRATE_WASM"]) {
    execFileSync("bash", [join(ROOT, "scripts", "ensure-hydrate.sh")], { stdio: ["ignore", "ignore", "inherit"] });
    built = true;
  }
  return hydrateWasmPath();
}

let shared: Promise<HydrateEngine> | undefined;

/** One warm engine per test file (each Jest file runs in its own module registry). */
export function engine(): Promise<HydrateEngine> {
  shared ??= HydrateEngine.load(ensureWasm());
  return shared;
}

/** Every file of a folder as the engine takes them: text, or bytes when it holds a NUL. */
export function readTree(dir: string): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".git") walk(p);
        continue;
      }
      const bytes = readFileSync(p);
      out.set(relative(dir, p).split("\\").join("/"), bytes.includes(0) ? new Uint8Array(bytes) : bytes.toString("utf8"));
    }
  };
  walk(dir);
  return out;
}

/** A corpus repository of render/ (e.g. "stefanprodan__podinfo"). */
export function corpusRepo(name: string): Map<string, string | Uint8Array> {
  return readTree(join(RENDER_CORPUS, name));
}

/** A gzipped tar of files (a vendored chart archive), written by hand: no tar dependency. */
export function tgz(files: Record<string, string>): Uint8Array {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content, "utf8");
    const header = Buffer.alloc(512, 0);
    header.write(name, 0, 100, "utf8");
    header.write("0000644\0", 100, 8, "ascii");
    header.write("0000000\0", 108, 8, "ascii");
    header.write("0000000\0", 116, 8, "ascii");
    header.write(data.length.toString(8).padStart(11, "0") + "\0", 124, 12, "ascii");
    header.write("00000000000\0", 136, 12, "ascii");
    header.write("        ", 148, 8, "ascii");
    header.write("0", 156, 1, "ascii");
    header.write("ustar\0", 257, 6, "ascii");
    header.write("00", 263, 2, "ascii");
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return new Uint8Array(gzipSync(Buffer.concat(blocks)));
}

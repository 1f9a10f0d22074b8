// Rules of the codebase that no compiler checks: what runtime code imports is exactly what
// package.json lists as dependencies (the image prunes devDependencies), and no source file
// grows past what a person reads in one sitting.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { ROOT } from "./helpers/corpus.js";

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

function bareImports(source: string): string[] {
  const found = [
    ...source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gm),
    ...source.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    // createRequire(import.meta.url)("pkg") in ESM code.
    ...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] as string);
  const builtin = new Set(builtinModules);
  return found.filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtin.has(s));
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; scripts: Record<string, string> };

test("runtime code imports exactly the packages listed as dependencies", () => {
  const runtime = [...files(join(ROOT, "dist"), ".js"), ...files(join(ROOT, "bin"), ".js")];
  const imported = new Map<string, string>();
  for (const file of runtime) for (const spec of bareImports(readFileSync(file, "utf8"))) imported.set(packageOf(spec), relative(ROOT, file));
  expect(pkg.scripts["start"]).toBe("node dist/server/main.js");
  const missing = [...imported].filter(([name]) => !(name in pkg.dependencies)).map(([name, by]) => `${name} (imported by ${by})`);
  const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name));
  expect({ missing, unused }).toEqual({ missing: [], unused: [] });
});

test("no source file is over 400 lines", () => {
  const long = files(join(ROOT, "src"), ".ts")
    .map((f) => [relative(ROOT, f), readFileSync(f, "utf8").split("\n").length] as const)
    .filter(([, lines]) => lines > 400);
  expect(long).toEqual([]);
});

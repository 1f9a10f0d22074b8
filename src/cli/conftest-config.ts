// conftest's configuration file, read as conftest reads it (viper): `-c/--config-file PATH`,
// else `conftest.json`, `.toml`, `.yaml` or `.yml` in the working directory, first found.
// Its keys are the flag names (`policy = "test"`, `namespace = "conftest"`, `all-namespaces
// = true`, ...); a flag given on the command line wins over the file.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseFile } from "../manifests/index.js";

/** viper's search order for `conftest.<ext>`, cut to the formats a conftest.toml user writes. */
const SEARCH = ["json", "toml", "yaml", "yml"] as const;
const FORMAT: Readonly<Record<string, string>> = { ".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml" };

export type ConftestConfig = Readonly<Record<string, unknown>>;

/** The file conftest would read, or undefined when there is none (not an error, as for conftest). */
export function conftestConfigPath(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit) return explicit;
  for (const ext of SEARCH) {
    const p = join(cwd, `conftest.${ext}`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export async function readConftestConfig(path: string): Promise<ConftestConfig> {
  const format = FORMAT[extname(path).toLowerCase()];
  if (!format) throw new Error(`read in config: unsupported config type ${JSON.stringify(extname(path).slice(1))} of ${path} (gitops-gate reads conftest configs in TOML, YAML or JSON)`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`read in config: ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`, { cause: e });
  }
  const parsed = parseFile({ path, bytes }, format);
  if (!parsed.ok) throw new Error(`read in config: ${path}: line ${parsed.error.line}: ${parsed.error.message}`);
  const doc = parsed.documents[0]?.content;
  if (doc === undefined) return {};
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error(`read in config: ${path}: not a table of settings`);
  // viper's keys are case-insensitive.
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A string-list setting as viper's GetStringSlice reads it (cast.ToStringSlice): a list, or one string split at white space. */
export function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(/\s+/).filter((s) => s !== "");
}

export function boolSetting(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  return ["1", "t", "true", "yes", "on"].includes(String(v).toLowerCase());
}

export function stringSetting(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

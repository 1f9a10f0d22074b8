// The formats gitops-gate reads with conftest's own parsers, by conftest's parser names
// (so `--parser toml` and config `formats: {"*.conf": hocon}` mean what they mean to conftest).
import type { ManifestParser } from "../types.js";
import { conftestParser, type ConftestFormat } from "./index.js";
import { codeownersLines, dotenvLines, groovyLines, ignoreLines, iniLines, propertiesLines, tomlLines } from "./lines.js";

const SPECS: readonly ConftestFormat[] = [
  { format: "codeowners", module: "core", lines: codeownersLines },
  { format: "cue", module: "cue" },
  { format: "cyclonedx", module: "core" },
  { format: "dotenv", module: "core", lines: dotenvLines },
  { format: "edn", module: "core" },
  // Jenkinsfile: Groovy's concrete syntax tree (conftest limits it to 256 levels itself).
  { format: "groovy", module: "core", lines: groovyLines, minDepth: 2 * 256 + 2 },
  { format: "hcl1", module: "core" },
  { format: "hocon", module: "core" },
  { format: "ignore", module: "core", lines: ignoreLines },
  { format: "ini", module: "core", lines: iniLines },
  { format: "jsonc", module: "core" },
  { format: "jsonnet", module: "core" },
  { format: "nginx", module: "core" },
  { format: "properties", module: "core", lines: propertiesLines },
  { format: "spdx", module: "core" },
  { format: "textproto", module: "core" },
  { format: "toml", module: "core", lines: tomlLines },
  { format: "vcl", module: "core" },
  { format: "xml", module: "core" },
];

export const CONFTEST_FORMATS: readonly ManifestParser[] = SPECS.map(conftestParser);

import { compileGlob, globMatcher } from "../config/glob.js";
import type { Config } from "../config/schema.js";
import { detectFormat } from "../manifests/index.js";

/** path → format for the files the config selects, or undefined for the rest. */
export function selector(config: Pick<Config, "paths" | "formats">): (path: string) => string | undefined {
  const include = globMatcher(config.paths.include);
  const exclude = globMatcher(config.paths.exclude);
  const overrides = Object.entries(config.formats).map(([glob, format]) => [compileGlob(glob), format] as const);
  return (path) => {
    const forced = overrides.find(([match]) => match(path))?.[1];
    if (forced) return exclude(path) ? undefined : forced;
    return include(path) && !exclude(path) ? detectFormat(path) : undefined;
  };
}

/** Whether the config's `paths.exclude` leaves a path out. */
export function exclusion(config: Pick<Config, "paths">): (path: string) => boolean {
  return globMatcher(config.paths.exclude);
}

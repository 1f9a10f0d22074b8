import { compileGlob, globMatcher } from "../config/glob.js";
import type { Config } from "../config/schema.js";
import { detectFormat } from "../manifests/index.js";

/** path → format for the files the config selects, or undefined for the rest. */
export function selector(config: Pick<Config, "paths" | "formats"> & Partial<Pick<Config, "waivers">>): (path: string) => string | undefined {
  const include = globMatcher(config.paths.include);
  const excluded = exclusion(config);
  const overrides = Object.entries(config.formats).map(([glob, format]) => [compileGlob(glob), format] as const);
  return (path) => {
    const forced = overrides.find(([match]) => match(path))?.[1];
    if (forced) return excluded(path) ? undefined : forced;
    return include(path) && !excluded(path) ? detectFormat(path) : undefined;
  };
}

/** Whether the config's `paths.exclude` leaves a path out; the waivers file is data about findings, never a manifest. */
export function exclusion(config: Pick<Config, "paths"> & Partial<Pick<Config, "waivers">>): (path: string) => boolean {
  const exclude = globMatcher(config.paths.exclude);
  const waivers = config.waivers?.path;
  return (path) => path === waivers || exclude(path);
}

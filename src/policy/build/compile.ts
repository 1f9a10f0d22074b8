import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { COMPILER_BUILTINS, HOST_BUILTINS, NATIVE_WASM_BUILTINS, refusalReason } from "../builtins/index.js";
import type { BundleMetadata, NamespaceInfo, PackageStyle, RuleMetadata, Severity } from "../types.js";
import { isQueried, ruleKind } from "./rules.js";
import { COMBINED_ENTRYPOINT, DOCUMENT_ENTRYPOINT, METADATA_DATA_KEY, wrapperModule } from "./wrapper.js";

const run = promisify(execFile);
const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export interface CompileOptions {
  /** Folders or files of Rego (and data files), as `opa build` takes them. */
  readonly sources: readonly string[];
  readonly opa: string;
  readonly out: string;
  /** `v0` for policies written before OPA 1.0 (conftest < 0.56 folders). */
  readonly regoVersion?: "v0" | "v1";
  /** How each source is named in rule locations (default: its path as given). */
  readonly sourceNames?: readonly string[];
}

interface Term {
  type: string;
  value: unknown;
}

async function opaJson(opa: string, args: string[]): Promise<unknown> {
  try {
    const { stdout } = await run(opa, args, { maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(stdout);
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message?: string };
    throw new Error(`run opa ${args[0]}: ${(err.stderr || err.stdout || err.message || String(e)).trim()}`, { cause: e });
  }
}

async function regoFiles(sources: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const s = await stat(p);
    if (s.isDirectory()) {
      for (const entry of (await readdir(p)).sort()) {
        if (!entry.startsWith(".")) await walk(join(p, entry));
      }
    } else if (p.endsWith(".rego") && !p.endsWith("_test.rego")) out.push(p);
  };
  for (const src of sources) await walk(src);
  return out;
}

/** sha256 over every file that `opa build` would read, by relative path and content. */
export async function sourceDigest(sources: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (p: string, root: string): Promise<void> => {
    const s = await stat(p);
    if (s.isDirectory()) {
      for (const entry of (await readdir(p)).sort()) if (!entry.startsWith(".")) await walk(join(p, entry), root);
    } else if (/\.(rego|json|ya?ml)$/.test(p) && !p.endsWith("_test.rego")) {
      hash.update(relative(root, p)).update("\0").update(await readFile(p)).update("\0");
    }
  };
  for (const src of [...sources].sort()) await walk(src, resolve(src, ".."));
  return hash.digest("hex");
}

function packageName(path: Term[]): string {
  return path
    .slice(1)
    .map((t) => String(t.value))
    .join(".");
}

interface BuiltinDecl {
  name: string;
}

/**
 * The running OPA's capabilities, with the builtins cut down to those a compiled policy can
 * run: native to OPA's wasm target, implemented by gitops-gate on the host, or removed by
 * the compiler. Declarations (types) are OPA's own. Everything else (http.send, ...) stays
 * out, so `opa build` refuses it; `explainRefusals` then says why.
 */
export async function compileCapabilities(opa: string): Promise<{ capabilities: Record<string, unknown>; builtins: string[] }> {
  const current = (await opaJson(opa, ["capabilities", "--current"])) as Record<string, unknown> & { builtins: BuiltinDecl[] };
  const allowed = new Set([...NATIVE_WASM_BUILTINS, ...COMPILER_BUILTINS, ...Object.keys(HOST_BUILTINS)]);
  const builtins = current.builtins.filter((b) => allowed.has(b.name));
  return { capabilities: { ...current, builtins }, builtins: builtins.map((b) => b.name) };
}

/** Rewrites OPA's "undefined function x" compile errors to say why gitops-gate refuses x. */
export function explainRefusals(text: string): string {
  const names = new Set<string>();
  for (const m of text.matchAll(/undefined function ([\w.]+)/g)) names.add(m[1]!);
  const known = new Set([...NATIVE_WASM_BUILTINS, ...COMPILER_BUILTINS, ...Object.keys(HOST_BUILTINS)]);
  const lines = [...names].filter((n) => !known.has(n)).sort().map((n) => `  ${refusalReason(n)}`);
  return lines.length > 0 ? `${text}\n${lines.join("\n")}` : text;
}

/** A rule's file as people should read it: under its source's name rather than a work folder. */
function displayName(file: string, options: CompileOptions): string {
  const names = options.sourceNames;
  if (!names) return file;
  for (const [i, src] of options.sources.entries()) {
    const rel = relative(resolve(src), resolve(file));
    if (!rel.startsWith("..") && names[i] !== undefined) return `${names[i]}${rel.split("\\").join("/")}`;
  }
  return file;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

interface Annotation {
  annotations?: { scope?: string; title?: string; description?: string; custom?: Record<string, unknown> };
  location?: { file?: string; row?: number };
  path?: Term[];
}

/**
 * Compiles Rego to a wasm bundle whose data carries every rule's METADATA, so the
 * engine needs nothing but the bundle. Unsupported builtins fail here, not at run time.
 */
export async function compilePolicies(options: CompileOptions): Promise<BundleMetadata> {
  const { opa } = options;
  const v0 = options.regoVersion === "v0" ? ["--v0-compatible"] : [];
  const files = await regoFiles(options.sources);
  if (files.length === 0) throw new Error(`compile policies: no .rego files in ${options.sources.join(", ")}`);

  const rulesByNs = new Map<string, Set<string>>();
  const exceptionNs = new Set<string>();
  await Promise.all(
    files.map(async (file) => {
      const ast = (await opaJson(opa, ["parse", ...v0, "--format", "json", file])) as {
        package: { path: Term[] };
        rules?: Array<{ head: { name?: string; ref?: Term[] } }>;
      };
      const ns = packageName(ast.package.path);
      const set = rulesByNs.get(ns) ?? new Set<string>();
      rulesByNs.set(ns, set);
      for (const rule of ast.rules ?? []) {
        const name = rule.head.name ?? String(rule.head.ref?.[0]?.value ?? "");
        if (name === "exception") exceptionNs.add(ns);
        else if (ruleKind(name)) set.add(name);
      }
    }),
  );

  const annotations: Annotation[] = [];
  for (const src of options.sources) {
    const inspected = (await opaJson(opa, ["inspect", ...v0, "-a", "--format", "json", src])) as {
      annotations?: Annotation[];
    };
    annotations.push(...(inspected.annotations ?? []));
  }
  const styles = new Map<string, PackageStyle>();
  const ruleAnnotations = new Map<string, Annotation>();
  for (const a of annotations) {
    const path = a.path ?? [];
    const scope = a.annotations?.scope;
    if (scope === "package" || scope === "subpackages") {
      const style = a.annotations?.custom?.["input"];
      if (style === "gatekeeper" || style === "conftest") styles.set(packageName(path), style);
    } else if (path.length >= 3) {
      const key = `${packageName(path.slice(0, -1))}/${String(path[path.length - 1]?.value)}`;
      if (!ruleAnnotations.has(key)) ruleAnnotations.set(key, a);
    }
  }

  const namespaces: Record<string, NamespaceInfo> = {};
  const rules: Record<string, RuleMetadata> = {};
  for (const [ns, set] of [...rulesByNs].sort(([a], [b]) => a.localeCompare(b))) {
    const style = styles.get(ns) ?? "conftest";
    const queried = [...set].filter((r) => isQueried(style, r)).sort();
    if (queried.length === 0 && !exceptionNs.has(ns)) continue;
    namespaces[ns] = { style, rules: queried, hasExceptions: exceptionNs.has(ns) };
    for (const rule of queried) {
      const key = `${ns}/${rule}`;
      const a = ruleAnnotations.get(key);
      const custom = a?.annotations?.custom ?? {};
      const severity = str(custom["severity"]);
      const title = str(a?.annotations?.title);
      const description = str(a?.annotations?.description);
      const remediation = str(custom["remediation"]);
      const docs = str(custom["docs"]) ?? str(custom["docs_url"]);
      const kind = ruleKind(rule) ?? "deny";
      rules[key] = {
        key,
        namespace: ns,
        rule,
        kind,
        id: str(custom["id"]) ?? `${ns}.${rule}`,
        ...(title ? { title } : {}),
        ...(description ? { description } : {}),
        ...(severity && (SEVERITIES as string[]).includes(severity) ? { severity: severity as Severity } : {}),
        ...(remediation ? { remediation } : {}),
        ...(docs ? { docs } : {}),
        ...(a?.location?.file ? { location: { file: displayName(a.location.file, options), row: a.location.row ?? 1 } } : {}),
      };
    }
  }
  if (Object.keys(namespaces).length === 0) {
    throw new Error(`compile policies: no deny, warn, violation or exception rules in ${options.sources.join(", ")}`);
  }

  const { stdout: versionOut } = await run(opa, ["version"]);
  const metadata: BundleMetadata = {
    schemaVersion: 1,
    opaVersion: /Version: (\S+)/.exec(versionOut)?.[1] ?? "unknown",
    sourceDigest: await sourceDigest(options.sources),
    namespaces,
    rules,
  };

  const work = await mkdtemp(join(tmpdir(), "gitops-gate-build-"));
  try {
    const gen = join(work, "gen");
    await mkdir(join(gen, METADATA_DATA_KEY), { recursive: true });
    await writeFile(join(gen, "gitops_gate.rego"), wrapperModule(namespaces));
    await writeFile(join(gen, METADATA_DATA_KEY, "data.json"), JSON.stringify(metadata));
    const caps = join(work, "capabilities.json");
    await writeFile(caps, JSON.stringify((await compileCapabilities(opa)).capabilities));
    const tmpOut = join(work, "bundle.tar.gz");
    try {
      await run(
        opa,
        [
          "build", "-t", "wasm", ...v0,
          "--capabilities", caps,
          "-e", DOCUMENT_ENTRYPOINT, "-e", COMBINED_ENTRYPOINT,
          "--ignore", "*_test.rego",
          "-o", tmpOut,
          ...options.sources, gen,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string; message?: string };
      const text = [err.stderr, err.stdout].filter(Boolean).join("\n").trim() || (err.message ?? String(e));
      throw new Error(`compile policies: opa build failed:\n${explainRefusals(text)}`, { cause: e });
    }
    await mkdir(resolve(options.out, ".."), { recursive: true });
    await rename(tmpOut, options.out).catch(async () => {
      await writeFile(options.out, await readFile(tmpOut));
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return metadata;
}

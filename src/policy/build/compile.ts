import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { COMPILER_BUILTINS, HOST_BUILTINS, NATIVE_WASM_BUILTINS, UNAVAILABLE_BUILTIN_NAMES, refusalReason } from "../builtins/index.js";
import { templatesIn, type ConstraintTemplateSource } from "../gatekeeper/template.js";
import type { BundleMetadata, NamespaceInfo, PackageStyle, RuleMetadata, Severity } from "../types.js";
import { isQueried, ruleKind } from "./rules.js";
import { COMBINED_ENTRYPOINT, DOCUMENT_ENTRYPOINT, METADATA_DATA_KEY, wrapperModule } from "./wrapper.js";

const run = promisify(execFile);
const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export interface CompileOptions {
  /** Folders or files of Rego (and ConstraintTemplate YAML), as conftest's --policy takes them. */
  readonly sources: readonly string[];
  readonly opa: string;
  readonly out: string;
  /** `v0` for policies written before OPA 1.0 (conftest < 0.56 folders). */
  readonly regoVersion?: "v0" | "v1";
  /** How each source is named in rule locations (default: its path as given). */
  readonly sourceNames?: readonly string[];
  /** conftest's --strict: OPA's strict compiler checks (unused variables and arguments, ...). */
  readonly strict?: boolean;
  /** conftest's --capabilities: a capabilities.json; only the builtins it declares may be used. */
  readonly capabilities?: string;
  /**
   * Declare the builtins gitops-gate cannot run (http.send, net.lookup_ip_addr,
   * opa.runtime), so a policy that names them compiles; every call then fails its
   * evaluation with a builtin error. Off: such a policy is refused here.
   */
  readonly declareUnavailable?: boolean;
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

/** A file of a source: its path on disk and its path inside the source (a lone file: its name). */
interface SourceFile {
  readonly source: number;
  readonly path: string;
  readonly rel: string;
}

/** What a policy folder holds for the compiler: Rego (tests left out) and YAML/JSON that may be ConstraintTemplates. */
async function sourceFiles(sources: readonly string[]): Promise<{ rego: SourceFile[]; yaml: SourceFile[] }> {
  const rego: SourceFile[] = [];
  const yaml: SourceFile[] = [];
  for (const [source, src] of sources.entries()) {
    const walk = async (p: string, rel: string): Promise<void> => {
      const s = await stat(p);
      if (s.isDirectory()) {
        for (const entry of (await readdir(p)).sort()) {
          if (!entry.startsWith(".")) await walk(join(p, entry), rel ? `${rel}/${entry}` : entry);
        }
      } else if (p.endsWith(".rego") && !p.endsWith("_test.rego")) rego.push({ source, path: p, rel });
      else if (/\.(ya?ml|json)$/i.test(p)) yaml.push({ source, path: p, rel });
    };
    const s = await stat(src);
    await walk(src, s.isDirectory() ? "" : basename(src));
  }
  return { rego, yaml };
}

/** sha256 over every file the compiler may read, by relative path and content. */
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

export interface CapabilityOptions {
  /** A user's capabilities.json (conftest --capabilities): its builtins bound what may be declared. */
  readonly user?: { readonly builtins?: readonly BuiltinDecl[] };
  /** Declare the builtins gitops-gate cannot run; each call fails its evaluation. */
  readonly declareUnavailable?: boolean;
}

/**
 * The running OPA's capabilities, with the builtins cut down to those a compiled policy can
 * run: native to OPA's wasm target, implemented by gitops-gate on the host, or removed by
 * the compiler (plus, on request, those that always fail: network, OPA runtime). A user's
 * capabilities file narrows that further, as conftest's --capabilities does. Declarations
 * (types) are OPA's own. Everything else (http.send, ...) stays out, so `opa build`
 * refuses it; `explainRefusals` then says why.
 */
export async function compileCapabilities(opa: string, options: CapabilityOptions = {}): Promise<{ capabilities: Record<string, unknown>; builtins: string[] }> {
  const current = (await opaJson(opa, ["capabilities", "--current"])) as Record<string, unknown> & { builtins: BuiltinDecl[] };
  const allowed = new Set([...NATIVE_WASM_BUILTINS, ...COMPILER_BUILTINS, ...Object.keys(HOST_BUILTINS), ...(options.declareUnavailable ? UNAVAILABLE_BUILTIN_NAMES : [])]);
  const declared = options.user ? new Set((options.user.builtins ?? []).map((b) => b.name)) : undefined;
  // `=` and `:=` are not functions a policy names; a capabilities file may leave them out.
  const builtins = current.builtins.filter((b) => allowed.has(b.name) && (!declared || declared.has(b.name) || b.name === "eq" || b.name === "assign"));
  return { capabilities: { ...current, builtins }, builtins: builtins.map((b) => b.name) };
}

/** Rewrites OPA's "undefined function x" compile errors to say why gitops-gate refuses x. */
export function explainRefusals(text: string, options: { capabilitiesFile?: string; declared?: ReadonlySet<string> } = {}): string {
  const names = new Set<string>();
  for (const m of text.matchAll(/undefined function ([\w.]+)/g)) names.add(m[1]!);
  const lines: string[] = [];
  for (const n of [...names].sort()) {
    if (options.capabilitiesFile && options.declared && !options.declared.has(n)) lines.push(`  ${n} is not declared by --capabilities ${options.capabilitiesFile}`);
    else if (!compilable(n)) lines.push(`  ${refusalReason(n)}`);
  }
  return lines.length > 0 ? `${text}\n${lines.join("\n")}` : text;
}

function compilable(name: string): boolean {
  return NATIVE_WASM_BUILTINS.includes(name) || COMPILER_BUILTINS.includes(name) || Object.hasOwn(HOST_BUILTINS, name);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

interface Annotation {
  annotations?: { scope?: string; title?: string; description?: string; custom?: Record<string, unknown> };
  location?: { file?: string; row?: number };
  path?: Term[];
}

/** The text of an opa failure, whichever stream it used. */
function failureText(e: unknown): string {
  const err = e as { stderr?: string; stdout?: string; message?: string };
  return [err.stderr, err.stdout].filter(Boolean).join("\n").trim() || (err.message ?? String(e));
}

/** Folder of the generated modules inside the staged bundle. */
const GENERATED = "gitops_gate";

/**
 * Compiles Rego to a wasm bundle whose data carries every rule's METADATA, so the
 * engine needs nothing but the bundle. Unsupported builtins fail here, not at run time.
 *
 * As conftest loads a policy folder: only `.rego` files are compiled (tests left out);
 * other files are not data (conftest's --data, gitops-gate's `data:`, name data). YAML
 * holding Gatekeeper ConstraintTemplates is read too: each template's Rego becomes a
 * Gatekeeper-style package (see ../gatekeeper/template.ts). Everything is staged into one
 * bundle folder, so that v0 templates and v1 policies compile together (the bundle's
 * `.manifest` gives each file its Rego version).
 */
export async function compilePolicies(options: CompileOptions): Promise<BundleMetadata> {
  const { opa } = options;
  const regoVersion = options.regoVersion ?? "v1";
  const v0 = regoVersion === "v0" ? ["--v0-compatible"] : [];
  const files = await sourceFiles(options.sources);
  const templates: ConstraintTemplateSource[] = [];
  for (const f of files.yaml) {
    for (const t of templatesIn(displayPath(f, options), await readFile(f.path))) {
      if ("error" in t) throw new Error(`compile policies: ${t.error}`);
      templates.push(t);
    }
  }
  if (files.rego.length === 0 && templates.length === 0) throw new Error(`compile policies: no .rego files or ConstraintTemplates in ${options.sources.join(", ")}`);

  const rulesByNs = new Map<string, Set<string>>();
  const exceptionNs = new Set<string>();
  await Promise.all(
    files.rego.map(async (file) => {
      const ast = (await opaJson(opa, ["parse", ...v0, "--format", "json", file.path])) as {
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

  const work = await mkdtemp(join(tmpdir(), "gitops-gate-build-"));
  try {
    // 1. Stage: the sources' Rego under src<i>/, generated modules under gitops_gate/.
    const bundleDir = join(work, "bundle");
    const staged = new Map<string, string>();
    for (const f of files.rego) {
      const target = join(bundleDir, `src${f.source}`, f.rel);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await readFile(f.path));
      staged.set(target, displayPath(f, options));
    }
    const fileVersions: Record<string, number> = {};
    for (const t of templates) {
      const dir = join(bundleDir, GENERATED, "templates", t.name);
      await mkdir(dir, { recursive: true });
      for (const m of t.modules) {
        await writeFile(join(dir, m.name), m.text);
        staged.set(join(dir, m.name), `${t.file} (ConstraintTemplate ${t.name}${m.name === "template.rego" ? "" : `, ${m.name.replace(/\.rego$/, "").replace("_", " ")}`})`);
      }
      if (t.regoVersion !== regoVersion) fileVersions[`/${GENERATED}/templates/${t.name}/*.rego`] = t.regoVersion === "v0" ? 0 : 1;
    }
    await writeFile(join(bundleDir, ".manifest"), JSON.stringify({ rego_version: regoVersion === "v0" ? 0 : 1, ...(Object.keys(fileVersions).length ? { file_rego_versions: fileVersions } : {}) }));
    /** OPA's messages name staged files; people should read their own paths. */
    const unstage = (text: string): string => {
      let out = text;
      for (const [from, to] of [...staged].sort(([a], [b]) => b.length - a.length)) out = out.split(from).join(to);
      return out.split(`${bundleDir}${sep}`).join("");
    };

    // 2. METADATA of the sources' rules, and package styles.
    const annotations: Annotation[] = [];
    for (const i of new Set(files.rego.map((f) => f.source))) {
      let inspected: { annotations?: Annotation[] };
      try {
        inspected = (await opaJson(opa, ["inspect", ...v0, "-a", "--format", "json", join(bundleDir, `src${i}`)])) as { annotations?: Annotation[] };
      } catch (e) {
        throw new Error(`compile policies: ${unstage((e as Error).message)}`, { cause: e });
      }
      annotations.push(...(inspected.annotations ?? []));
    }
    const styles = new Map<string, PackageStyle>();
    const kinds = new Map<string, string>();
    const ruleAnnotations = new Map<string, Annotation>();
    for (const a of annotations) {
      const path = a.path ?? [];
      const scope = a.annotations?.scope;
      if (scope === "package" || scope === "subpackages") {
        const style = a.annotations?.custom?.["input"];
        if (style === "gatekeeper" || style === "conftest") styles.set(packageName(path), style);
        const kind = str(a.annotations?.custom?.["kind"]);
        if (kind) kinds.set(packageName(path), kind);
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
      const kind = style === "gatekeeper" ? kinds.get(ns) : undefined;
      namespaces[ns] = { style, rules: queried, hasExceptions: exceptionNs.has(ns), ...(kind ? { constraintKind: kind } : {}) };
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
        const file = a?.location?.file ? (staged.get(a.location.file) ?? unstage(a.location.file)) : undefined;
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
          ...(file ? { location: { file, row: a?.location?.row ?? 1 } } : {}),
          // METADATA `custom.waivable: false`: no waiver and no conftest exception waives it.
          ...(custom["waivable"] === false ? { waivable: false as const } : {}),
        };
      }
    }
    for (const t of templates) {
      if (namespaces[t.package]) throw new Error(`compile policies: package ${t.package} of ConstraintTemplate ${t.name} (${t.file}) is also defined elsewhere`);
      namespaces[t.package] = { style: "gatekeeper", rules: ["violation"], hasExceptions: false, constraintKind: t.kind, template: t.name };
      const key = `${t.package}/violation`;
      rules[key] = {
        key,
        namespace: t.package,
        rule: "violation",
        kind: "deny",
        id: t.kind,
        title: t.title ?? t.kind,
        ...(t.description ? { description: t.description } : {}),
        location: { file: t.file, row: 1 },
      };
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

    // 3. The wrapper, the metadata, the capabilities; strict checks; the build.
    await mkdir(join(bundleDir, GENERATED), { recursive: true });
    await mkdir(join(bundleDir, METADATA_DATA_KEY), { recursive: true });
    await writeFile(join(bundleDir, GENERATED, "gitops_gate.rego"), wrapperModule(namespaces));
    await writeFile(join(bundleDir, METADATA_DATA_KEY, "data.json"), JSON.stringify(metadata));
    const user = options.capabilities ? await readCapabilities(options.capabilities) : undefined;
    const caps = join(work, "capabilities.json");
    const capabilities = await compileCapabilities(opa, { ...(user ? { user } : {}), ...(options.declareUnavailable ? { declareUnavailable: true } : {}) });
    await writeFile(caps, JSON.stringify(capabilities.capabilities));
    const explain = (text: string): string =>
      explainRefusals(unstage(text), options.capabilities && user ? { capabilitiesFile: options.capabilities, declared: new Set((user.builtins ?? []).map((b) => b.name)) } : {});
    if (options.strict) {
      try {
        await run(opa, ["check", "--strict", "-b", "--capabilities", caps, bundleDir], { maxBuffer: 64 * 1024 * 1024 });
      } catch (e) {
        throw new Error(`compile policies: strict mode:\n${explain(failureText(e))}`, { cause: e });
      }
    }
    const tmpOut = join(work, "bundle.tar.gz");
    try {
      await run(
        opa,
        ["build", "-b", "-t", "wasm", "--capabilities", caps, "-e", DOCUMENT_ENTRYPOINT, "-e", COMBINED_ENTRYPOINT, "-o", tmpOut, bundleDir],
        { maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (e) {
      throw new Error(`compile policies: opa build failed:\n${explain(failureText(e))}`, { cause: e });
    }
    await mkdir(resolve(options.out, ".."), { recursive: true });
    await rename(tmpOut, options.out).catch(async () => {
      await writeFile(options.out, await readFile(tmpOut));
    });
    return metadata;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function readCapabilities(path: string): Promise<{ builtins?: BuiltinDecl[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new Error(`load capabilities ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { builtins?: unknown }).builtins)) {
    throw new Error(`load capabilities ${path}: not an OPA capabilities file (no "builtins" list)`);
  }
  return parsed as { builtins: BuiltinDecl[] };
}

/** A rule's file as people should read it: under its source's name rather than a work folder. */
function displayPath(f: SourceFile, options: CompileOptions): string {
  const name = options.sourceNames?.[f.source];
  if (name !== undefined) return `${name}${f.rel}`;
  const src = options.sources[f.source] as string;
  return f.rel === basename(src) && !src.endsWith("/") && f.path === src ? src : join(src, f.rel);
}

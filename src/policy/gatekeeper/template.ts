// Gatekeeper ConstraintTemplates as policy sources: the Rego of a template (and its
// `libs`) becomes modules of the bundle, its package a Gatekeeper-style namespace, and
// its CRD kind the kind of the Constraints that configure it.
import { parseFile } from "../../manifests/index.js";

/** Where Gatekeeper evaluates a template: the admission target. */
export const ADMISSION_TARGET = "admission.k8s.gatekeeper.sh";
/** Each template's `lib.*` packages are moved under this root, one subtree per template, as Gatekeeper isolates them. */
export const TEMPLATE_LIBS_ROOT = "gitops_gate_templates";

export interface TemplateModule {
  /** File name inside the template's generated folder. */
  readonly name: string;
  readonly text: string;
}

export interface ConstraintTemplateSource {
  /** metadata.name, e.g. `k8srequiredlabels`. */
  readonly name: string;
  /** The kind of its Constraints (spec.crd.spec.names.kind), e.g. `K8sRequiredLabels`. */
  readonly kind: string;
  /**
   * The namespace it is evaluated as: its name. Gatekeeper keeps each template's Rego apart
   * (two templates may declare the same package, as seccomp and seccompv2 do), so the
   * template's package is renamed to the template's own name.
   */
  readonly package: string;
  /** The package its Rego declares. */
  readonly declaredPackage: string;
  /** Gatekeeper reads template Rego as v0 unless the source says `version: v1`. */
  readonly regoVersion: "v0" | "v1";
  readonly modules: readonly TemplateModule[];
  readonly title?: string;
  readonly description?: string;
  /** The file it was read from. */
  readonly file: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

/** True for a ConstraintTemplate object (templates.gatekeeper.sh, any version). */
export function isConstraintTemplate(doc: unknown): boolean {
  return isObject(doc) && doc["kind"] === "ConstraintTemplate" && typeof doc["apiVersion"] === "string" && doc["apiVersion"].startsWith("templates.gatekeeper.sh/");
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/**
 * Moves `package lib...` and every `data.lib...` reference under the template's own
 * subtree, as Gatekeeper's constraint framework does, so that two templates carrying
 * different versions of `lib.exempt_container` never meet.
 */
export function isolateLibs(text: string, templateName: string): string {
  const root = `${TEMPLATE_LIBS_ROOT}.${templateName}.lib`;
  return text.replace(/^(\s*package\s+)lib\b/m, `$1${root}`).replace(/\bdata\.lib\b/g, `data.${root}`);
}

/** The template's Rego, libs and version, from `rego`/`libs` or from a `code` entry with engine Rego. */
function regoOf(target: Record<string, unknown>): { rego: string; libs: string[]; version: "v0" | "v1" } | undefined {
  if (typeof target["rego"] === "string") return { rego: target["rego"], libs: strings(target["libs"]), version: "v0" };
  const code = Array.isArray(target["code"]) ? target["code"] : [];
  for (const c of code) {
    if (!isObject(c) || c["engine"] !== "Rego" || !isObject(c["source"])) continue;
    const source = c["source"];
    if (typeof source["rego"] !== "string") continue;
    return { rego: source["rego"], libs: strings(source["libs"]), version: source["version"] === "v1" ? "v1" : "v0" };
  }
  return undefined;
}

/** One ConstraintTemplate object → its Rego modules, or an error saying why it cannot be used. */
export function readTemplate(doc: unknown, file: string): ConstraintTemplateSource | { error: string } {
  const name = get(doc, "metadata", "name");
  const kind = get(doc, "spec", "crd", "spec", "names", "kind");
  const where = `ConstraintTemplate ${typeof name === "string" ? name : "(no name)"} in ${file}`;
  if (typeof name !== "string" || !/^[a-z][a-z0-9]*$/.test(name)) return { error: `${where}: metadata.name must be the lowercase kind (letters and digits)` };
  if (typeof kind !== "string" || kind === "") return { error: `${where}: spec.crd.spec.names.kind is missing` };
  const targets = get(doc, "spec", "targets");
  const target = Array.isArray(targets) ? targets.find((t) => isObject(t) && (t["target"] === ADMISSION_TARGET || t["target"] === undefined)) : undefined;
  if (!isObject(target)) return { error: `${where}: no target ${ADMISSION_TARGET}` };
  const rego = regoOf(target);
  if (!rego) return { error: `${where}: no Rego (a template with only CEL code cannot be evaluated by gitops-gate)` };
  const pkg = /^\s*package\s+([\w.]+)/m.exec(rego.rego)?.[1];
  if (!pkg) return { error: `${where}: its rego has no package` };
  const annotations = get(doc, "metadata", "annotations");
  const title = get(annotations, "metadata.gatekeeper.sh/title");
  const description = get(annotations, "description");
  return {
    name,
    kind,
    package: name,
    declaredPackage: pkg,
    regoVersion: rego.version,
    modules: [
      { name: "template.rego", text: isolateLibs(rego.rego, name).replace(/^(\s*package\s+)[\w.]+/m, `$1${name}`) },
      ...rego.libs.map((lib, i) => ({ name: `lib_${i}.rego`, text: isolateLibs(lib, name) })),
    ],
    ...(typeof title === "string" && title.trim() ? { title: title.trim() } : {}),
    ...(typeof description === "string" && description.trim() ? { description: description.trim() } : {}),
    file,
  };
}

/**
 * The ConstraintTemplates in a YAML or JSON file of a policy folder. Other documents are
 * not policies and are left alone (a policy folder's data files are not loaded either).
 */
export function templatesIn(file: string, bytes: Uint8Array): Array<ConstraintTemplateSource | { error: string }> {
  const parsed = parseFile({ path: file, bytes }, file.toLowerCase().endsWith(".json") ? "json" : "yaml");
  if (!parsed.ok) {
    // Only a file that looks like a template is worth a word; any other YAML is not ours.
    const text = Buffer.from(bytes).toString("utf8");
    return /\bkind:\s*["']?ConstraintTemplate\b|"kind"\s*:\s*"ConstraintTemplate"/.test(text)
      ? [{ error: `read ConstraintTemplate ${file}: line ${parsed.error.line}: ${parsed.error.message}` }]
      : [];
  }
  return parsed.documents.filter((d) => isConstraintTemplate(d.content)).map((d) => readTemplate(d.content, file));
}

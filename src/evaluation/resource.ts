// "The same resource" across commits and in waivers: a Kubernetes object by kind,
// namespace and name, whatever file or document position holds it.
import type { Finding, WaivedResult } from "../policy/types.js";

/** `Kind/namespace/name`, or `Kind/name` without a namespace; undefined for anything that is not an object with a kind and a name. */
export function resourceOf(doc: unknown): string | undefined {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const o = doc as Record<string, unknown>;
  const meta = o["metadata"];
  if (typeof o["kind"] !== "string" || !o["kind"] || !meta || typeof meta !== "object") return undefined;
  const { name, namespace } = meta as Record<string, unknown>;
  if (typeof name !== "string" || !name) return undefined;
  return `${o["kind"]}/${typeof namespace === "string" && namespace ? `${namespace}/` : ""}${name}`;
}

/** The findings (and waived results) of one document, each naming the object it is about. */
export function withResource<T extends { findings: Finding[]; waived: WaivedResult[] }>(out: T, resource: string | undefined): T {
  if (!resource) return out;
  const tag = (f: Finding): Finding => (f.resource || f.kind === "error" ? f : { ...f, resource });
  return { ...out, findings: out.findings.map(tag), waived: out.waived.map((w) => ({ ...w, findings: w.findings.map(tag) })) };
}

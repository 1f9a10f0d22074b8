// Gatekeeper context for the bundles of a run: which Constraint kinds the selected
// packages take, and the engine options that hand them the repository's inventory and
// Constraints. Bundles without a selected Gatekeeper package are left as they are.
import { readBundle } from "../bundle.js";
import { mergeData } from "../data.js";
import type { EngineOptions } from "../engine.js";
import type { BundleMetadata } from "../types.js";
import type { GatekeeperContext } from "./context.js";

type Bundles = ReadonlyArray<{ readonly bytes: Uint8Array; readonly engine: EngineOptions }>;

/** Bundle metadata by the bundle's bytes: a bundle is read once however many runs ask. */
const metadataOf = new WeakMap<Uint8Array, BundleMetadata>();

function gatekeeperNamespaces(bundle: { readonly bytes: Uint8Array; readonly engine: EngineOptions }): Array<{ namespace: string; kind?: string }> {
  let metadata = metadataOf.get(bundle.bytes);
  if (!metadata) {
    metadata = readBundle(bundle.bytes).metadata;
    metadataOf.set(bundle.bytes, metadata);
  }
  const selected = bundle.engine.namespaces === "all" ? Object.keys(metadata.namespaces) : bundle.engine.namespaces;
  return selected.flatMap((ns) => {
    const info = metadata.namespaces[ns];
    return info?.style === "gatekeeper" ? [{ namespace: ns, ...(info.constraintKind ? { kind: info.constraintKind } : {}) }] : [];
  });
}

/** Whether any selected package is Gatekeeper-style, and the Constraint kinds they take. */
export function gatekeeperNeeds(bundles: Bundles): { readonly any: boolean; readonly kinds: ReadonlySet<string> } {
  const packages = bundles.flatMap(gatekeeperNamespaces);
  return { any: packages.length > 0, kinds: new Set(packages.flatMap((p) => (p.kind ? [p.kind] : []))) };
}

/** The bundles with `data.inventory` and the Constraints handed to those with Gatekeeper packages. */
export function withGatekeeper<T extends { readonly bytes: Uint8Array; readonly engine: EngineOptions }>(bundles: readonly T[], context: GatekeeperContext): T[] {
  return bundles.map((b) =>
    gatekeeperNamespaces(b).length === 0
      ? b
      : { ...b, engine: { ...b.engine, data: mergeData(b.engine.data ?? {}, { inventory: context.inventory }), gatekeeper: { constraints: context.constraints } } },
  );
}

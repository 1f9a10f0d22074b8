// The built-in packs, by the name config and docs use, and the package prefix of each.

export const BUILTIN_PACKS = {
  kubernetes: "kubernetes.",
  dockerfile: "dockerfile.",
  "aws-cloudformation": "aws.cloudformation.",
  "aws-terraform": "aws.terraform.",
  "github-actions": "github_actions.",
} as const;

export type PackName = keyof typeof BUILTIN_PACKS;

export const PACK_NAMES = Object.keys(BUILTIN_PACKS) as PackName[];

/** The pack a built-in namespace belongs to, or undefined for a namespace of no pack. */
export function packOf(namespace: string): PackName | undefined {
  return PACK_NAMES.find((p) => namespace.startsWith(BUILTIN_PACKS[p]));
}

/** The built-in namespaces the selection keeps: `all`, `none`, or a list of packs. */
export function selectPacks(namespaces: readonly string[], selection: "all" | "none" | readonly PackName[]): string[] {
  if (selection === "all") return [...namespaces];
  if (selection === "none") return [];
  return namespaces.filter((ns) => {
    const pack = packOf(ns);
    return pack !== undefined && selection.includes(pack);
  });
}

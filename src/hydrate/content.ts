// What a render reads from a file: Helm and Kustomize take text, except chart archives,
// which stay bytes; a file that is not UTF-8 stays bytes too, so nothing is altered by a
// lossy decode. Shared by the App (files from GitHub) and the CLI (files from disk).

/** Text for text files; bytes for archives and anything that is not UTF-8. */
export function renderInput(path: string, bytes: Uint8Array): string | Uint8Array {
  if (/\.(tgz|gz|tar)$/i.test(path)) return bytes;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
}

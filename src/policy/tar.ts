import { gunzipSync } from "node:zlib";

/** Reads the regular files of a gzipped tar (what `opa build` writes), by normalised path. */
export function readTarGz(bytes: Uint8Array): Map<string, Uint8Array> {
  const tar = gunzipSync(bytes);
  const files = new Map<string, Uint8Array>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number): string => {
      const raw = header.subarray(start, start + len);
      const end = raw.indexOf(0);
      return Buffer.from(end === -1 ? raw : raw.subarray(0, end)).toString("utf8");
    };
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === "L") longName = Buffer.from(body).toString("utf8").replace(/\0+$/, "");
    else if (type === "0" || type === "\0") {
      name = name.replace(/^\.?\/+/, "");
      files.set(name, new Uint8Array(body));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

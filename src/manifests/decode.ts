import type { ParseError } from "./types.js";

export type DecodeResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: ParseError };

function lineAt(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function utf16(bytes: Uint8Array, label: "utf-16le" | "utf-16be"): DecodeResult {
  try {
    return { ok: true, text: new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, error: { reason: "encoding", line: 1, message: `invalid ${label.toUpperCase()} text` } };
  }
}

/**
 * Bytes → text, refusing what YAML forbids before the parser sees it: NUL bytes
 * (binary files, C-string truncation tricks) and invalid UTF-8 (overlong forms such
 * as 0xC0 0xAF would otherwise decode to "/" in lenient decoders). UTF-16 with a BOM
 * is legal YAML and is decoded; a UTF-8 BOM is dropped.
 */
export function decode(bytes: Uint8Array): DecodeResult {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, "utf-16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, "utf-16be");
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      error: { reason: "binary", line: lineAt(bytes, nul), message: `binary content: NUL byte at offset ${nul}` },
    };
  }
  try {
    // TextDecoder drops a leading UTF-8 BOM unless ignoreBOM is set.
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return {
      ok: false,
      error: { reason: "encoding", line: lineAt(bytes, bad), message: `invalid UTF-8 at offset ${bad}` },
    };
  }
}

/** Offset of the first byte that does not start a valid, shortest-form UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    // Continuation bytes and the smallest code point each sequence length may encode.
    let n: number;
    let min: number;
    if (b < 0x80) [n, min] = [0, 0];
    else if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (n > 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return bytes.length;
}

/**
 * Go strings are bytes; Rego strings made by base64.decode or hex.decode need not be UTF-8.
 * Such strings are read from the policy losslessly: each byte that is not part of valid
 * UTF-8 becomes the lone surrogate U+DC80+byte (Python's "surrogateescape"), which no
 * valid UTF-8 can produce, and `bytesOf` turns it back into the byte. Hashes, hex and
 * base64 of such strings are therefore OPA's; `quote` prints the byte as Go does (\xff).
 *
 * The other way is lossy: the policy's JSON parser refuses invalid UTF-8, so a builtin
 * result that is not UTF-8 (hex.decode("ff")) reaches the policy with U+FFFD instead.
 */

const fatal = new TextDecoder("utf-8", { fatal: true });

/** Bytes to a string, invalid bytes as U+DC80+byte (Go's utf8.DecodeRune decides what is invalid). */
export function stringOf(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    /* invalid UTF-8: decode by hand */
  }
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    let cp = -1;
    let n = 1;
    if (b0 < 0x80) cp = b0;
    else if (b0 >= 0xc2 && b0 <= 0xdf && cont(bytes, i + 1)) {
      cp = ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef && cont(bytes, i + 1) && cont(bytes, i + 2)) {
      const c = ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
        cp = c;
        n = 3;
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4 && cont(bytes, i + 1) && cont(bytes, i + 2) && cont(bytes, i + 3)) {
      const c = ((b0 & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
      if (c >= 0x10000 && c <= 0x10ffff) {
        cp = c;
        n = 4;
      }
    }
    if (cp < 0) {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
    } else {
      out += String.fromCodePoint(cp);
      i += n;
    }
  }
  return out;
}

function cont(bytes: Uint8Array, i: number): boolean {
  return i < bytes.length && (bytes[i]! & 0xc0) === 0x80;
}

const encoder = new TextEncoder();

/** The bytes of a string as Go holds them (inverse of stringOf). */
export function bytesOf(s: string): Uint8Array {
  if (!/[\udc80-\udcff]/.test(s)) return encoder.encode(s);
  const parts: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xdc80 && c <= 0xdcff) parts.push(c - 0xdc00);
    else for (const b of encoder.encode(ch)) parts.push(b);
  }
  return Uint8Array.from(parts);
}

/** A Go string made of raw bytes (a binary result such as a decoded hex string). */
export function binaryString(bytes: Uint8Array): string {
  return stringOf(bytes);
}

/** encoding/base64 decoding (StdEncoding / URLEncoding, padded) with Go's CorruptInputError offsets. */

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export class Base64Error extends Error {}

/** Go's Encoding.DecodeString: the bytes, or throws "illegal base64 data at input byte N". */
export function decodeBase64(src: Uint8Array, url: boolean): Uint8Array {
  const alphabet = url ? URL : STD;
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < 64; i++) map[alphabet.charCodeAt(i)] = i;
  const out: number[] = [];
  const corrupt = (n: number): never => {
    throw new Base64Error(`illegal base64 data at input byte ${n}`);
  };
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let err: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        corrupt(si - j);
      }
      const c = src[si++]!;
      const v = map[c]!;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (c === 10 || c === 13) {
        j--;
        continue;
      }
      if (c !== 61) corrupt(si - 1);
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
        if (si === src.length) corrupt(src.length);
        if (src[si] !== 61) corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
      if (si < src.length) err = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (err !== undefined) corrupt(err);
  }
  return Uint8Array.from(out);
}

/** OPA's base64url.decode: padding added when missing (RFC 7515 appendix C), then URLEncoding. */
export function base64UrlDecodeOPA(s0: string, bytes: Uint8Array): Uint8Array {
  let s = bytes;
  if (!s0.endsWith("=")) {
    switch (bytes.length % 4) {
      case 2:
        s = Uint8Array.from([...bytes, 61, 61]);
        break;
      case 3:
        s = Uint8Array.from([...bytes, 61]);
        break;
      case 1:
        throw new Base64Error(`illegal base64url string: ${s0}`);
    }
  }
  return decodeBase64(s, true);
}

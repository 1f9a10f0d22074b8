/** encoding/pem.Decode, as far as OPA uses it: the first block, its type, bytes and what follows. */

export interface PEMBlock {
  type: string;
  bytes: Buffer;
}

/** The first PEM block in `data` and the rest after it, or undefined when there is none. */
export function pemDecode(data: Buffer): { block: PEMBlock; rest: Buffer } | undefined {
  const text = data.toString("latin1");
  const re = /-----BEGIN ([^\n-]*)-----[ \t]*\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > 0 && text[m.index - 1] !== "\n") continue;
    const type = m[1]!;
    const endMarker = `\n-----END ${type}-----`;
    const endAt = text.indexOf(endMarker, re.lastIndex - 1);
    if (endAt < 0) continue;
    let body = text.slice(re.lastIndex, endAt + 1);
    // Optional "Key: value" headers end with a blank line.
    if (/^[^\n:]+:/.test(body)) {
      const blank = body.search(/\r?\n\r?\n/);
      if (blank >= 0) body = body.slice(blank).replace(/^\r?\n\r?\n/, "");
    }
    const clean = body.replace(/[\s]/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) continue;
    let after = endAt + endMarker.length;
    const tail = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(after));
    if (!tail) continue;
    after += tail[0].length;
    return { block: { type, bytes: Buffer.from(clean, "base64") }, rest: data.subarray(after) };
  }
  return undefined;
}

/** A small DER reader (what Go's cryptobyte does for crypto/x509). */

export class DERError extends Error {}

export interface TLV {
  /** Full tag byte (class, constructed bit and number for low tag numbers). */
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  /** The content octets. */
  body: Buffer;
}

export class DER {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get empty(): boolean {
    return this.pos >= this.buf.length;
  }

  peekTag(): number | undefined {
    return this.empty ? undefined : this.buf[this.pos];
  }

  read(): TLV {
    const start = this.pos;
    if (this.pos + 2 > this.buf.length) throw new DERError("truncated");
    const tag = this.buf[this.pos++]!;
    if ((tag & 0x1f) === 0x1f) throw new DERError("high tag numbers are not supported");
    let len = this.buf[this.pos++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw new DERError("bad length");
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[this.pos++]!;
    }
    const end = this.pos + len;
    if (end > this.buf.length) throw new DERError("truncated");
    const body = this.buf.subarray(this.pos, end);
    this.pos = end;
    return { tag, raw: this.buf.subarray(start, end), body };
  }

  /** Reads an element that must have this tag. */
  expect(tag: number): TLV {
    const t = this.read();
    if (t.tag !== tag) throw new DERError(`unexpected tag ${t.tag}, want ${tag}`);
    return t;
  }

  /** Reads the element if it has this tag. */
  optional(tag: number): TLV | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }
}

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, UTF8: 0x0c, SEQUENCE: 0x30, SET: 0x31,
  PRINTABLE: 0x13, T61: 0x14, IA5: 0x16, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18, NUMERIC: 0x12, BMP: 0x1e, UNIVERSAL: 0x1c,
} as const;

export function oidOf(body: Buffer): number[] {
  const out: number[] = [];
  let v = 0;
  for (let i = 0; i < body.length; i++) {
    v = v * 128 + (body[i]! & 0x7f);
    if (!(body[i]! & 0x80)) {
      if (out.length === 0) out.push(v < 40 ? 0 : v < 80 ? 1 : 2, v < 80 ? v % 40 : v - 80);
      else out.push(v);
      v = 0;
    }
  }
  return out;
}

export function intOf(body: Buffer): bigint {
  if (body.length === 0) return 0n;
  let v = BigInt(`0x${body.toString("hex")}`);
  if (body[0]! & 0x80) v -= 1n << BigInt(body.length * 8);
  return v;
}

export function bitString(body: Buffer): { bytes: Buffer; unused: number } {
  return { unused: body[0] ?? 0, bytes: body.subarray(1) };
}

/** UTCTime / GeneralizedTime to an RFC 3339 string in UTC, as time.Time marshals. */
export function timeOf(t: TLV): string {
  const s = t.body.toString("latin1");
  let m: RegExpExecArray | null;
  if (t.tag === TAG.UTC_TIME) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
    if (!m) throw new DERError("bad UTCTime");
    const yy = Number(m[1]);
    return `${yy >= 50 ? 1900 + yy : 2000 + yy}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  }
  m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d+)?Z$/.exec(s);
  if (!m) throw new DERError("bad GeneralizedTime");
  const frac = (m[7] ?? "").replace(/0+$/, "");
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac === "." ? "" : frac}Z`;
}

/** The string types Go's x509 parser reads as strings. */
export function asn1String(t: TLV): string | undefined {
  switch (t.tag) {
    case TAG.UTF8:
    case TAG.PRINTABLE:
    case TAG.IA5:
    case TAG.NUMERIC:
      return t.body.toString("utf8");
    case TAG.T61:
      return t.body.toString("latin1");
    case TAG.BMP: {
      let s = "";
      for (let i = 0; i + 1 < t.body.length; i += 2) s += String.fromCharCode(t.body.readUInt16BE(i));
      return s;
    }
    case TAG.UNIVERSAL: {
      let s = "";
      for (let i = 0; i + 3 < t.body.length; i += 4) s += String.fromCodePoint(t.body.readUInt32BE(i));
      return s;
    }
    default:
      return undefined;
  }
}

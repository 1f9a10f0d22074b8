/**
 * Builtins that depend on the evaluation rather than on their arguments alone: trace and
 * print (captured, never written out), time.now_ns (one reading per evaluation, as OPA
 * reads the clock once per query), rand.intn and uuid.rfc4122 (random, but the same
 * answer for the same arguments within one evaluation, as OPA caches them per query),
 * and uuid.parse (pure, next to its sibling).
 */
import { randomBytes, randomInt } from "node:crypto";
import { HaltError, intOperand, object, str, type BuiltinContext, type Registry } from "./types.js";
import { intValue, regoString, RNum, RSet, typeName, type Value } from "./value.js";

function uuidV4(): string {
  const b = randomBytes(16);
  b[8] = (b[8]! & ~0xc0) | 0x80;
  b[6] = (b[6]! & ~0xf0) | 0x40;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function hexByte(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** github.com/google/uuid Parse (bytes), then OPA's internal/uuid fields. */
function uuidParse(s: string): Value | undefined {
  const bytes = Buffer.from(s, "utf8");
  let text = bytes.toString("latin1");
  const u = new Uint8Array(16);
  switch (text.length) {
    case 36:
      break;
    case 45:
      if (text.slice(0, 9).toLowerCase() !== "urn:uuid:") return undefined;
      text = text.slice(9);
      break;
    case 38:
      text = text.slice(1);
      break;
    case 32:
      for (let i = 0; i < 16; i++) {
        if (!hexByte(text[i * 2]) || !hexByte(text[i * 2 + 1])) return undefined;
        u[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
      }
      return uuidFields(u);
    default:
      return undefined;
  }
  if (text[8] !== "-" || text[13] !== "-" || text[18] !== "-" || text[23] !== "-") return undefined;
  const offsets = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
  for (let i = 0; i < 16; i++) {
    const x = offsets[i]!;
    if (!hexByte(text[x]) || !hexByte(text[x + 1])) return undefined;
    u[i] = parseInt(text.slice(x, x + 2), 16);
  }
  return uuidFields(u);
}

function uuidFields(u: Uint8Array): Value {
  const version = u[6]! >> 4;
  let variant: string;
  if ((u[8]! & 0xc0) === 0x80) variant = "RFC4122";
  else if ((u[8]! & 0xe0) === 0xc0) variant = "Microsoft";
  else if ((u[8]! & 0xe0) === 0xe0) variant = "Future";
  else variant = "Reserved";
  const fields: Record<string, Value> = { version: intValue(version), variant };
  if (version === 1 || version === 2) {
    const view = new DataView(u.buffer);
    const t = BigInt(view.getUint32(0)) | (BigInt(view.getUint16(4)) << 32n) | (BigInt(view.getUint16(6) & 0xfff) << 48n);
    const g1582ns100 = BigInt((2440587 - 2299160) * 86400) * 10000000n;
    const ns100 = BigInt.asIntN(64, t - g1582ns100);
    const sec = ns100 / 10000000n;
    const nsec = (ns100 % 10000000n) * 100n;
    fields["time"] = intValue(BigInt.asIntN(64, sec * 1000000000n + nsec));
    const node = [...u.slice(10, 16)];
    fields["nodeid"] = node.map((b) => b.toString(16).padStart(2, "0")).join("-");
    const b0 = node[0]!;
    fields["macvariables"] = (b0 & 3) === 3 ? "local:multicast" : (b0 & 1) === 1 ? "global:multicast" : (b0 & 2) === 2 ? "local:unicast" : "global:unicast";
    fields["clocksequence"] = intValue(view.getUint16(8) & 0x3fff);
    if (version === 2) {
      fields["id"] = intValue(view.getUint32(0));
      const d = u[9]!;
      fields["domain"] = d === 0 ? "Person" : d === 1 ? "Group" : d === 2 ? "Org" : `Domain${d}`;
    }
  }
  return object(fields);
}

function cached(ctx: BuiltinContext, key: string, make: () => Value): Value {
  const hit = ctx.cache.get(key);
  if (hit !== undefined) return hit;
  const v = make();
  ctx.cache.set(key, v);
  return v;
}

export const RUNTIME: Registry = {
  trace: ([s], ctx) => {
    ctx.print(`note: ${str(s, 1)}`);
    return true;
  },
  "internal.print": ([args], ctx) => {
    const operands = Array.isArray(args) ? args : [];
    const choices = operands.map((x): string[] => {
      if (typeof x === "string") return [x];
      if (x === null || typeof x === "boolean" || x instanceof RNum) return [regoString(x)];
      if (!(x instanceof RSet)) throw new HaltError(`illegal argument type: ${typeName(x)}`);
      if (x.size === 0) return ["<undefined>"];
      return x.items.map((v) => (typeof v === "string" ? v : regoString(v)));
    });
    const lines = choices.reduce<string[][]>((acc, opts) => acc.flatMap((prefix) => opts.map((o) => [...prefix, o])), [[]]);
    for (const line of lines) ctx.print(line.join(" "));
    return undefined;
  },
  "time.now_ns": (_args, ctx) => intValue(ctx.now()),
  "rand.intn": ([s, n0], ctx) => {
    const key = str(s, 1);
    let n = intOperand(n0, 2);
    if (n === 0) return intValue(0);
    if (n < 0) n = -n;
    return cached(ctx, `rand.intn\0${key}-${n}`, () => intValue(n <= 2 ** 48 ? randomInt(n) : Math.floor(Math.random() * n)));
  },
  "uuid.rfc4122": ([k], ctx) => cached(ctx, `uuid.rfc4122\0${regoString(k!)}`, uuidV4),
  "uuid.parse": ([s]) => uuidParse(str(s, 1)),
};

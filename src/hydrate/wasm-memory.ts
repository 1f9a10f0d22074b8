// Go's wasm linker declares its linear memory without a maximum, so a runaway render
// could grow it to 4 GiB. The host rewrites the module's memory section to add one
// before compiling: memory.grow then fails past it and the Go runtime stops with
// "out of memory" instead of taking the process down.

export const WASM_PAGE = 64 * 1024;

const MEMORY_SECTION = 5;

function readLeb(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let pos = offset;
  for (;;) {
    if (pos >= bytes.length) throw new Error("read wasm module: truncated LEB128 number");
    const b = bytes[pos++] as number;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { value, next: pos };
    shift += 7;
    if (shift > 35) throw new Error("read wasm module: LEB128 number too long");
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

export interface MemoryLimits {
  readonly initialPages: number;
  readonly maximumPages: number | undefined;
}

function findMemorySection(wasm: Uint8Array): { start: number; end: number; payload: number } | undefined {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw new Error("read wasm module: not a WebAssembly binary");
  }
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos] as number;
    const size = readLeb(wasm, pos + 1);
    const end = size.next + size.value;
    if (end > wasm.length) throw new Error("read wasm module: section runs past the end");
    if (id === MEMORY_SECTION) return { start: pos, end, payload: size.next };
    pos = end;
  }
  return undefined;
}

/** The module's own memory limits (undefined when it imports its memory instead). */
export function memoryLimits(wasm: Uint8Array): MemoryLimits | undefined {
  const section = findMemorySection(wasm);
  if (!section) return undefined;
  const count = readLeb(wasm, section.payload);
  if (count.value !== 1) throw new Error(`read wasm module: ${count.value} memories, expected 1`);
  const flags = wasm[count.next] as number;
  if ((flags & ~1) !== 0) throw new Error(`read wasm module: memory flags ${flags} (shared or 64-bit memory) not supported`);
  const min = readLeb(wasm, count.next + 1);
  const max = flags & 1 ? readLeb(wasm, min.next).value : undefined;
  return { initialPages: min.value, maximumPages: max };
}

/** A copy of the module whose memory may grow to at most maxBytes (rounded down to pages). */
export function withMemoryMaximum(wasm: Uint8Array, maxBytes: number): Uint8Array {
  const section = findMemorySection(wasm);
  const limits = memoryLimits(wasm);
  if (!section || !limits) throw new Error("limit wasm memory: the module defines no memory of its own");
  let maxPages = Math.floor(maxBytes / WASM_PAGE);
  if (limits.maximumPages !== undefined) maxPages = Math.min(maxPages, limits.maximumPages);
  if (maxPages > 65536) maxPages = 65536;
  if (maxPages < limits.initialPages) {
    throw new Error(`limit wasm memory: ${maxBytes} bytes is below the module's initial memory (${limits.initialPages * WASM_PAGE} bytes)`);
  }
  const payload = [1, 0x01, ...leb(limits.initialPages), ...leb(maxPages)];
  const header = [MEMORY_SECTION, ...leb(payload.length)];
  const out = new Uint8Array(wasm.length - (section.end - section.start) + header.length + payload.length);
  out.set(wasm.subarray(0, section.start), 0);
  out.set(header, section.start);
  out.set(payload, section.start + header.length);
  out.set(wasm.subarray(section.end), section.start + header.length + payload.length);
  return out;
}

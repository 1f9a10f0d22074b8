// The few WASI preview1 calls a Go `GOOS=wasip1` reactor makes when it runs parsers on
// bytes it is handed: clocks, randomness, stderr, exit. There is no file system (no
// preopened folders: every path call fails with EBADF/ENOSYS), no environment and no
// arguments. Written here rather than taken from node:wasi, which is experimental in
// Node 20, prints a warning on load and offers no synchronous way to stop a runaway call.
import { randomFillSync } from "node:crypto";

const ESUCCESS = 0;
const EBADF = 8;
const ENOSYS = 52;

/** Thrown by `proc_exit`: the Go runtime ended (a fatal error, `os.Exit`); the instance is gone. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`exited with code ${code}`);
  }
}

export interface WasiHost {
  readonly imports: WebAssembly.ModuleImports;
  /** Set once the instance exists: the calls read and write its memory. */
  bind(memory: WebAssembly.Memory): void;
  /** What the module wrote to stdout and stderr (Go's fatal errors and panics), last 4 KiB. */
  output(): string;
  clearOutput(): void;
}

const MAX_OUTPUT = 4096;

export function wasiHost(): WasiHost {
  let memory: WebAssembly.Memory | undefined;
  let output = "";
  const view = (): DataView => {
    if (!memory) throw new Error("WASI call before the instance was bound");
    return new DataView(memory.buffer);
  };
  const zeroCounts = (countPtr: number, sizePtr: number): number => {
    const v = view();
    v.setUint32(countPtr, 0, true);
    v.setUint32(sizePtr, 0, true);
    return ESUCCESS;
  };
  const calls: Record<string, (...args: never[]) => number> = {
    args_sizes_get: zeroCounts,
    environ_sizes_get: zeroCounts,
    args_get: () => ESUCCESS,
    environ_get: () => ESUCCESS,
    sched_yield: () => ESUCCESS,
    clock_time_get(id: number, _precision: bigint, resultPtr: number): number {
      // 0 is the realtime clock; the others are monotonic.
      const ns = id === 0 ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
      view().setBigUint64(resultPtr, ns, true);
      return ESUCCESS;
    },
    random_get(ptr: number, len: number): number {
      if (!memory) return EBADF;
      randomFillSync(new Uint8Array(memory.buffer, ptr, len));
      return ESUCCESS;
    },
    fd_write(fd: number, iovs: number, iovsLen: number, writtenPtr: number): number {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = v.getUint32(iovs + 8 * i, true);
        const len = v.getUint32(iovs + 8 * i + 4, true);
        output += Buffer.from(v.buffer, ptr, len).toString("utf8");
        total += len;
      }
      if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
      v.setUint32(writtenPtr, total, true);
      return ESUCCESS;
    },
    fd_fdstat_get(fd: number, statPtr: number): number {
      if (fd > 2) return EBADF;
      const v = view();
      for (let i = 0; i < 24; i += 8) v.setBigUint64(statPtr + i, 0n, true);
      v.setUint8(statPtr, 2); // character device
      return ESUCCESS;
    },
    // No preopened folders: Go's start-up scan ends at the first fd.
    fd_prestat_get: () => EBADF,
    poll_oneoff(subscriptions: number, events: number, count: number, eventCountPtr: number): number {
      // Only clock subscriptions are honoured (Go's idle sleep): wait for the earliest, synchronously.
      const v = view();
      let waitNs = 0n;
      let n = 0;
      for (let i = 0; i < count; i++) {
        const sub = subscriptions + 48 * i;
        if (v.getUint8(sub + 8) !== 0) continue;
        const timeout = v.getBigUint64(sub + 24, true);
        const absolute = (v.getUint16(sub + 40, true) & 1) === 1;
        const rel = absolute ? timeout - BigInt(Date.now()) * 1_000_000n : timeout;
        waitNs = n === 0 || rel < waitNs ? rel : waitNs;
        const ev = events + 32 * n++;
        v.setBigUint64(ev, v.getBigUint64(sub, true), true);
        v.setUint16(ev + 8, ESUCCESS, true);
        v.setUint8(ev + 10, 0);
      }
      const ms = Number(waitNs / 1_000_000n);
      if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 1000));
      v.setUint32(eventCountPtr, n, true);
      return ESUCCESS;
    },
    proc_exit(code: number): never {
      throw new WasiExit(code);
    },
  };
  // Every other call (files, sockets) is refused: nothing in a parse reads the machine.
  const imports = new Proxy(calls, {
    get: (target, name: string) => target[name] ?? (() => ENOSYS),
  }) as WebAssembly.ModuleImports;
  return {
    imports,
    bind(m) {
      memory = m;
    },
    output: () => output,
    clearOutput() {
      output = "";
    },
  };
}

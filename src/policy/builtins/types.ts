/**
 * What a host builtin is, and the errors it raises as OPA's topdown raises them.
 *
 * OPA (and conftest, and Gatekeeper) treat a builtin error as "undefined" unless asked to
 * report them (`--strict-builtin-errors`, `--show-builtin-errors`): the dispatcher turns a
 * `BuiltinError` into an undefined result and records it. A `HaltError` (OPA's topdown.Halt)
 * stops the evaluation. Anything else thrown is a bug and stops the evaluation too.
 */
import { RNum, RObject, RSet, typeName, type Value } from "./value.js";

export interface BuiltinContext {
  /** Nanoseconds since the epoch, fixed for one evaluation (OPA's time.now_ns). */
  now(): bigint;
  /** Per-evaluation cache (rand.intn, uuid.rfc4122 answer the same within one query). */
  readonly cache: Map<string, Value>;
  /** `print` output and `trace` notes of this evaluation. */
  print(line: string): void;
}

/** Returns the result, or undefined for "no result" (the expression is undefined). */
export type BuiltinImpl = (args: Value[], ctx: BuiltinContext) => Value | undefined;

export type ErrorCode = "eval_builtin_error" | "eval_type_error";

export class BuiltinError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = "eval_builtin_error",
    /** OPA's *topdown.Error: the message is not prefixed with the builtin's name. */
    readonly raw = false,
  ) {
    super(message);
    this.name = "BuiltinError";
  }
}

/**
 * A builtin gitops-gate declares but cannot run (it needs the network or an OPA server):
 * recorded like any builtin error, and it fails the evaluation whatever the flags, since
 * an undefined result here would be a pass nobody computed.
 */
export class UnavailableBuiltinError extends BuiltinError {
  constructor(message: string) {
    super(message);
    this.name = "UnavailableBuiltinError";
  }
}

/** topdown.Halt: ends the whole evaluation with an error, even in non-strict mode. */
export class HaltError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HaltError";
  }
}

/** builtins.NewOperandErr */
export function operandErr(pos: number, message: string): BuiltinError {
  return new BuiltinError(`operand ${pos} ${message}`, "eval_type_error");
}

/** builtins.NewOperandTypeErr */
export function operandTypeErr(pos: number, got: Value, ...expected: string[]): BuiltinError {
  if (expected.length === 1) return operandErr(pos, `must be ${expected[0]} but got ${typeName(got)}`);
  return operandErr(pos, `must be one of {${expected.join(", ")}} but got ${typeName(got)}`);
}

/** builtins.NewOperandElementErr */
export function operandElementErr(pos: number, composite: Value, got: Value, ...expected: string[]): BuiltinError {
  const tpe = typeName(composite);
  if (expected.length === 1) return operandErr(pos, `must be ${tpe} of ${expected[0]}s but got ${tpe} containing ${typeName(got)}`);
  return operandErr(pos, `must be ${tpe} of (any of) {${expected.join(", ")}} but got ${tpe} containing ${typeName(got)}`);
}

export function str(v: Value | undefined, pos: number): string {
  if (typeof v !== "string") throw operandTypeErr(pos, v ?? null, "string");
  return v;
}

export function num(v: Value | undefined, pos: number): RNum {
  if (!(v instanceof RNum)) throw operandTypeErr(pos, v ?? null, "number");
  return v;
}

export function arr(v: Value | undefined, pos: number): Value[] {
  if (!Array.isArray(v)) throw operandTypeErr(pos, v ?? null, "array");
  return v;
}

export function obj(v: Value | undefined, pos: number): RObject {
  if (!(v instanceof RObject)) throw operandTypeErr(pos, v ?? null, "object");
  return v;
}

export function set(v: Value | undefined, pos: number): RSet {
  if (!(v instanceof RSet)) throw operandTypeErr(pos, v ?? null, "set");
  return v;
}

export function bool(v: Value | undefined, pos: number): boolean {
  if (typeof v !== "boolean") throw operandTypeErr(pos, v ?? null, "boolean");
  return v;
}

/** Members of an array or set (the Iter of OPA's iterable operands). */
export function members(v: Value): readonly Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.items;
  return undefined;
}

/** Number as an exact integer, or undefined when it has a fraction (ast.Number.Int64-like). */
export function toBigInt(n: RNum): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(n.text);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  let exp = Number(m[4] ?? "0") - frac.length;
  let digits = BigInt(m[2]! + frac);
  if (exp >= 0) {
    if (exp > 100000) return undefined;
    digits *= 10n ** BigInt(exp);
  } else {
    while (exp < 0 && digits % 10n === 0n && digits !== 0n) {
      digits /= 10n;
      exp++;
    }
    if (exp < 0 && digits !== 0n) return undefined;
  }
  return m[1] ? -digits : digits;
}

/** builtins.IntOperand: an int (Go int, 64-bit) or a type/float error. */
export function intOperand(v: Value | undefined, pos: number): number {
  const n = num(v, pos);
  const i = intOf(n);
  if (i === undefined) throw operandErr(pos, "must be integer number but got floating-point number");
  return i;
}

/** ast.Number.Int64() (util.Atoi64): integer text, optionally with zeros after a '.', in int64 range. */
export function intOf(n: RNum): number | undefined {
  const b = atoi64(n.text);
  return b === undefined ? undefined : Number(b);
}

export function atoi64(text: string): bigint | undefined {
  let s = text;
  const negative = s.startsWith("-");
  if (negative || s.startsWith("+")) s = s.slice(1);
  if (s.length === 0 || s.length > 19) return undefined;
  const m = /^(\d*)(?:\.(0*))?$/.exec(s);
  if (!m) return undefined;
  let n = BigInt(m[1] || "0");
  if (negative) n = -n;
  if (n < -(1n << 63n) || n >= 1n << 63n) return undefined;
  return n;
}

export function asFloat(n: RNum): number {
  return Number(n.text);
}

/** A Value from a JS record of Values. */
export function object(record: Record<string, Value>): RObject {
  return RObject.of(record);
}

export type Registry = Readonly<Record<string, BuiltinImpl>>;

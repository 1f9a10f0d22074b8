/**
 * Go's fmt.Sprintf (Go 1.26 fmt/print.go and fmt/format.go) for the argument types OPA's
 * sprintf passes: string, int64, float64 and *big.Int (which formats itself).
 */
import { Fmt, INT64_MIN, LDIGITS, UDIGITS, UINT64 } from "./fmtformat.js";

export type GoArg =
  | { readonly t: "string"; readonly v: string }
  | { readonly t: "int64"; readonly v: bigint }
  | { readonly t: "float64"; readonly v: number }
  | { readonly t: "*big.Int"; readonly v: bigint };

class Printer {
  readonly f = new Fmt();
  erroring = false;
  reordered = false;
  goodArgNum = true;
  arg: GoArg | undefined;

  badVerb(verb: string): void {
    this.erroring = true;
    this.f.buf += `%!${verb}(`;
    const arg = this.arg!;
    this.f.buf += `${arg.t}=`;
    this.printArg(arg, "v");
    this.f.buf += ")";
    this.erroring = false;
  }

  fmtInteger(v: bigint, verb: string): void {
    const f = this.f;
    switch (verb) {
      case "v":
      case "d":
        return f.fmtInteger(v, 10, verb, LDIGITS);
      case "b":
        return f.fmtInteger(v, 2, verb, LDIGITS);
      case "o":
      case "O":
        return f.fmtInteger(v, 8, verb, LDIGITS);
      case "x":
        return f.fmtInteger(v, 16, verb, LDIGITS);
      case "X":
        return f.fmtInteger(v, 16, verb, UDIGITS);
      case "c":
        return f.fmtC(v < 0n ? v + UINT64 : v);
      case "q":
        return f.fmtQc(v < 0n ? v + UINT64 : v);
      case "U":
        return f.fmtUnicode(v < 0n ? v + UINT64 : v);
      default:
        return this.badVerb(verb);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case "v":
        return this.f.fmtFloat(v, "g", -1);
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        return this.f.fmtFloat(v, verb, -1);
      case "f":
      case "e":
      case "E":
        return this.f.fmtFloat(v, verb, 6);
      case "F":
        return this.f.fmtFloat(v, "f", 6);
      default:
        return this.badVerb(verb);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case "v":
        return this.f.sharpV ? this.f.fmtQ(v) : this.f.fmtS(v);
      case "s":
        return this.f.fmtS(v);
      case "x":
        return this.f.fmtSx(v, LDIGITS);
      case "X":
        return this.f.fmtSx(v, UDIGITS);
      case "q":
        return this.f.fmtQ(v);
      default:
        return this.badVerb(verb);
    }
  }

  /** (*big.Int).Format. */
  formatBigInt(x: bigint, verb: string): void {
    const f = this.f;
    let base: number;
    switch (verb) {
      case "b":
        base = 2;
        break;
      case "o":
      case "O":
        base = 8;
        break;
      case "d":
      case "s":
      case "v":
        base = 10;
        break;
      case "x":
      case "X":
        base = 16;
        break;
      default:
        f.buf += `%!${verb}(big.Int=${x})`;
        return;
    }
    const flagPlus = f.plus || f.plusV;
    const flagSharp = f.sharp || f.sharpV;
    let sign = "";
    if (x < 0n) sign = "-";
    else if (flagPlus) sign = "+";
    else if (f.space) sign = " ";
    let prefix = "";
    if (flagSharp) {
      if (verb === "b") prefix = "0b";
      else if (verb === "o") prefix = "0";
      else if (verb === "x") prefix = "0x";
      else if (verb === "X") prefix = "0X";
    }
    if (verb === "O") prefix = "0o";
    let digits = (x < 0n ? -x : x).toString(base);
    if (verb === "X") digits = digits.toUpperCase();
    let left = 0;
    let zeros = 0;
    let right = 0;
    if (f.precPresent) {
      if (digits.length < f.prec) zeros = f.prec - digits.length;
      else if (digits === "0" && f.prec === 0) return;
    }
    const length = sign.length + prefix.length + zeros + digits.length;
    if (f.widPresent && length < f.wid) {
      const d = f.wid - length;
      if (f.minus) right = d;
      else if (f.zero && !f.precPresent) zeros = d;
      else left = d;
    }
    f.buf += " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits + " ".repeat(right);
  }

  printArg(arg: GoArg, verb: string): void {
    this.arg = arg;
    if (verb === "T") {
      this.f.fmtS(arg.t);
      return;
    }
    if (verb === "p") {
      // fmtPointer: none of these argument types is a pointer but *big.Int, whose
      // address is not reproducible; print it like a bad verb.
      this.badVerb("p");
      return;
    }
    switch (arg.t) {
      case "float64":
        return this.fmtFloat(arg.v, verb);
      case "int64":
        return this.fmtInteger(arg.v, verb);
      case "string":
        return this.fmtString(arg.v, verb);
      case "*big.Int":
        if (this.erroring) {
          this.printBigIntValue(arg.v);
          return;
        }
        if (verb === "w") return this.badVerb(verb);
        return this.formatBigInt(arg.v, verb);
    }
  }

  /** printValue of a *big.Int without its methods (inside badVerb): &{neg [words]}, %+v and %#v forms too. */
  printBigIntValue(x: bigint): void {
    const f = this.f;
    const abs = x < 0n ? -x : x;
    const words: bigint[] = [];
    for (let w = abs; w > 0n; w >>= 64n) words.push(w & (UINT64 - 1n));
    const names = f.plusV || f.sharpV;
    f.buf += f.sharpV ? "&big.Int{" : "&{";
    if (names) f.buf += "neg:";
    f.pad(x < 0n ? "true" : "false");
    f.buf += f.sharpV ? ", " : " ";
    if (names) f.buf += "abs:";
    if (f.sharpV && words.length === 0) f.buf += "big.nat(nil)";
    else {
      f.buf += f.sharpV ? "big.nat{" : "[";
      words.forEach((w, i) => {
        if (i > 0) f.buf += f.sharpV ? ", " : " ";
        if (f.sharpV) {
          const sharp = f.sharp;
          f.sharp = true;
          f.fmtInteger(w, 16, "v", LDIGITS);
          f.sharp = sharp;
        } else f.fmtInteger(w, 10, "v", LDIGITS);
      });
      f.buf += f.sharpV ? "}" : "]";
    }
    f.buf += "}";
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== "[") return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  doPrintf(format: string, a: readonly GoArg[]): string {
    const f = this.f;
    const end = format.length;
    let argNum = 0;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== "%") i++;
      if (i > lasti) f.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      f.clearflags();
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case "#":
            f.sharp = true;
            break;
          case "0":
            f.zero = true;
            break;
          case "+":
            f.plus = true;
            break;
          case "-":
            f.minus = true;
            break;
          case " ":
            f.space = true;
            break;
          default:
            if (c >= "a" && c <= "z" && argNum < a.length) {
              if (c === "v" || c === "w") {
                f.sharpV = f.sharp;
                f.sharp = false;
                f.plusV = f.plus;
                f.plus = false;
              }
              this.printArg(a[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      let afterIndex: boolean;
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === "*") {
        i++;
        [f.wid, f.widPresent, argNum] = intFromArg(a, argNum);
        if (!f.widPresent) f.buf += "%!(BADWIDTH)";
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        [f.wid, f.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && f.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === ".") {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === "*") {
          i++;
          [f.prec, f.precPresent, argNum] = intFromArg(a, argNum);
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) f.buf += "%!(BADPREC)";
          afterIndex = false;
        } else {
          [f.prec, f.precPresent, i] = parsenum(format, i, end);
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        f.buf += "%!(NOVERB)";
        break;
      }
      const cp = format.codePointAt(i)!;
      const verb = String.fromCodePoint(cp);
      i += verb.length;
      if (verb === "%") f.buf += "%";
      else if (!this.goodArgNum) f.buf += `%!${verb}(BADINDEX)`;
      else if (argNum >= a.length) f.buf += `%!${verb}(MISSING)`;
      else {
        if (verb === "v" || verb === "w") {
          f.sharpV = f.sharp;
          f.sharp = false;
          f.plusV = f.plus;
          f.plus = false;
        }
        this.printArg(a[argNum]!, verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      f.clearflags();
      f.buf += "%!(EXTRA ";
      a.slice(argNum).forEach((arg, k) => {
        if (k > 0) f.buf += ", ";
        f.buf += `${arg.t}=`;
        this.printArg(arg, "v");
      });
      f.buf += ")";
    }
    return f.buf;
  }
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= "0" && s[i]! <= "9"; i++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return [num, isnum, i];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === "]") {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: readonly GoArg[], argNum: number): [number, boolean, number] {
  if (argNum >= a.length) return [0, false, argNum];
  const arg = a[argNum]!;
  let num = 0;
  let isInt = false;
  if (arg.t === "int64") {
    num = Number(arg.v);
    isInt = true;
  }
  if (tooLarge(num)) return [0, false, argNum + 1];
  return [num, isInt, argNum + 1];
}

/** fmt.Sprintf(format, args...). */
export function sprintf(format: string, args: readonly GoArg[]): string {
  return new Printer().doPrintf(format, args);
}

export { INT64_MIN };

/**
 * OPA's sprintf (v1/topdown/strings.go builtinSprintf): numbers become int64, *big.Int or
 * float64 (or their text when out of range), strings stay strings, and every other value
 * is passed as its Rego text (`["a", "b"]`, `{"a", "b"}`, `{"k": 1}`, `null`, `true`),
 * then Go's fmt.Sprintf formats.
 */
import { sprintf as goSprintf, type GoArg } from "./go/fmt.js";
import { arr, atoi64, str, type Registry } from "./types.js";
import { RNum, regoString, type Value } from "./value.js";

function goArg(v: Value): GoArg {
  if (typeof v === "string") return { t: "string", v };
  if (v instanceof RNum) {
    const ns = v.text;
    if (/[.eE]/.test(ns)) {
      const f = Number(ns);
      return Number.isFinite(f) ? { t: "float64", v: f } : { t: "string", v: ns };
    }
    const i = atoi64(ns);
    if (i !== undefined) return { t: "int64", v: i };
    if (/^-?\d+$/.test(ns)) return { t: "*big.Int", v: BigInt(ns) };
    return { t: "string", v: ns };
  }
  return { t: "string", v: regoString(v) };
}

export function sprintf(format: string, args: readonly Value[]): string {
  return goSprintf(format, args.map(goArg));
}

export const SPRINTF: Registry = {
  sprintf: ([f, a]) => sprintf(str(f, 1), arr(a, 2)),
};

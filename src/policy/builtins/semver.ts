/** semver.compare and semver.is_valid (OPA's internal/semver, v1/topdown/semver.go). */
import { quote } from "./go/strconv.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { compareStrings, intValue } from "./value.js";

interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
}

const META = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INT64_MAX = (1n << 63n) - 1n;

function numeric(s: string): bigint | undefined {
  if (s === "" || s[0] === "+" || s[0] === "-" || (s.length > 1 && s[0] === "0")) return undefined;
  if (!/^\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > INT64_MAX ? undefined : n;
}

const allDecimals = (s: string): boolean => /^\d+$/.test(s);

export function parseSemver(version0: string): Version | undefined {
  let version = version0.startsWith("v") ? version0.slice(1) : version0;
  const plus = version.indexOf("+");
  if (plus >= 0) {
    if (!META.test(version.slice(plus + 1))) return undefined;
    version = version.slice(0, plus);
  }
  let pre = "";
  const dash = version.indexOf("-");
  if (dash >= 0) {
    pre = version.slice(dash + 1);
    if (!META.test(pre) || pre.split(".").some((id) => id.length > 1 && id[0] === "0" && allDecimals(id))) return undefined;
    version = version.slice(0, dash);
  }
  const parts = version.split(".");
  if (parts.length !== 3) return undefined;
  const [major, minor, patch] = parts.map(numeric);
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  return { major, minor, patch, pre };
}

/** strconv.Atoi, clamped on overflow as Go returns it. */
function atoi(s: string): bigint {
  const n = BigInt(s);
  return n > INT64_MAX ? INT64_MAX : n;
}

function comparePre(a0: string, b0: string): number {
  let [a, ...restA] = a0.split(".");
  let [b, ...restB] = b0.split(".");
  for (;;) {
    if (a === "" && b !== "") return -1;
    if (a !== "" && b === "") return 1;
    const ai = allDecimals(a!);
    const bi = allDecimals(b!);
    if (ai && !bi) return -1;
    if (!ai && bi) return 1;
    if (ai && bi) {
      const x = atoi(a!);
      const y = atoi(b!);
      if (x !== y) return x > y ? 1 : -1;
    } else {
      const c = compareStrings(a!, b!);
      if (c !== 0) return c;
    }
    const afterA = restA.join(".");
    const afterB = restB.join(".");
    if (afterA !== "" && afterB === "") return 1;
    if (afterA === "" && afterB !== "") return -1;
    [a = "", ...restA] = restA.length ? restA : [""];
    [b = "", ...restB] = restB.length ? restB : [""];
  }
}

export function compareSemver(v: Version, o: Version): number {
  for (const k of ["major", "minor", "patch"] as const) if (v[k] !== o[k]) return v[k] > o[k] ? 1 : -1;
  if (v.pre === o.pre) return 0;
  if (v.pre === "") return 1;
  if (o.pre === "") return -1;
  return comparePre(v.pre, o.pre);
}

export const SEMVER: Registry = {
  "semver.is_valid": ([v]) => typeof v === "string" && parseSemver(v) !== undefined,
  "semver.compare": ([a, b]) => {
    const sa = str(a, 1);
    const sb = str(b, 2);
    const va = parseSemver(sa);
    if (!va) throw new BuiltinError(`operand 1: string ${quote(sa)} is not a valid SemVer`);
    const vb = parseSemver(sb);
    if (!vb) throw new BuiltinError(`operand 2: string ${quote(sb)} is not a valid SemVer`);
    return intValue(compareSemver(va, vb));
  },
};

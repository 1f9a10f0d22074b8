/**
 * Builtins gitops-gate cannot run, because they need the network or an OPA server. They
 * are refused when a policy is compiled, unless the user opts in (conftest's
 * `--show-builtin-errors`, or a `--capabilities` file that declares them): then they are
 * declared, so the policy compiles as it does for conftest, and every call is a builtin
 * error that fails the evaluation of that file (never a silently undefined expression).
 */
import { UnavailableBuiltinError, type Registry } from "./types.js";

const WHY: Readonly<Record<string, string>> = {
  "http.send": "gitops-gate evaluates policies without network access, so no HTTP request was sent",
  "net.lookup_ip_addr": "gitops-gate evaluates policies without network access, so no host name was resolved",
  "opa.runtime": "gitops-gate is not an OPA server and has no runtime information to give",
};

/** The names, in OPA's spelling. */
export const UNAVAILABLE_BUILTIN_NAMES: readonly string[] = Object.keys(WHY);

export const UNAVAILABLE_BUILTINS: Registry = Object.freeze(
  Object.fromEntries(
    Object.entries(WHY).map(([name, why]) => [
      name,
      () => {
        throw new UnavailableBuiltinError(why);
      },
    ]),
  ),
);

import { parseArgs } from "node:util";
import { compilePolicies } from "../policy/build/compile.js";
import { findOpa } from "../policy/build/opa.js";
import { OUTPUT_FORMATS } from "../render/index.js";
import { cliLogger, LOG_LEVELS, type LogLevel } from "../log.js";
import { FORMATS } from "../manifests/index.js";
import { packageVersion } from "../paths.js";
import { runCheck, type CheckIo } from "./check.js";
import { boolSetting, conftestConfigPath, readConftestConfig, stringList, stringSetting, type ConftestConfig } from "./conftest-config.js";

const USAGE = `Usage: gitops-gate <command> [options]

Commands:
  check [paths...]        Evaluate manifests (files, directories, or - for stdin)
  build-policies <dir...> Compile Rego to a wasm bundle (--out FILE)
  version                 Print the version

check options:
  -p, --policy PATH       Rego folder or file, or ConstraintTemplate YAML (compiled and cached), or
                          a compiled bundle (.tar.gz); repeatable; default: the built-in packs
  -n, --namespace NS      Package to evaluate; repeatable; globs (*, ?, [...]) as conftest
                          (default: main, or all for built-ins); an unknown one is a warning
      --all-namespaces    Evaluate every package in the bundle
  -d, --data PATH         YAML/JSON data (policy parameters) merged into data; repeatable
      --combine           Evaluate all files as one input: [{path, contents}], one entry per document
      --fail-on-warn      Exit 1 on warnings too
      --no-fail           Exit 0 even when a policy denies (errors still exit 2)
  -o, --output FORMAT     ${OUTPUT_FORMATS.join("|")} (default text)
      --parser FORMAT     Parse every file (and stdin) as FORMAT, as conftest does: ${FORMATS.join("|")}
      --proto-file-dirs D Folders of .proto files for textproto messages; repeatable, or comma-separated
      --rego-version V    v1 (default) or v0 for pre-1.0 Rego
      --strict            OPA's strict mode for your Rego (unused variables, arguments, imports...)
      --capabilities FILE Only the builtins this OPA capabilities.json declares may be used
      --show-builtin-errors
                          A builtin error fails the file instead of making its expression
                          undefined; lets policies naming http.send, net.lookup_ip_addr or
                          opa.runtime compile (each call then fails: gitops-gate runs offline)
      --ignore REGEX      Skip files whose path matches this Go regular expression
  -c, --config-file PATH  conftest's config file (default: conftest.toml, .yaml or .json in the
                          working directory); its keys are defaults for these flags
      --quiet             Print nothing when nothing fails
      --suppress-exceptions
                          Leave exceptions out of the text output
      --stdin-filename N  The name stdin's results carry (default -)
      --no-color          Accepted for conftest's sake (the output has no colour)
      --timeout MS        Limit per file (default 10000)
      --config PATH       The App's config to follow (default: .github/gitops-gate.yml of the
                          repository around the working directory, when there is one): its
                          policies (built-in packs and sources), namespaces, parameters, block_on
      --no-config         Ignore any config (conftest's behaviour); --policy implies it
      --render MODE       auto (default): render the Helm charts and Kustomize overlays the
                          checked files feed and judge their objects; none: judge files as they are
      --base REF          Compare with a git revision of the working repository: findings the
                          files had there are pre-existing (same policies and render roots)
      --new-only          With --base: only new findings fail (the default when the followed
                          config says verdict: new)
      --log-level LEVEL   Diagnostics as JSON lines on stderr: ${LOG_LEVELS.join("|")} (default silent)

Exit codes: 0 nothing blocks; 1 a policy denies; 2 usage error, or a file could not be parsed or evaluated.
`;

export class UsageError extends Error {}

export async function main(argv: readonly string[], io: CheckIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "check":
        return await check(rest, io);
      case "build-policies":
        return await buildPolicies(rest, io);
      case "version":
      case "--version":
        io.stdout(`gitops-gate ${packageVersion()}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    const err = e as Error;
    io.stderr(`gitops-gate: ${err.message}\n`);
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) io.stderr(`\n${USAGE}`);
    return 2;
  }
}

/** cobra's StringSlice: repeated, or comma-separated. */
function slice(values: readonly string[] | undefined): string[] | undefined {
  return values?.flatMap((d) => d.split(",")).filter((d) => d !== "");
}

async function check(args: readonly string[], io: CheckIo): Promise<number> {
  // No defaults here: a value given on the command line must be told apart from one a
  // conftest config file gives, and the file's from the built-in default.
  const { values: flags, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      policy: { type: "string", short: "p", multiple: true },
      namespace: { type: "string", short: "n", multiple: true },
      "all-namespaces": { type: "boolean" },
      data: { type: "string", short: "d", multiple: true },
      combine: { type: "boolean" },
      "fail-on-warn": { type: "boolean" },
      "no-fail": { type: "boolean" },
      output: { type: "string", short: "o" },
      parser: { type: "string" },
      "proto-file-dirs": { type: "string", multiple: true },
      "rego-version": { type: "string" },
      strict: { type: "boolean" },
      capabilities: { type: "string" },
      "show-builtin-errors": { type: "boolean" },
      ignore: { type: "string" },
      quiet: { type: "boolean" },
      "no-color": { type: "boolean" },
      "suppress-exceptions": { type: "boolean" },
      "stdin-filename": { type: "string" },
      trace: { type: "boolean" },
      "config-file": { type: "string", short: "c" },
      timeout: { type: "string" },
      "log-level": { type: "string", default: "silent" },
      config: { type: "string" },
      "no-config": { type: "boolean", default: false },
      render: { type: "string", default: "auto" },
      base: { type: "string" },
      "new-only": { type: "boolean", default: false },
    },
  });
  // conftest's config file: its keys are defaults for the conftest flags.
  const configPath = conftestConfigPath(flags["config-file"]);
  const file: ConftestConfig = configPath ? await readConftestConfig(configPath) : {};
  const list = (name: string, given: readonly string[] | undefined): string[] => slice(given) ?? stringList(file[name]) ?? [];
  const bool = (name: string, given: boolean | undefined): boolean => given ?? boolSetting(file[name]) ?? false;
  const text = (name: string, given: string | undefined): string | undefined => given ?? stringSetting(file[name]);
  const values = {
    policy: list("policy", flags.policy),
    namespace: list("namespace", flags.namespace),
    data: list("data", flags.data),
    protoFileDirs: list("proto-file-dirs", flags["proto-file-dirs"]),
    allNamespaces: bool("all-namespaces", flags["all-namespaces"]),
    combine: bool("combine", flags.combine),
    failOnWarn: bool("fail-on-warn", flags["fail-on-warn"]),
    noFail: bool("no-fail", flags["no-fail"]),
    strict: bool("strict", flags.strict),
    showBuiltinErrors: bool("show-builtin-errors", flags["show-builtin-errors"]),
    quiet: bool("quiet", flags.quiet),
    suppressExceptions: bool("suppress-exceptions", flags["suppress-exceptions"]),
    trace: bool("trace", flags.trace),
    output: text("output", flags.output) ?? "text",
    parser: text("parser", flags.parser),
    regoVersion: text("rego-version", flags["rego-version"]) ?? "v1",
    capabilities: text("capabilities", flags.capabilities),
    ignore: text("ignore", flags.ignore),
    stdinFilename: text("stdin-filename", flags["stdin-filename"]),
  };
  // conftest skips an empty file name ("" on the command line).
  const paths = positionals.filter((p) => p !== "");
  if (paths.length === 0) throw new UsageError("check: name at least one path (or - for stdin)");
  if (values.trace) {
    throw new UsageError("check: --trace is not available: policies run as WebAssembly, which OPA compiles without evaluation traces (use `opa eval --explain` on the Rego)");
  }
  // conftest's standard output is gitops-gate's text output.
  const output = values.output === "stdout" ? "text" : values.output;
  if (!OUTPUT_FORMATS.includes(output)) throw new UsageError(`check: unknown --output ${values.output}`);
  if (values.parser !== undefined && !FORMATS.includes(values.parser)) throw new UsageError(`check: unknown --parser ${values.parser}`);
  const regoVersion = values.regoVersion.toLowerCase();
  if (regoVersion !== "v0" && regoVersion !== "v1") throw new UsageError(`check: --rego-version must be v0 or v1`);
  const timeoutMs = flags.timeout !== undefined ? Number(flags.timeout) : undefined;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UsageError("check: --timeout takes a positive number of milliseconds");
  if (flags.render !== "auto" && flags.render !== "none") throw new UsageError("check: --render must be auto or none");
  if (flags["new-only"] && flags.base === undefined) throw new UsageError("check: --new-only needs --base REF (the revision to compare with)");
  if (flags.base !== undefined && values.combine) throw new UsageError("check: --base does not work with --combine");
  const level = flags["log-level"] as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`check: --log-level must be one of ${LOG_LEVELS.join(", ")}`);
  return runCheck(
    {
      paths,
      policy: values.policy,
      namespaces: values.namespace,
      allNamespaces: values.allNamespaces,
      data: values.data,
      combine: values.combine,
      failOnWarn: values.failOnWarn,
      noFail: values.noFail,
      output,
      ...(values.parser !== undefined ? { parser: values.parser } : {}),
      regoVersion,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(flags.config !== undefined ? { config: flags.config } : {}),
      noConfig: flags["no-config"] ?? false,
      render: flags.render,
      ...(flags.base !== undefined ? { base: flags.base, newOnly: flags["new-only"] ?? false } : {}),
      protoFileDirs: values.protoFileDirs,
      strict: values.strict,
      ...(values.capabilities ? { capabilities: values.capabilities } : {}),
      showBuiltinErrors: values.showBuiltinErrors,
      ...(values.ignore ? { ignore: values.ignore } : {}),
      quiet: values.quiet,
      suppressExceptions: values.suppressExceptions,
      ...(values.stdinFilename ? { stdinFilename: values.stdinFilename } : {}),
    },
    level === "silent" ? io : { ...io, log: cliLogger(level, io.stderr) },
  );
}

async function buildPolicies(args: readonly string[], io: CheckIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { out: { type: "string" }, "rego-version": { type: "string", default: "v1" } },
  });
  if (positionals.length === 0 || !values.out) throw new UsageError("build-policies: name the Rego folders and --out FILE");
  const regoVersion = values["rego-version"] === "v0" ? "v0" : "v1";
  const meta = await compilePolicies({ sources: positionals, opa: await findOpa(), out: values.out, regoVersion });
  io.stdout(
    `built ${values.out}: ${Object.keys(meta.rules).length} rules in ${Object.keys(meta.namespaces).length} namespaces (OPA ${meta.opaVersion})\n`,
  );
  return 0;
}

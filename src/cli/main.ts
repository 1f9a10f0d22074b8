import { parseArgs } from "node:util";
import { compilePolicies } from "../policy/build/compile.js";
import { findOpa } from "../policy/build/opa.js";
import { OUTPUT_FORMATS } from "../render/index.js";
import { cliLogger, LOG_LEVELS, type LogLevel } from "../log.js";
import { FORMATS } from "../manifests/index.js";
import { packageVersion } from "../paths.js";
import { runCheck, type CheckIo } from "./check.js";

const USAGE = `Usage: gitops-gate <command> [options]

Commands:
  check [paths...]        Evaluate manifests (files, directories, or - for stdin)
  build-policies <dir...> Compile Rego to a wasm bundle (--out FILE)
  version                 Print the version

check options:
  -p, --policy PATH       Rego folder (compiled and cached) or compiled bundle (.tar.gz);
                          repeatable; default: the built-in packs
  -n, --namespace NS      Package to evaluate; repeatable (default: main, or all for built-ins)
      --all-namespaces    Evaluate every package in the bundle
  -d, --data PATH         YAML/JSON data (policy parameters) merged into data; repeatable
      --combine           Evaluate all files as one input: [{path, contents}]
      --fail-on-warn      Exit 1 on warnings too
  -o, --output FORMAT     ${OUTPUT_FORMATS.join("|")} (default text)
      --parser FORMAT     Format for stdin and unknown extensions: ${FORMATS.join("|")}
      --proto-file-dirs D Folders of .proto files for textproto messages; repeatable, or comma-separated
      --rego-version V    v1 (default) or v0 for pre-1.0 Rego
      --timeout MS        Limit per file (default 10000)
      --config PATH       The App's config to follow (default: .github/gitops-gate.yml of the
                          repository around the working directory, when there is one): its
                          policies (built-in packs and sources), namespaces, parameters, block_on
      --no-config         Ignore any config (conftest's behaviour); --policy implies it
      --render MODE       auto (default): render the Helm charts and Kustomize overlays the
                          checked files feed and judge their objects; none: judge files as they are
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

async function check(args: readonly string[], io: CheckIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      policy: { type: "string", short: "p", multiple: true, default: [] },
      namespace: { type: "string", short: "n", multiple: true, default: [] },
      "all-namespaces": { type: "boolean", default: false },
      data: { type: "string", short: "d", multiple: true, default: [] },
      combine: { type: "boolean", default: false },
      "fail-on-warn": { type: "boolean", default: false },
      output: { type: "string", short: "o", default: "text" },
      parser: { type: "string" },
      "proto-file-dirs": { type: "string", multiple: true, default: [] },
      "rego-version": { type: "string", default: "v1" },
      timeout: { type: "string" },
      "log-level": { type: "string", default: "silent" },
      config: { type: "string" },
      "no-config": { type: "boolean", default: false },
      render: { type: "string", default: "auto" },
    },
  });
  if (positionals.length === 0) throw new UsageError("check: name at least one path (or - for stdin)");
  if (!OUTPUT_FORMATS.includes(values.output)) throw new UsageError(`check: unknown --output ${values.output}`);
  if (values.parser !== undefined && !FORMATS.includes(values.parser)) throw new UsageError(`check: unknown --parser ${values.parser}`);
  const regoVersion = values["rego-version"];
  if (regoVersion !== "v0" && regoVersion !== "v1") throw new UsageError(`check: --rego-version must be v0 or v1`);
  const timeoutMs = values.timeout !== undefined ? Number(values.timeout) : undefined;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UsageError("check: --timeout takes a positive number of milliseconds");
  if (values.render !== "auto" && values.render !== "none") throw new UsageError("check: --render must be auto or none");
  const level = values["log-level"] as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`check: --log-level must be one of ${LOG_LEVELS.join(", ")}`);
  return runCheck(
    {
      paths: positionals,
      policy: values.policy,
      namespaces: values.namespace,
      allNamespaces: values["all-namespaces"],
      data: values.data,
      combine: values.combine,
      failOnWarn: values["fail-on-warn"],
      output: values.output,
      ...(values.parser !== undefined ? { parser: values.parser } : {}),
      regoVersion,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(values.config !== undefined ? { config: values.config } : {}),
      noConfig: values["no-config"],
      render: values.render,
      // As cobra's StringSlice reads it: repeated, or comma-separated.
      protoFileDirs: values["proto-file-dirs"].flatMap((d) => d.split(",")).filter((d) => d !== ""),
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

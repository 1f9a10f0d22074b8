// Reads conftest's acceptance.bats into the `conftest test` runs it makes: the working
// folder, the arguments, stdin, and what the test expects (exit status, substrings).
// A small interpreter for the shell the file uses: `cd`, `VAR="..."` (with `$(pwd)` and
// `$(mktemp -d -u)`), `ln -s`, `run ./conftest ...` (`- < file`), `run bash -c "cat F | ./conftest ..."`,
// `[ "$status" -eq N ]`, `[[ "$output" =~ "..." ]]` and their negations.
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface BatsRun {
  /** The bats test's name. */
  readonly test: string;
  /** Working folder, relative to conftest's module folder ("" for the folder itself). */
  readonly cwd: string;
  /** conftest's global flags (before the subcommand), e.g. `-c file`. */
  readonly global: readonly string[];
  /** The subcommand and its arguments: `test ...`. */
  readonly args: readonly string[];
  /** A file (relative to cwd) given on stdin. */
  readonly stdin?: string;
  readonly status?: number;
  readonly contains: readonly string[];
  readonly notContains: readonly string[];
  /** `[[ "$output" = "" ]]`. */
  readonly empty: boolean;
  /** Links the test made (absolute link → target), to name examples and clean up. */
  readonly links: ReadonlyMap<string, string>;
}

/** Shell words of one line: quotes, backslashes in double quotes, `$VAR`/`${VAR}`/`$(pwd)`. */
export function words(line: string, vars: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  const expand = (i: number): [string, number] => {
    if (line.startsWith("$(pwd)", i)) return [vars.get("PWD") ?? "", i + 6];
    if (line[i + 1] === "{") {
      const end = line.indexOf("}", i);
      return [vars.get(line.slice(i + 2, end)) ?? "", end + 1];
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1));
    if (!m) return ["$", i + 1];
    return [vars.get(m[0]) ?? "", i + 1 + m[0].length];
  };
  for (let i = 0; i < line.length; ) {
    const c = line[i] as string;
    if (c === " " || c === "\t") {
      if (cur !== undefined) out.push(cur);
      cur = undefined;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      cur ??= "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && /["\\$`]/.test(line[i + 1] ?? "")) {
          cur += line[i + 1];
          i += 2;
        } else if (line[i] === "$") {
          const [v, next] = expand(i);
          cur += v;
          i = next;
        } else cur += line[i++];
      }
      i++;
    } else if (c === "$") {
      const [v, next] = expand(i);
      cur = (cur ?? "") + v;
      i = next;
    } else if (c === "\\") {
      cur = (cur ?? "") + (line[i + 1] ?? "");
      i += 2;
    } else {
      cur = (cur ?? "") + c;
      i++;
    }
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

/** The argv after a `conftest` word, split into global flags and the rest; stdin from `- < file`. */
function conftestArgv(argv: readonly string[]): { global: string[]; args: string[]; stdin?: string } {
  const global: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] === "-c" || argv[i] === "--config-file")) {
    global.push(argv[i] as string, argv[i + 1] as string);
    i += 2;
  }
  const args: string[] = [];
  let stdin: string | undefined;
  for (; i < argv.length; i++) {
    if (argv[i] === "<") stdin = argv[++i];
    else args.push(argv[i] as string);
  }
  return { global, args, ...(stdin ? { stdin } : {}) };
}

export interface ParsedBats {
  readonly runs: BatsRun[];
  /** Folders and links the tests made; remove them when done. */
  cleanup(): void;
}

/** Every `conftest test` run of acceptance.bats (verify, parse, --version and --help are not `test`). */
export function parseBats(text: string, moduleDir: string): ParsedBats {
  const runs: BatsRun[] = [];
  const made: string[] = [];
  const blocks = text.matchAll(/^@test "((?:[^"\\]|\\.)*)" \{\n([\s\S]*?)^\}/gm);
  for (const [, name, body] of blocks) {
    const vars = new Map<string, string>([["PWD", moduleDir]]);
    const links = new Map<string, string>();
    let cwd = "";
    let pending: Omit<BatsRun, "status" | "contains" | "notContains" | "empty"> | undefined;
    let status: number | undefined;
    const contains: string[] = [];
    const notContains: string[] = [];
    let empty = false;
    for (const raw of (body as string).split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("#")) continue;
      let m: RegExpExecArray | null;
      if ((m = /^cd (.+)$/.exec(line))) cwd = join(cwd, words(m[1] as string, vars)[0] as string);
      else if ((m = /^([A-Z_]+)="?\$\(mktemp -d -u\)"?$/.exec(line))) {
        const dir = mkdtempSync(join(tmpdir(), "conftest-bats-"));
        rmSync(dir, { recursive: true });
        vars.set(m[1] as string, dir);
        made.push(dir);
      } else if ((m = /^([A-Z_]+)=(.*)$/.exec(line))) vars.set(m[1] as string, words(m[2] as string, vars).join(" "));
      else if (line.startsWith("ln -s ")) {
        const [, , target, link] = words(line, vars) as [string, string, string, string];
        symlinkSync(target, link);
        links.set(link, target);
      } else if (line.startsWith("rm -rf ")) continue;
      else if (line.startsWith("run ")) {
        const argv = words(line.slice(4), vars);
        if (argv[0] === "bash" && argv[1] === "-c") {
          const script = argv[2] as string;
          const piped = /^cat (\S+) \| \.\/conftest (.*)$/.exec(script);
          if (!piped) continue; // `conftest parse` pipelines and here-documents: not `test`
          const parsed = conftestArgv(words(piped[2] as string, vars));
          pending = { test: name as string, cwd, ...parsed, stdin: piped[1] as string, links };
        } else if (/(^|\/)conftest$/.test(argv[0] as string)) {
          pending = { test: name as string, cwd, ...conftestArgv(argv.slice(1)), links };
        }
      } else if ((m = /^\[ "\$status" -eq (\d+) \]$/.exec(line))) status = Number(m[1]);
      else if ((m = /^\[\[ (!\s+)?"\$output" =~ (.+) \]\]$/.exec(line))) (m[1] ? notContains : contains).push(words(m[2] as string, vars).join(" "));
      else if ((m = /^\[\[ "\$output" != \*(.+)\* \]\]$/.exec(line))) notContains.push(words(m[1] as string, vars).join(" "));
      else if (/^\[\[ "\$output" = "" \]\]$/.test(line)) empty = true;
    }
    if (pending && pending.args[0] === "test") runs.push({ ...pending, ...(status !== undefined ? { status } : {}), contains, notContains, empty });
  }
  return {
    runs,
    cleanup: () => {
      for (const p of made) rmSync(resolve(p), { recursive: true, force: true });
    },
  };
}

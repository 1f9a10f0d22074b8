// Structured logs. The App's logger is the pino instance Probot builds from LOG_LEVEL and
// LOG_FORMAT; the CLI builds its own (JSON lines on stderr, off unless asked for).
import { pino, type Logger as PinoLogger } from "pino";

/** The slice of pino every pipeline and job writes to. */
export type Logger = Pick<PinoLogger, "info" | "warn" | "error" | "debug" | "child">;

export const LOG_LEVELS = ["silent", "fatal", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The CLI's logger: JSON lines to `write` (stderr), so stdout stays the report alone. */
export function cliLogger(level: LogLevel, write: (line: string) => void): Logger {
  return pino({ name: "gitops-gate", level, base: undefined }, { write });
}

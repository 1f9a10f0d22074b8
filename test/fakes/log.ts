// A logger that keeps what it was told, for tests that assert on logs.
export class FakeLog {
  readonly lines: Array<{ level: string; obj: object; msg?: string }> = [];
  info(obj: object, msg?: string): void {
    this.lines.push({ level: "info", obj, ...(msg !== undefined ? { msg } : {}) });
  }
  warn(obj: object, msg?: string): void {
    this.lines.push({ level: "warn", obj, ...(msg !== undefined ? { msg } : {}) });
  }
  error(obj: object, msg?: string): void {
    this.lines.push({ level: "error", obj, ...(msg !== undefined ? { msg } : {}) });
  }
}

/**
 * opa-wasm throws strings and plain objects as well as Errors; every call into it goes
 * through here so callers only ever see an `Error` whose message starts with the action.
 */
export function asError(action: string, thrown: unknown): Error {
  if (thrown instanceof Error) return new Error(`${action}: ${thrown.message}`, { cause: thrown });
  let text: string;
  if (typeof thrown === "string") text = thrown;
  else {
    try {
      text = JSON.stringify(thrown) ?? String(thrown);
    } catch {
      text = String(thrown);
    }
  }
  return new Error(`${action}: ${text}`, { cause: thrown });
}

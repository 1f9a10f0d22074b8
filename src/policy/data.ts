function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges user data over bundle data: objects merge key by key, anything else is
 * replaced. Builds fresh objects with own properties only, so a `__proto__` key in a
 * user's data file stays data and never reaches Object.prototype.
 */
export function mergeData(base: unknown, over: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  };
  if (isPlainObject(base)) for (const k of Object.keys(base)) put(k, base[k]);
  if (isPlainObject(over)) {
    for (const k of Object.keys(over)) {
      const a = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
      const b = over[k];
      put(k, isPlainObject(a) && isPlainObject(b) ? mergeData(a, b) : b);
    }
  }
  return out;
}

// This App's id, which tells its own check runs from any other App's of the same name.
// Probot reads it from APP_ID; when the App is started some other way, GitHub says it
// (GET /app, authenticated as the App), once.

/** APP_ID when set; else `ask` (GitHub), once for the App's lifetime, retried after a failure. */
export function appIdResolver(env: Readonly<Record<string, string | undefined>>, ask: () => Promise<number>): () => Promise<number> {
  const fromEnv = Number.parseInt(env["APP_ID"] ?? "", 10);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return () => Promise.resolve(fromEnv);
  let known: Promise<number> | undefined;
  return () => {
    known ??= ask().then((id) => {
      if (!Number.isInteger(id) || id <= 0) throw new Error(`get app: GitHub gave no app id (${String(id)})`);
      return id;
    });
    known.catch(() => (known = undefined));
    return known;
  };
}

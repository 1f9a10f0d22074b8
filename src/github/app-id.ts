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

/**
 * This App's bot login (`<slug>[bot]`), whose pushes (revert branches) are the App's own:
 * APP_SLUG when set; else GitHub says the slug (GET /app), once, retried after a failure.
 */
export function botLoginResolver(env: Readonly<Record<string, string | undefined>>, ask: () => Promise<string | undefined>): () => Promise<string> {
  const fromEnv = env["APP_SLUG"]?.trim();
  if (fromEnv) return () => Promise.resolve(`${fromEnv}[bot]`);
  let known: Promise<string> | undefined;
  return () => {
    known ??= ask().then((slug) => {
      if (!slug) throw new Error("get app: GitHub gave no app slug");
      return `${slug}[bot]`;
    });
    known.catch(() => (known = undefined));
    return known;
  };
}

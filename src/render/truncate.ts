/** Cuts `text` to `max` characters, saying so at the end, so a limit never hides silently. */
export function truncate(text: string, max: number, note = "\n\n… truncated to fit GitHub's limit; run `gitops-gate check` locally for the full report."): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

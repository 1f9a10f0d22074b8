// Git blobs by id, kept across evaluations: a blob id names its content forever, so a
// file read for one pull request serves the next without another request. Bounded by
// bytes; the least recently used go first.
export class BlobCache {
  private readonly blobs = new Map<string, Uint8Array>();
  private bytes = 0;
  /** Reads served from the cache and from GitHub, for logs and metrics. */
  readonly counts = { hits: 0, misses: 0 };

  constructor(private readonly maxBytes = 128 * 1024 * 1024) {}

  get(sha: string): Uint8Array | undefined {
    const blob = this.blobs.get(sha);
    if (blob === undefined) return undefined;
    this.blobs.delete(sha);
    this.blobs.set(sha, blob);
    return blob;
  }

  set(sha: string, blob: Uint8Array): void {
    if (blob.length > this.maxBytes / 8 || this.blobs.has(sha)) return;
    this.blobs.set(sha, blob);
    this.bytes += blob.length;
    for (const [key, value] of this.blobs) {
      if (this.bytes <= this.maxBytes) break;
      this.blobs.delete(key);
      this.bytes -= value.length;
    }
  }

  /** The blob from the cache, else from `read` (then cached). */
  async read(sha: string, read: (sha: string) => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.get(sha);
    if (hit) {
      this.counts.hits++;
      return hit;
    }
    this.counts.misses++;
    const blob = await read(sha);
    this.set(sha, blob);
    return blob;
  }
}

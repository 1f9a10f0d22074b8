/** crypto.md5/sha1/sha256 and crypto.hmac.* (v1/topdown/crypto.go), on node:crypto. */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { bytesOf } from "./go/utf8.js";
import { str, type Registry } from "./types.js";

const hash = (algorithm: string) => ([s]: Parameters<Registry[string]>[0]) => createHash(algorithm).update(bytesOf(str(s, 1))).digest("hex");

const hmac = (algorithm: string) => ([m, k]: Parameters<Registry[string]>[0]) => {
  const message = bytesOf(str(m, 1));
  const key = bytesOf(str(k, 2));
  return createHmac(algorithm, key).update(message).digest("hex");
};

export const HASHES: Registry = {
  "crypto.md5": hash("md5"),
  "crypto.sha1": hash("sha1"),
  "crypto.sha256": hash("sha256"),
  "crypto.hmac.md5": hmac("md5"),
  "crypto.hmac.sha1": hmac("sha1"),
  "crypto.hmac.sha256": hmac("sha256"),
  "crypto.hmac.sha512": hmac("sha512"),
  "crypto.hmac.equal": ([a, b]) => {
    const x = bytesOf(str(a, 1));
    const y = bytesOf(str(b, 2));
    return x.length === y.length && timingSafeEqual(x, y);
  },
};

/** providers.aws.sign_req (v1/topdown/providers.go, internal/providers/aws SignV4). */
import { createHash, createHmac } from "node:crypto";
import { format } from "./go/timefmt.js";
import { fromUnixNano } from "./go/time.js";
import { UTC } from "./go/zoneinfo.js";
import { goJSON } from "./json.js";
import { atoi64, BuiltinError, num, obj, operandErr, operandTypeErr, type Registry } from "./types.js";
import { escapedPath, parseURL, URLError } from "./uri.js";
import { compareStrings, regoString, RObject, RSet, type Value } from "./value.js";

const REQUIRED = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];
const ALLOWED = new Set([
  "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs",
  "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
  "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache",
  "force_cache", "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers",
]);
const IGNORED = new Set(["authorization", "user-agent", "x-amzn-trace-id"]);

const text = (v: Value | undefined): string => (typeof v === "string" ? v : "");
const setText = (xs: Value[]): string => regoString(new RSet(xs));
const sha256 = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");
const mac = (key: Buffer | string, msg: string): Buffer => createHmac("sha256", key).update(msg).digest();

function signReq(reqV: Value | undefined, cfgV: Value | undefined, tV: Value | undefined): Value {
  const req = obj(reqV, 1);
  const cfg = obj(cfgV, 1);
  const missing = REQUIRED.filter((k) => !cfg.has(k));
  if (missing.length) throw operandErr(2, `missing required AWS config parameters(s): ${setText(missing)}`);
  const invalid = REQUIRED.filter((k) => typeof cfg.get(k) !== "string");
  if (invalid.length) throw operandErr(2, `invalid values for required AWS config parameters(s): ${setText(invalid)}`);
  const service = text(cfg.get("aws_service"));
  const ts = atoi64(num(tV, 1).text);
  if (ts === undefined) throw operandErr(3, "could not convert time_ns value into a unix timestamp");
  const keys = req.keys();
  const bad = keys.filter((k) => typeof k !== "string" || !ALLOWED.has(k));
  if (bad.length) throw operandErr(1, `invalid request parameters(s): ${setText(bad)}`);
  const absent = ["method", "url"].filter((k) => !req.has(k));
  if (absent.length) throw operandErr(1, `missing required request parameters(s): ${setText(absent)}`);
  const headersV = req.get("headers") ?? new RObject([]);
  if (!(headersV instanceof RObject)) throw operandTypeErr(0, headersV, "object");
  const badValues = [...(typeof req.get("url") !== "string" ? ["url"] : []), ...(typeof req.get("method") !== "string" ? ["method"] : [])];
  if (badValues.length) throw operandErr(1, `invalid values for required request parameters(s): ${setText(badValues)}`);
  let url;
  try {
    url = parseURL(req.get("url") as string);
  } catch (e) {
    if (e instanceof URLError) throw new BuiltinError(e.message);
    throw e;
  }
  const method = req.get("method") as string;
  const rawBody = req.get("raw_body");
  const body = req.get("body");
  const bodyBytes = rawBody !== undefined ? Buffer.from(text(rawBody), "utf8") : body !== undefined ? Buffer.from(goJSON(body), "utf8") : Buffer.alloc(0);
  const headers = new Map<string, string>(headersV.entries.map(([k, v]) => [text(k), text(v)]));
  const dps = cfg.get("disable_payload_signing");
  if (dps !== undefined && typeof dps !== "boolean") throw operandErr(2, "invalid value for 'disable_payload_signing' in AWS config");
  const t = fromUnixNano(ts, UTC);
  const date = format(t, "20060102");
  const iso = format(t, "20060102T150405Z");
  const contentSha = dps === true ? "UNSIGNED-PAYLOAD" : sha256(bodyBytes);
  const aws = new Map<string, string>([["host", url.host], ["x-amz-date", iso]]);
  if (service === "s3" || service === "glacier") aws.set("x-amz-content-sha256", contentSha);
  const token = cfg.get("aws_session_token");
  if (token !== undefined && text(token) !== "") aws.set("x-amz-security-token", text(token));
  const toSign = new Map(aws);
  for (const [k, v] of headers) if (!IGNORED.has(k.toLowerCase())) toSign.set(k.toLowerCase(), v);
  const ordered = [...toSign.keys()].sort(compareStrings);
  const canonical = `${method}\n${escapedPath(url)}\n${url.rawQuery}\n${ordered.map((k) => `${k}:${toSign.get(k)}\n`).join("")}\n${ordered.join(";")}\n${contentSha}`;
  const region = text(cfg.get("aws_region"));
  const scope = `${date}/${region}/${service}/aws4_request`;
  const strToSign = `AWS4-HMAC-SHA256\n${iso}\n${scope}\n${sha256(canonical)}`;
  let key = mac(`AWS4${text(cfg.get("aws_secret_access_key"))}`, date);
  key = mac(key, region);
  key = mac(key, service);
  key = mac(key, "aws4_request");
  const signature = mac(key, strToSign).toString("hex");
  const auth = `AWS4-HMAC-SHA256 Credential=${text(cfg.get("aws_access_key"))}/${scope},SignedHeaders=${ordered.join(";")},Signature=${signature}`;
  const signed = new Map<string, Value>([...headers, ["Authorization", auth], ...aws]);
  return new RObject([...req.entries, ["headers", new RObject([...signed])]]);
}

export const AWS: Registry = {
  "providers.aws.sign_req": ([r, c, t]) => signReq(r, c, t),
};

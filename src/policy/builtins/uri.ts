/** uri.parse and uri.is_valid (v1/topdown/uri.go) on a port of Go's net/url.Parse. */
import { parseIP } from "./go/net.js";
import { quote } from "./go/strconv.js";
import { bytesOf, stringOf } from "./go/utf8.js";
import { BuiltinError, str, type Registry } from "./types.js";
import { RObject, type Value } from "./value.js";

type Mode = "path" | "host" | "zone" | "user" | "fragment";

export class URLError extends Error {}

function shouldEscape(c: number, mode: Mode): boolean {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) return false;
  if ((mode === "host" || mode === "zone") && "!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  if ("-_.~".includes(ch)) return false;
  if ("$&+,/:;=?@".includes(ch)) {
    if (mode === "path") return ch === "?";
    if (mode === "user") return "@/?:".includes(ch);
    if (mode === "fragment") return false;
  }
  if (mode === "fragment" && "!()*".includes(ch)) return false;
  return true;
}

const ishex = (c: number | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(c));
const unhex = (c: number): number => parseInt(String.fromCharCode(c), 16);

function unescape(s: string, mode: Mode): string {
  const b = bytesOf(s);
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c === 0x25) {
      if (i + 2 >= b.length || !ishex(b[i + 1]) || !ishex(b[i + 2])) {
        throw new URLError(`invalid URL escape ${quote(stringOf(b.slice(i, i + 3)))}`);
      }
      const v = (unhex(b[i + 1]!) << 4) | unhex(b[i + 2]!);
      const three = stringOf(b.slice(i, i + 3));
      if (mode === "host" && unhex(b[i + 1]!) < 8 && three !== "%25") throw new URLError(`invalid URL escape ${quote(three)}`);
      if (mode === "zone" && three !== "%25" && v !== 0x20 && shouldEscape(v, "host")) throw new URLError(`invalid URL escape ${quote(three)}`);
      i += 3;
    } else {
      if ((mode === "host" || mode === "zone") && c < 0x80 && shouldEscape(c, mode)) {
        throw new URLError(`invalid character ${quote(String.fromCharCode(c))} in host name`);
      }
      i++;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x25) {
      out.push((unhex(b[i + 1]!) << 4) | unhex(b[i + 2]!));
      i += 2;
    } else out.push(b[i]!);
  }
  return stringOf(Uint8Array.from(out));
}

function escape(s: string, mode: Mode): string {
  let out = "";
  for (const c of bytesOf(s)) out += shouldEscape(c, mode) ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(c);
  return out;
}

const validOptionalPort = (p: string): boolean => p === "" || /^:\d*$/.test(p);

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf("[");
  if (open > 0) throw new URLError("invalid IP-literal");
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) throw new URLError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new URLError(`invalid port ${quote(colonPort)} after host`);
    const port = unescape(colonPort, "host");
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf("%25");
    const unescaped = zone >= 0 ? unescape(hostname.slice(0, zone), "host") + unescape(hostname.slice(zone), "zone") : unescape(hostname, "host");
    const addrText = unescaped.replace(/%.*$/, "");
    if (!addrText.includes(":") && parseIP(addrText)) throw new URLError("invalid IP-literal");
    if (!addrText.includes(":") || !parseIP(addrText)) throw new URLError(`invalid host: ParseAddr(${quote(unescaped)})`);
    return `[${unescaped}]${port}`;
  }
  const i = host.indexOf(":");
  if (i !== -1) {
    const last = host.lastIndexOf(":");
    const at = last !== i && scheme !== "http" && scheme !== "https" ? last : i;
    const colonPort = host.slice(at);
    if (!validOptionalPort(colonPort)) throw new URLError(`invalid port ${quote(colonPort)} after host`);
  }
  return unescape(host, "host");
}

export interface URL {
  scheme: string;
  opaque: string;
  hasUser: boolean;
  /** Unescaped userinfo (when hasUser): username and, if set, password. */
  user: { username: string; password: string | undefined };
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

function parseNoFragment(raw: string): URL {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new URLError("net/url: invalid control character in URL");
  const u: URL = { scheme: "", opaque: "", hasUser: false, user: { username: "", password: undefined }, host: "", path: "", rawPath: "", omitHost: false, forceQuery: false, rawQuery: "", fragment: "", rawFragment: "" };
  if (raw === "*") {
    u.path = "*";
    return u;
  }
  let rest = raw;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw);
  if (raw.startsWith(":")) throw new URLError("missing protocol scheme");
  if (m) {
    u.scheme = m[1]!.toLowerCase();
    rest = raw.slice(m[0].length);
  }
  if (rest.endsWith("?") && (rest.match(/\?/g) ?? []).length === 1) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  }
  else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (u.scheme !== "") {
      u.opaque = rest;
      return u;
    }
    if (rest.split("/")[0]!.includes(":")) throw new URLError("first path segment in URL cannot contain colon");
  }
  if ((u.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    const at = authority.lastIndexOf("@");
    u.host = parseHost(u.scheme, at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      u.hasUser = true;
      const userinfo = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new URLError("net/url: invalid userinfo");
      const colon = userinfo.indexOf(":");
      u.user = colon < 0
        ? { username: unescape(userinfo, "user"), password: undefined }
        : { username: unescape(userinfo.slice(0, colon), "user"), password: unescape(userinfo.slice(colon + 1), "user") };
    }
  } else if (u.scheme !== "" && rest.startsWith("/")) u.omitHost = true;
  u.path = unescape(rest, "path");
  u.rawPath = escape(u.path, "path") === rest ? "" : rest;
  return u;
}

/** url.Parse; throws URLError with Go's `parse "…": …` message. */
export function parseURL(raw: string): URL {
  const hash = raw.indexOf("#");
  const [u, frag] = hash < 0 ? [raw, ""] : [raw.slice(0, hash), raw.slice(hash + 1)];
  let url: URL;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    if (e instanceof URLError) throw new URLError(`parse ${quote(u)}: ${e.message}`);
    throw e;
  }
  if (frag === "") return url;
  try {
    url.fragment = unescape(frag, "fragment");
    url.rawFragment = escape(url.fragment, "fragment") === frag ? "" : frag;
  } catch (e) {
    if (e instanceof URLError) throw new URLError(`parse ${quote(raw)}: ${e.message}`);
    throw e;
  }
  return url;
}

function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = "";
  const colon = host.lastIndexOf(":");
  if (colon !== -1 && validOptionalPort(host.slice(colon))) [host, port] = [host.slice(0, colon), host.slice(colon + 1)];
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return [host, port];
}

function uriParse(s: string): Value {
  let u: URL;
  try {
    u = parseURL(s);
  } catch (e) {
    if (e instanceof URLError) throw new BuiltinError(e.message);
    throw e;
  }
  const out: Record<string, Value> = {};
  const [hostname, port] = splitHostPort(u.host);
  if (u.scheme) out["scheme"] = u.scheme;
  if (hostname) out["hostname"] = hostname;
  if (port) out["port"] = port;
  if (u.path) {
    out["path"] = u.path;
    out["raw_path"] = u.rawPath || u.path;
  }
  if (u.rawQuery) out["raw_query"] = u.rawQuery;
  if (u.fragment) out["fragment"] = u.fragment;
  return RObject.of(out);
}

export const URI: Registry = {
  "uri.parse": ([s]) => uriParse(str(s, 1)),
  "uri.is_valid": ([s]) => {
    if (typeof s !== "string" || s === "") return false;
    try {
      parseURL(s);
      return true;
    } catch (e) {
      if (e instanceof URLError) return false;
      throw e;
    }
  },
};

const VALID_ENCODED_EXTRA = "!$&'()*+,;=:@[]%";

/** URL.EscapedPath */
export function escapedPath(u: URL): string {
  if (u.rawPath !== "" && [...bytesOf(u.rawPath)].every((c) => VALID_ENCODED_EXTRA.includes(String.fromCharCode(c)) || !shouldEscape(c, "path"))) {
    try {
      if (unescape(u.rawPath, "path") === u.path) return u.rawPath;
    } catch {
      /* fall through */
    }
  }
  if (u.path === "*") return "*";
  return escape(u.path, "path");
}

/** URL.String. */
export function urlString(u: URL): string {
  let out = "";
  if (u.opaque !== "") out = `${u.scheme}:${u.opaque}`;
  else {
    if (u.scheme !== "") out += `${u.scheme}:`;
    if (u.scheme !== "" || u.host !== "" || u.hasUser) {
      if (!(u.omitHost && u.host === "" && !u.hasUser) && (u.host !== "" || u.path !== "" || u.hasUser)) out += "//";
      if (u.hasUser) {
        out += escape(u.user.username, "user");
        if (u.user.password !== undefined) out += `:${escape(u.user.password, "user")}`;
        out += "@";
      }
      out += escape(u.host, "host");
    }
    const path = escapedPath(u);
    if (path !== "" && path[0] !== "/" && u.host !== "") out += "/";
    if (out === "" && path.split("/")[0]!.includes(":")) out += "./";
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== "") out += `?${u.rawQuery}`;
  if (u.fragment !== "") out += `#${u.rawFragment || escape(u.fragment, "fragment")}`;
  return out;
}

/** net/url resolvePath. */
function resolvePath(base: string, ref: string): string {
  const full = ref === "" ? base : ref[0] !== "/" ? base.slice(0, base.lastIndexOf("/") + 1) + ref : ref;
  if (full === "") return "";
  let dst = "/";
  let elem = "";
  let first = true;
  const parts = full.split("/");
  for (elem of parts) {
    if (elem === ".") first = false;
    else if (elem === "..") {
      const i = dst.slice(1).lastIndexOf("/");
      dst = i >= 0 ? dst.slice(0, i + 1) : "/";
      first = dst.length === 1;
    } else {
      if (!first) dst += "/";
      dst += elem;
      first = false;
    }
  }
  if (elem === "." || elem === "..") dst += "/";
  return dst.length > 1 && dst[1] === "/" ? dst.slice(1) : dst;
}

function setPath(u: URL, p: string): void {
  u.path = unescape(p, "path");
  u.rawPath = escape(u.path, "path") === p ? "" : p;
}

/** URL.ResolveReference (RFC 3986 section 5.2). */
export function resolveReference(base: URL, ref: URL): URL {
  const url: URL = { ...ref, user: { ...ref.user } };
  if (ref.scheme === "") url.scheme = base.scheme;
  if (ref.scheme !== "" || ref.host !== "" || ref.hasUser) {
    setPath(url, resolvePath(escapedPath(ref), ""));
    return url;
  }
  const clear = (): URL => Object.assign(url, { hasUser: false, host: "", path: "" });
  if (ref.opaque !== "") return clear();
  if (ref.path === "" && !ref.forceQuery && ref.rawQuery === "") {
    url.rawQuery = base.rawQuery;
    if (ref.fragment === "") [url.fragment, url.rawFragment] = [base.fragment, base.rawFragment];
  }
  if (ref.path === "" && base.opaque !== "") {
    url.opaque = base.opaque;
    return clear();
  }
  [url.host, url.hasUser, url.user] = [base.host, base.hasUser, { ...base.user }];
  setPath(url, resolvePath(escapedPath(base), escapedPath(ref)));
  return url;
}

/**
 * gojsonschema's FormatCheckers (format_checkers.go) on Go's parsers: time.Parse layouts,
 * net.ParseIP, url.Parse, regexp.Compile, and net/mail.ParseAddress for emails.
 */
import { parseIP } from "../go/net.js";
import { parseTime } from "../go/timeparse.js";
import { bytesOf } from "../go/utf8.js";
import { RegexpSyntaxError } from "../re2/parse.js";
import { GoRegexp } from "../re2/regexp.js";
import { parseURL, URLError, type URL } from "../uri.js";
import type { J } from "./doc.js";

const RX = {
  hostname: "^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9]))*$",
  uriTemplate: "^([^{]*({[^}]*})?)*$",
  uuid: "^(?i)[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$",
  jsonPointer: "^(?:/(?:[^~/]|~0|~1)*)*$",
  relJsonPointer: "^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$",
};

const matches = (rx: string, s: string): boolean => GoRegexp.compile(rx).matchString(s);

function parses(layout: string, s: string): boolean {
  try {
    parseTime(layout, s);
    return true;
  } catch {
    return false;
  }
}

function url(s: string): URL | undefined {
  try {
    return parseURL(s);
  } catch (e) {
    if (e instanceof URLError) return undefined;
    throw e;
  }
}

const CHECKERS: Record<string, (s: string) => boolean> = {
  date: (s) => parses("2006-01-02", s),
  time: (s) => parses("15:04:05Z07:00", s) || parses("15:04:05", s),
  "date-time": (s) => ["15:04:05", "15:04:05Z07:00", "2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00"].some((l) => parses(l, s)),
  hostname: (s) => matches(RX.hostname, s) && bytesOf(s).length < 256,
  email: (s) => parseAddress(s),
  "idn-email": (s) => parseAddress(s),
  ipv4: (s) => parseIP(s) !== undefined && s.includes("."),
  ipv6: (s) => parseIP(s) !== undefined && s.includes(":"),
  uri: (s) => (url(s)?.scheme ?? "") !== "" && !s.includes("\\"),
  "uri-reference": (s) => url(s) !== undefined && !s.includes("\\"),
  iri: (s) => (url(s)?.scheme ?? "") !== "" && !s.includes("\\"),
  "iri-reference": (s) => url(s) !== undefined && !s.includes("\\"),
  "uri-template": (s) => {
    const u = url(s);
    return u !== undefined && !s.includes("\\") && matches(RX.uriTemplate, u.path);
  },
  uuid: (s) => matches(RX.uuid, s),
  regex: (s) => {
    if (s === "") return true;
    try {
      GoRegexp.compile(s);
      return true;
    } catch (e) {
      if (e instanceof RegexpSyntaxError) return false;
      throw e;
    }
  },
  "json-pointer": (s) => matches(RX.jsonPointer, s),
  "relative-json-pointer": (s) => matches(RX.relJsonPointer, s),
};

/** FormatCheckers.IsFormat: unknown formats and non-strings pass. */
export function isFormat(format: string, value: J): boolean {
  const check = CHECKERS[format];
  if (!check || typeof value !== "string") return true;
  return check(value);
}

// ---------------------------------------------------------------- net/mail.ParseAddress

const isVchar = (c: number): boolean => (c >= 0x21 && c <= 0x7e) || c >= 0x80;
const isWSP = (c: number): boolean => c === 0x20 || c === 0x09;
const isAtext = (c: number, dot: boolean): boolean => (c === 0x2e ? dot : !'()<>[]:;@\\,"'.includes(String.fromCodePoint(c)) && isVchar(c));
const isQtext = (c: number): boolean => c !== 0x5c && c !== 0x22 && isVchar(c);
const isDtext = (c: number): boolean => c !== 0x5b && c !== 0x5d && c !== 0x5c && isVchar(c);

class MailError extends Error {}

/** net/mail's addrParser, as far as deciding whether a single address parses. */
class AddrParser {
  constructor(public s: string) {}

  private peek(): string | undefined {
    return this.s[0];
  }

  private consume(c: string): boolean {
    if (this.s[0] !== c) return false;
    this.s = this.s.slice(1);
    return true;
  }

  private skipSpace(): void {
    this.s = this.s.replace(/^[ \t]+/, "");
  }

  skipCFWS(): boolean {
    this.skipSpace();
    while (this.consume("(")) {
      if (!this.consumeComment()) return false;
      this.skipSpace();
    }
    return true;
  }

  private consumeComment(): boolean {
    let depth = 1;
    while (this.s !== "" && depth > 0) {
      if (this.s[0] === "\\" && this.s.length > 1) this.s = this.s.slice(1);
      else if (this.s[0] === "(") depth++;
      else if (this.s[0] === ")") depth--;
      this.s = this.s.slice(1);
    }
    return depth === 0;
  }

  private consumeQuotedString(): string {
    let out = "";
    let escaped = false;
    let i = 1;
    for (;;) {
      const c = this.s.codePointAt(i);
      if (c === undefined) throw new MailError("unclosed quoted-string");
      const size = c > 0xffff ? 2 : 1;
      if (escaped) {
        if (!isVchar(c) && !isWSP(c)) throw new MailError("bad character in quoted-string");
        out += String.fromCodePoint(c);
        escaped = false;
      } else if (isQtext(c) || isWSP(c)) out += String.fromCodePoint(c);
      else if (c === 0x22) break;
      else if (c === 0x5c) escaped = true;
      else throw new MailError("bad character in quoted-string");
      i += size;
    }
    this.s = this.s.slice(i + 1);
    return out;
  }

  private consumeAtom(dot: boolean, permissive: boolean): string {
    let i = 0;
    for (const ch of this.s) {
      if (!isAtext(ch.codePointAt(0)!, dot)) break;
      i += ch.length;
    }
    if (i === 0) throw new MailError("invalid string");
    const atom = this.s.slice(0, i);
    this.s = this.s.slice(i);
    if (!permissive && (atom.startsWith(".") || atom.includes("..") || atom.endsWith("."))) throw new MailError("dot in atom");
    return atom;
  }

  private consumeDomainLiteral(): string {
    this.consume("[");
    let text = "";
    for (;;) {
      if (this.s === "") throw new MailError("unclosed domain-literal");
      if (this.s[0] === "]") break;
      const c = this.s.codePointAt(0)!;
      if (!isDtext(c)) throw new MailError("bad character in domain-literal");
      const ch = String.fromCodePoint(c);
      text += ch;
      this.s = this.s.slice(ch.length);
    }
    this.consume("]");
    if (parseIP(text) === undefined) throw new MailError("invalid IP address in domain-literal");
    return `[${text}]`;
  }

  /** consumeAddrSpec; on failure the parser is left where it was. */
  consumeAddrSpec(): boolean {
    const orig = this.s;
    try {
      this.skipSpace();
      if (this.s === "") throw new MailError("no addr-spec");
      if (this.peek() === '"') {
        if (this.consumeQuotedString() === "") throw new MailError("empty quoted string in addr-spec");
      } else this.consumeAtom(true, false);
      if (!this.consume("@")) throw new MailError("missing @ in addr-spec");
      this.skipSpace();
      if (this.s === "") throw new MailError("no domain in addr-spec");
      if (this.peek() === "[") this.consumeDomainLiteral();
      else this.consumeAtom(true, false);
      return true;
    } catch (e) {
      this.s = orig;
      if (e instanceof MailError) return false;
      throw e;
    }
  }

  consumePhrase(): void {
    let words = 0;
    for (;;) {
      if (words > 0 && !this.skipCFWS()) throw new MailError("misformatted parenthetical comment");
      this.skipSpace();
      if (this.s === "") break;
      try {
        if (this.peek() === '"') this.consumeQuotedString();
        else this.consumeAtom(true, true);
      } catch (e) {
        if (!(e instanceof MailError)) throw e;
        if (words === 0) throw new MailError("missing word in phrase");
        break;
      }
      words++;
    }
  }

  /** parseAddress(handleGroup): the number of addresses it yields. */
  parseAddress(handleGroup: boolean): number {
    this.skipSpace();
    if (this.s === "") throw new MailError("no address");
    if (this.consumeAddrSpec()) {
      this.skipSpace();
      if (this.peek() === "(") {
        this.consume("(");
        if (!this.consumeComment()) throw new MailError("misformatted parenthetical comment");
      }
      return 1;
    }
    if (this.peek() !== "<") this.consumePhrase();
    this.skipSpace();
    if (handleGroup && this.consume(":")) return this.consumeGroupList();
    if (!this.consume("<")) throw new MailError("no angle-addr");
    if (!this.consumeAddrSpec()) throw new MailError("invalid addr-spec");
    if (!this.consume(">")) throw new MailError("unclosed angle-addr");
    return 1;
  }

  private consumeGroupList(): number {
    let n = 0;
    this.skipSpace();
    if (this.consume(";")) {
      if (!this.skipCFWS()) throw new MailError("misformatted parenthetical comment");
      return 0;
    }
    for (;;) {
      this.skipSpace();
      n += this.parseAddress(false);
      if (!this.skipCFWS()) throw new MailError("misformatted parenthetical comment");
      if (this.consume(";")) {
        if (!this.skipCFWS()) throw new MailError("misformatted parenthetical comment");
        return n;
      }
      if (!this.consume(",")) throw new MailError("expected comma");
    }
  }
}

/** mail.ParseAddress(s) succeeds. (RFC 2047 encoded words are taken as plain atoms.) */
function parseAddress(s: string): boolean {
  try {
    const p = new AddrParser(s);
    const n = p.parseAddress(true);
    return p.skipCFWS() && p.s === "" && n === 1;
  } catch (e) {
    if (e instanceof MailError) return false;
    throw e;
  }
}

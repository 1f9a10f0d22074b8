/** Go regexp/syntax tables: Perl and POSIX classes, Unicode categories and scripts. */
import type { Prop, Range } from "./ast.js";

export const MAX_RUNE = 0x10ffff;
export const PERL: Record<string, readonly [number, Range[]]> = {
  "\\d": [1, [[0x30, 0x39]]],
  "\\D": [-1, [[0x30, 0x39]]],
  "\\s": [1, [[0x9, 0xa], [0xc, 0xd], [0x20, 0x20]]],
  "\\S": [-1, [[0x9, 0xa], [0xc, 0xd], [0x20, 0x20]]],
  "\\w": [1, [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]],
  "\\W": [-1, [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]],
};
export const POSIX: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x0, 0x7f]],
  blank: [[0x9, 0x9], [0x20, 0x20]],
  cntrl: [[0x0, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x9, 0xd], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** Go 1.26's unicode.Categories and the Unicode 15.0 scripts it knows, and CategoryAliases. */
const CATEGORIES = new Set("C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(" "));
const CATEGORY_ALIASES: Record<string, string> = {
  Casedletter: "LC", Closepunctuation: "Pe", Combiningmark: "M", Connectorpunctuation: "Pc", Control: "Cc",
  Currencysymbol: "Sc", Dashpunctuation: "Pd", Decimalnumber: "Nd", Enclosingmark: "Me", Finalpunctuation: "Pf",
  Format: "Cf", Initialpunctuation: "Pi", Letter: "L", Letternumber: "Nl", Lineseparator: "Zl", Lowercaseletter: "Ll",
  Mark: "M", Mathsymbol: "Sm", Modifierletter: "Lm", Modifiersymbol: "Sk", Nonspacingmark: "Mn", Number: "N",
  Openpunctuation: "Ps", Other: "C", Otherletter: "Lo", Othernumber: "No", Otherpunctuation: "Po", Othersymbol: "So",
  Paragraphseparator: "Zp", Privateuse: "Co", Punctuation: "P", Separator: "Z", Spaceseparator: "Zs", Spacingmark: "Mc",
  Surrogate: "Cs", Symbol: "S", Titlecaseletter: "Lt", Unassigned: "Cn", Uppercaseletter: "Lu", Cntrl: "Cc", Digit: "Nd", Punct: "P",
};
/** Script names without an underscore (Go 1.26 canonicalises names, so those with one are not found). */
const SCRIPTS = new Set(
  ("Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid " +
    "Carian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dogra Duployan " +
    "Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gurmukhi Han Hangul Hanunoo Hatran Hebrew " +
    "Hiragana Inherited Javanese Kaithi Kannada Katakana Kawi Kharoshthi Khmer Khojki Khudawadi Lao Latin Lepcha Limbu " +
    "Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Medefaidrin Miao Modi Mongolian Mro Multani " +
    "Myanmar Nabataean Nandinagari Newa Nko Nushu Ogham Oriya Osage Osmanya Palmyrene Phoenician Rejang Runic Samaritan " +
    "Saurashtra Sharada Shavian Siddham Signwriting Sinhala Sogdian Soyombo Sundanese Syriac Tagalog Tagbanwa Takri Tamil " +
    "Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Yezidi Yi").split(" "),
);

function canonicalName(name: string): string {
  let out = "";
  let first = true;
  for (const ch of name) {
    if (ch === "_" || ch === "-" || ch === " ") continue;
    if (first) {
      out += ch >= "a" && ch <= "z" ? ch.toUpperCase() : ch;
      first = false;
    } else out += ch >= "A" && ch <= "Z" ? ch.toLowerCase() : ch;
  }
  return out;
}

/** unicodeTable: a Go class name to JS property items (sign -1: negated), or undefined. */
export function unicodeTable(raw: string): { props?: Prop[]; ranges?: Range[]; sign: number } | undefined {
  const name = canonicalName(raw);
  if (name === "Any") return { ranges: [[0, MAX_RUNE]], sign: 1 };
  if (name === "Assigned") return { props: [{ name: "Cn", negated: false }], sign: -1 };
  if (name === "Ascii") return { ranges: [[0, 0x7f]], sign: 1 };
  if (name === "Lc") return { props: [{ name: "LC", negated: false }], sign: 1 };
  if (CATEGORIES.has(name)) return { props: [{ name, negated: false }], sign: 1 };
  if (name === "Signwriting") return undefined; // Go's key is SignWriting, which canonicalises to Signwriting: not found.
  if (SCRIPTS.has(name)) return { props: [{ name: `Script=${name}`, negated: false }], sign: 1 };
  const alias = CATEGORY_ALIASES[name];
  if (alias) return { props: [{ name: alias, negated: false }], sign: 1 };
  return undefined;
}

export function isalnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

export function negate(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (next <= lo - 1) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

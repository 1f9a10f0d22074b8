// Go regular expressions through the host builtins: syntax that JavaScript reads
// differently, Go's errors, empty matches, Expand templates, templates and globs.
import type { Case } from "../harness.js";

const c = (call: string, ...args: string[]): Case => ({ call, args });
const j = JSON.stringify;

/** Patterns paired with subjects, run through replace, split and find_n. */
const PATTERNS: ReadonlyArray<readonly [string, string]> = [
  ["a*", "baaac"], ["", "abc"], ["x*", ""], ["b", "abcabc"], ["(a)(b)?", "ab a"], ["\\d+", "a1b22c333"],
  ["\\s+", "a \t\nb\u00a0c\u2003d"], ["\\w+", "héllo wörld_1"], ["\\bfoo\\b", "foo foobar foo"], [".", "a\nb\r\u2028c"],
  ["(?s).", "a\nb"], ["^a", "a\na"], ["(?m)^a", "a\na"], ["a$", "a\na"], ["(?m)a$", "a\na\r\na"], ["\\Aa", "aa"], ["a\\z", "aa"],
  ["(?i)straße", "STRASSE Straße STRAẞE"], ["(?i)k", "k K \u212a"], ["a(?i)b", "aB AB ab"], ["(?i:a)b", "Ab aB"], ["(?i)[a-c]+", "ABCabcd"],
  ["[[:alpha:]]+", "abc123DEF"], ["[[:^digit:]]+", "12ab34"], ["[^a]", "a\nb"], ["[]a]+", "a]b"], ["[a-]+", "a-b"],
  ["\\pL+", "héllo123"], ["\\p{Greek}+", "abc αβγ"], ["\\PL+", "ab12cd"], ["[\\p{Lu}\\d]+", "aBC1d"], ["\\p{^L}+", "ab12"],
  ["[^\\pL]+", "ab 12 cd"], ["\\x41\\x{263a}\\101", "A☺A"], ["\\Q.*\\E+", ".*.*"], ["a{2,3}", "aaaaaaa"], ["a{2,}?", "aaaa"],
  ["a+?", "aaa"], ["(?U)a+", "aaa"], ["(?U)a+?", "aaa"], ["(a|ab)(c|bcd)(d*)", "abcd"], ["(?P<first>\\w+) (?<last>\\w+)", "John Smith"],
  ["😀+", "a😀😀b"], ["[😀-😂]", "x😁y"], ["(?:)", "ab"], ["|a", "aa"], ["a|", "aa"], ["\\.", "a.b.c"], ["[\\d\\s]+", "a1 2b"],
  ["\\W+", "ab, cd!"], ["\\S+", " ab cd "], ["\\D+", "ab12cd"], ["(a*)*", "b"], ["(a*)+", "aa"], ["x{0}", "abc"], ["^", "abc"],
  ["$", "abc"], ["(?m)$", "a\nb"], ["\\B", "ab c"], ["[\\x00-\\x{10FFFF}]", "a😀"], ["\\v\\f\\t", "\u000b\u000c\t"],
  ["a{,2}", "a{,2}"], ["a{1,2", "a{1,2"], ["{", "{"], ["a{01}", "a{01}"], ["\\$1", "a$1"],
];

const BAD_PATTERNS = [
  "(", ")", "a)", "[a", "[z-a]", "*", "a**", "a*+", "+a", "a{1001}", "a{2,1}", "(a{500}){3}", "\\1", "(?=a)", "(?!a)", "(?<=a)b",
  "(?<!a)b", "(?P=name)", "(?P<n!>a)", "(?<>a)", "\\p{Foo}", "\\p{Old_Italic}", "\\pX", "\\p", "[[:foo:]]", "\\e", "\\C", "\\",
  "a\\", "(?i", "(?z)", "(?i-)", "\\x{110000}", "\\xZZ", "\\8", "x{2}{3}", "(?P<a>x)(?P<a>y)", "a|*", "()*", "(|)+",
];

const TEMPLATES: ReadonlyArray<readonly string[]> = [
  ["urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"], ["urn:foo:{.*}", "urn:bar:x", "{", "}"], ["urn:foo.bar.com:{.*}", "urn:foo.bar.com:x", "{", "}"],
  ["urn:foo:<[a-z]+>:<\\d+>", "urn:foo:ab:12", "<", ">"], ["{a}{b}", "ab", "{", "}"], ["a{b", "ab", "{", "}"], ["a}b", "ab", "{", "}"],
  ["x{(}", "x(", "{", "}"], ["x", "x", "{{", "}"], ["x", "x", "{", ""], ["x", "x", "é", "}"], ["{[}", "x", "{", "}"],
];

const GLOBS: ReadonlyArray<readonly [string, string]> = [
  ["a.a.", ".b.b"], ["[a-z]+", "[0-9]*"], ["abc", "abc"], ["abc", "abd"], ["a.*", "ab"], ["a*b", "aab"], ["a+", "aaa"], ["[abc]+x", "bx"],
  [".*", ""], ["", ""], ["a", ""], ["\\.", "."], ["\\*", "a"], ["[a-c]", "[d-f]"], ["[a-c]", "[c-f]"], ["a+b+", "ab*"], ["*a", "a"],
  ["a]", "a"], ["[a", "a"], ["[-a]", "a"], ["[a-]", "a"], ["[b-a]", "a"], ["[a--]", "a"], ["a\\", "a"], ["x.*y.*z", "xaybz"],
];

export const REGEX_CASES: readonly Case[] = [
  ...PATTERNS.flatMap(([p, s]) => [
    c("regex.replace", j(s), j(p), j("<$0>")),
    c("regex.split", j(p), j(s)),
    c("regex.find_n", j(p), j(s), "-1"),
    c("regex.find_n", j(p), j(s), "1"),
  ]),
  ...BAD_PATTERNS.flatMap((p) => [c("regex.replace", j("abc"), j(p), j("x")), c("regex.split", j(p), j("abc"))]),
  // Expand templates.
  ...["$1", "${1}", "$1x", "${1}x", "$2", "$first", "${first}!", "$last, $first", "$$", "$", "${", "${1", "$-", "$9", "$01", "$name_ok", "${é}", "$10"].map((t) =>
    c("regex.replace", j("John Smith"), j("(?P<first>\\w+) (?P<last>\\w+)"), j(t)),
  ),
  c("regex.replace", j("aaa"), j("(a)|(b)"), j("[$2]")),
  c("regex.find_n", j("a"), j("aaaa"), "0"),
  c("regex.find_n", j("a"), j("aaaa"), "2"),
  c("regex.find_n", j("a"), j("aaaa"), "1.5"),
  c("regex.find_n", j("a"), "1", "1"),
  c("regex.replace", "1", j("a"), j("b")),
  c("regex.replace", j("a"), "null", j("b")),
  c("regex.replace", j("a"), j("a"), "[]"),
  c("regex.split", "1", j("a")),
  c("regex.split", j(""), j("")),
  c("regex.split", j("a"), j("")),
  c("regex.split", j(""), j("a")),
  ...TEMPLATES.map(([p, m, s, e]) => c("regex.template_match", j(p), j(m), j(s), j(e))),
  c("regex.template_match", "1", j("a"), j("{"), j("}")),
  ...GLOBS.map(([a, b]) => c("regex.globs_match", j(a), j(b))),
  c("regex.globs_match", "1", j("a")),
];

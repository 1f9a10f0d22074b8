// yaml.*: go.yaml.in/yaml/v3 resolution and OPA's normalisation; v3's encoder output.
import type { Case } from "../harness.js";

const c = (call: string, ...args: string[]): Case => ({ call, args });
const j = JSON.stringify;
const PARSER_MESSAGES = "js-yaml's syntax error messages are not go-yaml's";

const DOCS = [
  "a: 1", "a: 1.0", "a: 1e3", "a: 0x1F", "a: 0o17", "a: 017", "a: 0b101", "a: 1_000", "a: -0b11", "a: +12", "a: 12345678901234567890",
  "a: 123456789012345678901234", "a: 1.5e300", "a: 1e400", "a: .5", "a: 5.", "a: .inf", "a: -.Inf", "a: .nan", "a: yes", "a: no", "a: on", "a: y",
  "a: True", "a: TRUE", "a: tRUE", "a: ~", "a: null", "a: Null", "a:", "a: ''", "a: 2001-12-14", "a: 2001-12-14t21:59:43.10-05:00",
  "a: 2001-12-14 21:59:43.10", "a: !!timestamp 2001-12-14", "a: !!str 123", "a: !!int '12'", "a: !!float 1", "a: !!int x", "a: !!bool yes",
  "a: !!binary aGVsbG8=", "a: !!binary '!!'", "a: !custom tagged", "a: !!null ''", "1: one", "1.5: x", "0.1: x", "true: t", "~: n", "[1]: x",
  "{a: 1}: x", "a: 1\na: 2", "a: 1\n'a': 2", "1: a\n'1': b", "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3", "- &a {x: 1}\n- {<<: [*a, {x: 2, z: 3}], w: 4}",
  "a: &x [1, 2]\nb: *x", "a: *missing", "---\na: 1\n---\nb: 2", "", "# only a comment", "--- |\n  literal\n  text\n", "'quoted'", "plain scalar",
  "- 1\n- [2, 3]\n- {k: v}", "a: [1, 2", "a: b: c", "\ta: 1", "a:\n  - b\n  -c", "{a: 1, b: [x, y]}", "a: 'it''s'", 'a: "esc\\t\\u00e9"',
  "a: |\n  x\n  y\n", "a: >\n  folded\n  text\n", "key with spaces: v", "? complex\n: value", "a: 1:2:3", "a: 190:20:30", "a: -", "a: '-'",
  "a: 0.000001", "a: 1e21", "a: 100000000000000000000000", "a: -0", "a: -0.0", "---\na: 1\n---\n[", "a: @x",
];

const VALUES = [
  '{"a": [1, {"b": [[1, 2], []], "c": {}}]}', '{"k": "multi\\nline\\n"}', '{"t": "true", "e": "", "s": " lead", "q": "it\'s", "n": null}',
  '{"f": 1.5, "i": 1.0, "big": 12345678901234567890, "huge": 1e400, "tiny": 0.000001, "e": 1e21}', '{"h": "#x", "c": "a: b", "d": "-", "u": "héllo"}',
  '{"ctl": "a\\tb", "trail": "x\\n\\n", "lead": "\\nx", "sp": "x \\ny", "nl": "\\n", "bs": "a\\\\b", "q2": "say \\"hi\\""}',
  '[[["a"]], {"multi\\nkey": 1}, "1.0", "0o17", "yes", "n", "1:20", "2001-12-14", "~", "null", ".inf", "0x10", "1_0"]', '"a"', "null", "1", "[]", "{}",
  '{"a10": 1, "a2": 2, "a1": 3, "b": 4, "10": 5, "9": 6, "A": 7, "_": 8, "a02": 9}', '{1: "x", [1]: "y"}', '{"s": {1, 2, "z"}}', '"\\u00a0\\u2028x\\u0085"',
  '"- item"', '"key: value"', '"[x]"', '"{x}"', '"&a"', '"*a"', '"!t"', '"|x"', '">x"', '"%x"', '"@x"', '"`x"', '"x #y"', '"x#y"', '"? x"', '"---"', '"..."',
  '"trailing "', '" leading"', '"tab\\there"', '"emoji 😀"', '"\\u0000"', '"line\\r\\nbreak"', '"a\\n b"', '"a \\nb"', '{"k": "v", "l": ["a", {"m": "n"}]}',
  '{"": 1}', '{"x": ""}', '{"k": {"z": [1, {"y": [{"x": 1}]}]}}', "[[], [[]], {}, [{}]]",
];

export const YAML_CASES: readonly Case[] = [
  ...DOCS.map((d) => ({ call: "yaml.unmarshal", args: [j(d)], anyError: PARSER_MESSAGES })),
  ...DOCS.map((d) => c("yaml.is_valid", j(d))),
  c("yaml.unmarshal", "1"), c("yaml.is_valid", "1"),
  ...VALUES.map((v) => c("yaml.marshal", v)),
];

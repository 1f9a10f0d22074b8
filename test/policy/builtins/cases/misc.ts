// units, semver, encodings, json.patch / marshal_with_options, casts, object.subset,
// graph.reachable_paths, numbers.range_step, hashes, uuid, rand, trace, time.now_ns.
import type { Case } from "../harness.js";

const c = (call: string, ...args: string[]): Case => ({ call, args });
const j = JSON.stringify;

const UNITS = [
  "10", "10K", "10k", "10Ki", "10ki", "1.5Mi", "1.5M", "1m", "1.5m", "100m", "0.1", "1e3", "1E3", "1e-3", "1e-3k", "1.1Gi", "1Ti",
  "1Pi", "1Ei", "1e", "1E", "5P", "-1K", "+1K", "-0", ".5", "5.", ".", "", "K", "1 K", '"1K"', "1KB", "1kB", "1Mb", "1x", "1e1234567",
  "1e+3", "1.2.3", "1e3e3", "12345678901234567890123", "0.0000000001m", "3.3333333333333333333m", "0x10", "1_000", "1-2", "--1",
  "1e999999", "7e-1000",
];

const BYTES = [
  "10", "10KB", "10kb", "10K", "10KiB", "10kib", "10Ki", "1.5GiB", "1.1kb", "0.1", "1e3", "1e3kb", "5MB", "5mib", "5M", "5g", "1tb",
  "1pib", "1EB", "1eib", "2e", "-1kb", "+1kb", ".5kb", "", "kb", "1 kb", '"1kb"', "1xb", "1.2.3", "12345678901234567890kb",
  "123456789012345678901234567890", "1.9999999999999999999999kb", "1e-5kb", "0.3333333333333333333333333eb", "1e1234567", "1e30eib", "1E",
  "ÄB", "1é",
];

const SEMVERS = [
  ["1.0.0", "1.0.0"], ["1.0.0", "1.0.1"], ["2.0.0", "1.9.9"], ["1.0.0-alpha", "1.0.0"], ["1.0.0-alpha", "1.0.0-alpha.1"],
  ["1.0.0-alpha.1", "1.0.0-alpha.beta"], ["1.0.0-beta.2", "1.0.0-beta.11"], ["1.0.0-rc.1", "1.0.0"], ["1.0.0+build", "1.0.0"],
  ["v1.2.3", "1.2.3"], ["1.0.0-1", "1.0.0-a"], ["1.0.0-a.b", "1.0.0-a"], ["1.0.0-99999999999999999999", "1.0.0-1"],
  ["1.0", "1.0.0"], ["01.0.0", "1.0.0"], ["1.0.0-01", "1.0.0"], ["1.0.0+", "1.0.0"], ["a.b.c", "1.0.0"], ["1.0.0", "x"],
  ["9223372036854775808.0.0", "1.0.0"], ["1.0.0-", "1.0.0"], ["1.0.0-a..b", "1.0.0"], ["vv1.0.0", "1.0.0"], ["1.0.0-x-y", "1.0.0-x"],
];

export const MISC_CASES: readonly Case[] = [
  ...UNITS.map((u) => c("units.parse", j(u))),
  ...BYTES.map((u) => c("units.parse_bytes", j(u))),
  c("units.parse", "1"), c("units.parse_bytes", "null"),
  ...SEMVERS.flatMap(([a, b]) => [c("semver.compare", j(a), j(b)), c("semver.is_valid", j(a))]),
  c("semver.compare", "1", j("1.0.0")), c("semver.is_valid", "1"), c("semver.is_valid", "null"),
  // encodings
  ...["", "hello", "héllo wörld", "a+b=c&d/e?f", "~._-", "😀", "\u0000\n"].flatMap((s) => [
    c("base64url.encode_no_pad", j(s)), c("hex.encode", j(s)), c("urlquery.encode", j(s)), c("crypto.md5", j(s)), c("crypto.sha1", j(s)),
    c("crypto.sha256", j(s)), c("crypto.hmac.sha256", j(s), j("key")), c("crypto.hmac.md5", j(s), j("")), c("crypto.hmac.sha1", j(s), j("k")),
    c("crypto.hmac.sha512", j(s), j(s)),
  ]),
  ...["68656c6c6f", "", "4A4b", "zz", "abc", "a", "0g", "g0", "e282ac"].map((s) => c("hex.decode", j(s))),
  c("hex.encode", "1"), c("crypto.sha256", "[]"), c("crypto.hmac.sha256", j("a"), "1"),
  c("crypto.sha256", 'base64.decode("/+k=")'), c("hex.encode", 'base64.decode("/+k=")'), c("crypto.md5", 'base64.decode("gA==")'),
  c("crypto.hmac.equal", j("abc"), j("abc")), c("crypto.hmac.equal", j("abc"), j("abd")), c("crypto.hmac.equal", j("abc"), j("ab")),
  ...["a%20b", "a+b", "%zz", "%a", "%", "100%", "%E2%82%AC", "a%2Bb", "%41%42"].map((s) => c("urlquery.decode", j(s))),
  ...['{"a": "b"}', '{"b": ["1", "2"], "a": "x y"}', '{"a": {"z", "y"}}', "{}", '{"a": []}', '{"a": 1}', '{"a": ["x", 1]}', '{"é&": "=?"}'].map(
    (o) => c("urlquery.encode_object", o),
  ),
  c("urlquery.encode_object", '{1: "a"}'), c("urlquery.encode_object", '{["a"]: "b"}'), c("urlquery.encode_object", '"a=b"'),
  ...["a=1&b=2&a=3", "", "a", "a=&=b", "a=1;b=2", "a=%zz&b=1", "%20k=v+w", "&&a=1&&", "a=1&b=%x"].map((s) => c("urlquery.decode_object", j(s))),
  // json.marshal_with_options
  ...[
    ['{"b": [1, {"c": null}], "a": "<&>"}', "{}"], ['{"b": [1, 2], "a": {}}', '{"pretty": true}'], ['{"a": [1]}', '{"indent": "  "}'],
    ['{"a": [1]}', '{"prefix": "// ", "indent": " "}'], ['{"a": [1]}', '{"prefix": "x", "pretty": false}'], ["[]", '{"pretty": true}'],
    ['{"a": 1}', '{"pretty": "yes"}'], ['{"a": 1}', '{"indent": 1}'], ['{"a": 1}', '{"other": 1}'], ['{"a": 1}', '{1: 1}'],
    ['{"a": 1}', "[]"], ['{"a": {1, 2}, "b": 1.50, "c": "\\u2028é"}', '{"pretty": true, "indent": "\\t"}'], ['"x"', '{"pretty": true}'],
  ].map(([v, o]) => c("json.marshal_with_options", v!, o!)),
  // json.patch
  ...[
    ['{"a": 1}', '[{"op": "add", "path": "/b", "value": 2}]'], ['{"a": {"b": 1}}', '[{"op": "add", "path": "/a/c", "value": [1]}]'],
    ["[1, 2]", '[{"op": "add", "path": "/1", "value": 9}]'], ["[1, 2]", '[{"op": "add", "path": "/-", "value": 9}]'],
    ["[1, 2]", '[{"op": "add", "path": "/3", "value": 9}]'], ["[1, 2]", '[{"op": "add", "path": "/01", "value": 9}]'],
    ['{"a": 1}', '[{"op": "remove", "path": "/a"}]'], ['{"a": 1}', '[{"op": "remove", "path": "/b"}]'], ["[1, 2]", '[{"op": "remove", "path": "/5"}]'],
    ['{"a": 1}', '[{"op": "replace", "path": "/a", "value": 3}]'], ['{"a": 1}', '[{"op": "replace", "path": "/b", "value": 3}]'],
    ['{"a": {"b": 1}}', '[{"op": "move", "from": "/a/b", "path": "/c"}]'], ['{"a": [1, 2]}', '[{"op": "copy", "from": "/a/0", "path": "/a/-"}]'],
    ['{"a": 1}', '[{"op": "test", "path": "/a", "value": 1}]'], ['{"a": 1}', '[{"op": "test", "path": "/a", "value": 2}]'],
    ['{"a/b": 1, "c~d": 2}', '[{"op": "remove", "path": "/a~1b"}, {"op": "remove", "path": "/c~0d"}]'], ['{"a": 1}', '[{"op": "add", "path": "", "value": 5}]'],
    ['{"a": 1}', '[{"op": "add", "path": ["b", "c"], "value": 5}]'], ['{"a": {1: "x"}}', '[{"op": "add", "path": ["a", 2], "value": "y"}]'],
    ['{"a": 1}', '[{"op": "nope", "path": "/a"}]'], ['{"a": 1}', '[{"path": "/a"}]'], ['{"a": 1}', '[{"op": "add"}]'], ['{"a": 1}', '[{"op": 1, "path": "/a"}]'],
    ['{"a": 1}', '[{"op": "add", "path": "/a"}]'], ['{"a": 1}', '[{"op": "add", "path": 1, "value": 1}]'], ['{"a": 1}', "[1]"], ['{"a": 1}', '{"op": "add"}'],
    ['{"a": "s"}', '[{"op": "add", "path": "/a/b", "value": 1}]'], ['{"a": "s"}', '[{"op": "add", "path": "/a/b/c", "value": 1}]'],
    ['{"a": {"x", "y"}}', '[{"op": "add", "path": "/a/z", "value": "z"}]'], ['{"a": {"x", "y"}}', '[{"op": "add", "path": "/a/z", "value": "q"}]'],
    ['{"a": {"x", "y"}}', '[{"op": "remove", "path": "/a/x"}]'], ["[1, [2, 3]]", '[{"op": "remove", "path": "/1/0"}, {"op": "add", "path": "/1/-", "value": 4}]'],
    ["[1]", '[{"op": "add", "path": "/x", "value": 4}]'], ["[1]", '[{"op": "add", "path": "/1.0", "value": 4}]'], ["[1]", '[{"op": "remove", "path": "/-1"}]'],
    ['{"a": 1}', '[{"op": "move", "from": "/x", "path": "/b"}]'], ['{"a": 1}', '[{"op": "copy", "path": "/b"}]'], ["5", '[{"op": "replace", "path": "", "value": 6}]'],
    ['{"a": 1}', '[{"op": "add", "path": "//a", "value": 2}]'], ['{"a": 1}', '[{"op": "add", "path": "a", "value": 2}]'], ['{"": 1}', '[{"op": "add", "path": "/", "value": 2}]'],
  ].map(([s, p]) => c("json.patch", s!, p!)),
  // object.subset
  ...[
    ['{"a": 1, "b": {"c": [1, 2, 3], "d": {1, 2}}}', '{"b": {"c": [2, 3], "d": {1}}}'], ['{"a": 1}', '{"a": 2}'], ['{"a": 1}', '{"b": 1}'],
    ["[1, 2, 3, 4]", "[2, 3]"], ["[1, 2, 3]", "[1, 3]"], ["[1, 2, 1, 2, 3]", "[1, 2, 3]"], ["{1, 2, 3}", "{1, 3}"], ["{1, 2}", "{4}"],
    ["[1, 2, 3]", "{3, 1}"], ["[1, 2]", "{3}"], ["[1, 2]", "set()"], ['{"a": 1}', "[1]"], ["1", "1"], ['{"a": [1, 2]}', '{"a": [2, 1]}'], ["[]", "[]"],
  ].map(([a, b]) => c("object.subset", a!, b!)),
  // graph.reachable_paths
  ...[
    ['{"a": ["b"], "b": ["c"], "c": []}', '["a"]'], ['{"a": ["b", "c"], "b": ["a"], "c": {"d"}, "d": []}', '{"a"}'],
    ['{"a": ["b"]}', '["a"]'], ['{"a": []}', '["a", "x"]'], ['{"a": "b"}', '["a"]'], ['{"a": ["a"]}', '["a"]'], ['{"a": ["b"]}', '"a"'], ['"g"', '["a"]'],
  ].map(([g, i]) => c("graph.reachable_paths", g!, i!)),
  // numbers.range_step
  ...[["0", "10", "3"], ["10", "0", "3"], ["0", "0", "1"], ["1", "5", "0"], ["1", "5", "-1"], ["1.5", "5", "1"], ["1", "5.0", "2"], ['"1"', "5", "1"],
    ["1", "5", "2.5"], ["12345678901234567890", "12345678901234567899", "4"], ["1e2", "105", "2"]].map(([a, b, s]) => c("numbers.range_step", a!, b!, s!)),
  // uuid, rand, trace, time: deterministic facts about them
  ...["6ba7b810-9dad-11d1-80b4-00c04fd430c8", "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
    "6ba7b8109dad11d180b400c04fd430c8", "000003e8-2363-21ef-b200-325096b39f47", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "c232ab00-9414-11ec-b3c8-9f6bdeced846",
    "6ba7b810-9dad-11d1-c0b4-00c04fd430c8", "6ba7b810-9dad-11d1-e0b4-00c04fd430c8", "6ba7b810-9dad-11d1-00b4-00c04fd430c8", "000003e8-2363-21ef-b200-325096b39f47",
    "not-a-uuid", "6ba7b810x9dad-11d1-80b4-00c04fd430c8", "URN:UUID:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "xrn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
    "6ba7b810-9dad-11d1-80b4-00c04fd430cz", "", "018f4d9e-7c3a-7b2e-9f3a-2b1c4d5e6f70", "1ec9414c-232a-6b00-b3c8-9e6bdeced846",
    "6ba7b810-9dad-21d1-8042-00c04fd430c8", "6ba7b810-9dad-21d1-8142-00c04fd430c8", "6ba7b810-9dad-21d1-8742-03c04fd430c8"].map((u) => c("uuid.parse", j(u))),
  c("uuid.parse", "1"),
  c("count", 'uuid.rfc4122("a")'), c("regex.match", j("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), 'uuid.rfc4122("a")'),
  c("equal", 'uuid.rfc4122("a")', 'uuid.rfc4122("a")'), c("equal", 'uuid.rfc4122("a")', 'uuid.rfc4122("b")'),
  c("equal", 'rand.intn("a", 1000000)', 'rand.intn("a", 1000000)'), c("lt", 'rand.intn("a", 5)', "5"), c("gte", 'rand.intn("a", -5)', "0"),
  c("rand.intn", j("a"), "0"), c("rand.intn", j("a"), "1"), c("rand.intn", j("a"), "1.5"), c("rand.intn", "1", "5"),
  c("trace", j("note")), c("trace", "1"), c("gt", "time.now_ns()", "1700000000000000000"), c("equal", "time.now_ns()", "time.now_ns()"),
];

/** Deprecated builtins, which only pre-1.0 Rego (--rego-version v0) may call. */
export const V0_CASES: readonly Case[] = [
  ...["[1, 2]", "{2, 1}", '"s"', "true", "null", '{"a": 1}', "1"].flatMap((v) =>
    ["cast_array", "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object"].map((f) => c(f, v)),
  ),
];

/** net.cidr_* on the host (contains, intersects and overlap are native to the wasm module). */
export const NET_CASES: readonly Case[] = [
  ...["10.0.0.0/8", "192.168.1.1/32", "0.0.0.0/0", "10.0.0.0/33", "10.0.0.0", "10.0.0.0/-1", "10.0.0.0/08", "010.0.0.0/8", "2001:db8::/32",
    "::/0", "::ffff:10.0.0.0/104", "fe80::1%eth0/64", "1.2.3.4/", "/8", "", "1.2.3/24", "2001:db8::/129", "2001:db8:::/32", "1:2:3:4:5:6:7:8/64",
    "1:2:3:4:5:6:7::/64", "::1.2.3.4/128", "1.2.3.4/1e1"].map((x) => c("net.cidr_is_valid", j(x))),
  c("net.cidr_is_valid", "1"),
  ...["192.168.1.0/30", "10.0.0.0/31", "10.0.0.1/32", "192.168.1.5/29", "2001:db8::/126", "::ffff:10.0.0.0/126", "10.0.0.0/40", "x"].map((x) => c("net.cidr_expand", j(x))),
  c("net.cidr_expand", "1"),
  ...[
    '["192.0.128.0/24", "192.0.129.0/24"]', '["192.0.129.0/24", "192.0.130.0/24"]', '["10.0.0.0/8", "10.1.0.0/16", "10.2.3.4"]', '["10.0.0.1"]',
    '["172.16.0.1", "192.168.0.1"]', '["2001:db8::/33", "2001:db8:8000::/33"]', '["2001:db8::1"]', '{"1.1.1.0/24", "1.1.0.0/24"}', "[]",
    '["1.2.3.4/32", "1.2.3.5/32", "1.2.3.6/32"]', '["1.2.3.0/25", "1.2.3.128/26", "1.2.3.192/27"]', '["0.0.0.0/0", "10.0.0.0/8"]',
    '["10.0.0.0/8", 1]', '["bad"]', '"10.0.0.0/8"', '["::/0", "::1/128"]', '["1.2.3.5/32", "1.2.3.6/32"]', '["1.2.3.1/32", "1.2.3.2/31", "1.2.3.4/32"]',
  ].map((x) => c("net.cidr_merge", x)),
  ...[
    ['"10.0.0.0/8"', '"10.1.2.3"'], ['["10.0.0.0/8", "192.168.0.0/16"]', '["10.1.2.3", "192.168.1.1", "8.8.8.8"]'],
    ['{"a": "10.0.0.0/8", "b": ["192.168.0.0/16", "x"]}', '{"x": "10.1.1.1", "y": ["192.168.1.0/24"]}'], ['{"10.0.0.0/8"}', '{"10.0.0.0/16", "11.0.0.0/8"}'],
    ['"2001:db8::/32"', '"2001:db8:1::/48"'], ['"10.0.0.0/8"', '"nonsense"'], ['"bad"', '"10.1.2.3"'], ['[[]]', '"10.1.2.3"'], ['[1]', '"10.1.2.3"'],
    ['"10.0.0.0/8"', "1"], ['["10.0.0.0/8"]', '[["10.1.1.1", "extra"]]'], ["1", "2"], ['"::ffff:10.0.0.0/104"', '"10.1.2.3"'],
  ].map(([a, b]) => c("net.cidr_contains_matches", a!, b!)),
];

const URIS = [
  "https://user:pass@example.com:8443/a%20b/c?x=1&y=2#frag", "http://example.com", "http://[::1]:80/p", "http://[fe80::1%25eth0]/", "mailto:a@b.c",
  "/relative/path?q", "relative", "a:b", ":nope", "http://a b.com/", "http://exa mple.com", "http://example.com:port/", "http://[::1", "http://a:1:2/",
  "ftp://a:1:2/", "http://[1.2.3.4]/", "http://%zz/", "http://x/%zz", "http://x/#%zz", "http://x/?%zz", "*", "", "//host/path", "///path", "http://x/a%2Fb",
  "HTTP://EXAMPLE.COM/", "http://x?", "http://x/?a?b", "http://x/\u0001", "http://üñí.com/ü", "http://u@h@x/", "http://%41/", "http://x:/",
];

export const URI_CASES: readonly Case[] = [
  ...URIS.flatMap((u) => [{ call: "uri.parse", args: [j(u)], anyError: "netip's ParseAddr messages are approximated" }, c("uri.is_valid", j(u))]),
  c("uri.parse", "1"), c("uri.is_valid", "1"),
];

const AWS_CFG = { aws_access_key: "AKIDEXAMPLE", aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", aws_service: "s3", aws_region: "us-east-1" };
export const AWS_CASES: readonly Case[] = [
  ...[
    [{ method: "get", url: "https://examplebucket.s3.amazonaws.com/test.txt" }, AWS_CFG],
    [{ method: "GET", url: "https://example.com/a b/%2F?x=1&y=2", headers: { "X-Custom": "v", "User-Agent": "ua", Host: "other" } }, { ...AWS_CFG, aws_service: "execute-api" }],
    [{ method: "POST", url: "https://sqs.us-east-1.amazonaws.com/", body: { a: [1, "<x>"] } }, { ...AWS_CFG, aws_service: "sqs", aws_session_token: "tok" }],
    [{ method: "PUT", url: "https://b.s3.amazonaws.com/k", raw_body: "raw" }, { ...AWS_CFG, disable_payload_signing: true }],
    [{ method: "GET", url: "https://x/" }, { ...AWS_CFG, disable_payload_signing: "yes" }], [{ method: "GET", url: "https://x/" }, { aws_service: "s3" }],
    [{ method: "GET", url: "https://x/" }, { ...AWS_CFG, aws_region: 1 }], [{ method: "GET" }, AWS_CFG], [{ method: "GET", url: "https://x/", bogus: 1 }, AWS_CFG],
    [{ method: 1, url: "https://x/" }, AWS_CFG], [{ method: "GET", url: "https://x/", headers: "h" }, AWS_CFG], [{ method: "GET", url: "http://[::1" }, AWS_CFG],
  ].map(([r, cfg]) => c("providers.aws.sign_req", j(r), j(cfg), "1700000000123456789")),
  c("providers.aws.sign_req", j({ method: "GET", url: "https://x/" }), j(AWS_CFG), "1.5"), c("providers.aws.sign_req", "1", j(AWS_CFG), "0"),
];

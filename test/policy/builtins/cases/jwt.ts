// io.jwt.*: tokens made by encode_sign (deterministic algorithms compared byte for byte,
// ECDSA and PSS through verification), decoded and verified with PEM and JWK keys.
import type { Case } from "../harness.js";
import * as K from "./keys.js";

const c = (call: string, ...args: string[]): Case => ({ call, args });
const j = JSON.stringify;
const MESSAGES = "malformed JSON and JWK messages come from Node, not from Go and lestrrat-go/jwx";

const OCT = { kty: "oct", k: Buffer.from("my-secret-key-0123456789").toString("base64url") };
const PAYLOAD = { sub: "alice", iss: "https://issuer", aud: ["api", "web"], exp: 4102444800, nbf: 1500000000, n: 1.5, nested: { a: [1, "<&>"] } };
const sign = (header: object, key: object, payload: object = PAYLOAD): string => `io.jwt.encode_sign(${j(header)}, ${j(payload)}, ${j(key)})`;
const signRaw = (header: string, payload: string, key: object): string => `io.jwt.encode_sign_raw(${j(header)}, ${j(payload)}, ${j(j(key))})`;

const HS = sign({ alg: "HS256", typ: "JWT" }, OCT);
const HS512 = sign({ alg: "HS512" }, OCT);
const RS = sign({ alg: "RS256", kid: "k1" }, K.rsaPrivJwk);
const RS384 = sign({ alg: "RS384" }, K.rsaPrivJwk);
const PS = sign({ alg: "PS256" }, K.rsaPrivJwk);
const ES = sign({ alg: "ES256" }, K.ec256PrivJwk);
const ES384 = sign({ alg: "ES384" }, K.ec384PrivJwk);
const ES512 = sign({ alg: "ES512" }, K.ec521PrivJwk);
const PS512 = sign({ alg: "PS512" }, K.rsaPrivJwk);
const ED = sign({ alg: "EdDSA" }, K.edPrivJwk);
const EXPIRED = sign({ alg: "HS256" }, OCT, { exp: 1000, iss: "x" });
const NOT_YET = sign({ alg: "HS256" }, OCT, { nbf: 4102444800 });
const CRIT = sign({ alg: "HS256", crit: ["foo"], foo: 1 }, OCT);
const CRIT_OK = sign({ alg: "HS256", crit: ["kid"], kid: "a" }, OCT);
const NESTED = `io.jwt.encode_sign_raw(${j(j({ alg: "HS256", cty: "JWT" }))}, ${HS}, ${j(j(OCT))})`;

const JWKS = j({ keys: [{ ...K.rsaPubJwk, kid: "k0" }, { ...K.rsaPubJwk, kid: "k1", alg: "RS256" }, { ...K.rsaPubJwk, kid: "k2", alg: "none" }] });

export const JWT_CASES_BASE: readonly Case[] = [
  // signing: deterministic algorithms give the same token
  c("concat", j("."), `[${HS}]`), c("concat", j("."), `[${HS512}]`), c("concat", j("."), `[${RS}]`), c("concat", j("."), `[${RS384}]`), c("concat", j("."), `[${ED}]`),
  c("concat", j("."), `[${signRaw('{"alg":"HS256","typ":"JWT"}', '{"raw":true}', OCT)}]`),
  c("io.jwt.encode_sign_raw", j('{"alg":"HS256"}'), j("not json"), j(j(OCT))),
  c("io.jwt.encode_sign_raw", j('{"alg":"HS256","typ":"text"}'), j("not json"), j(j(OCT))),
  c("io.jwt.encode_sign_raw", j('{"alg":"XX256"}'), j("{}"), j(j(OCT))),
  c("io.jwt.encode_sign_raw", j('{"typ":"JWT"}'), j("{}"), j(j(OCT))),
  c("io.jwt.encode_sign_raw", j('{"alg":"HS256"}'), j("{}"), "1"),
  c("io.jwt.encode_sign", j({ alg: "HS256" }), "{}", j({ keys: [] })),
  // ECDSA and PSS signatures are random: check they verify
  c("io.jwt.verify_es256", ES, j(K.ec256Pub)), c("io.jwt.verify_es256", ES, j(K.ec256Cert)), c("io.jwt.verify_es384", ES384, j(K.ec384Pub)),
  c("io.jwt.verify_ps256", PS, j(K.rsaPub)), c("io.jwt.verify_ps256", PS, j(K.rsaCert)), c("io.jwt.verify_ps384", PS, j(K.rsaPub)),
  c("io.jwt.verify_es512", ES512, j(K.ec521Pub)), c("io.jwt.verify_es512", ES, j(K.ec521Pub)), c("io.jwt.verify_ps512", PS512, j(K.rsaPub)),
  c("io.jwt.verify_ps512", PS, j(K.rsaPub)), c("io.jwt.verify_es256", ES, j(K.ec384Pub)), c("io.jwt.verify_es256", ES, j(K.rsaPub)),
  // verification
  c("io.jwt.verify_hs256", HS, j("my-secret-key-0123456789")), c("io.jwt.verify_hs256", HS, j("wrong")), c("io.jwt.verify_hs512", HS512, j("my-secret-key-0123456789")),
  c("io.jwt.verify_hs384", HS, j("my-secret-key-0123456789")), c("io.jwt.verify_hs256", "1", j("k")), c("io.jwt.verify_hs256", HS, "1"),
  c("io.jwt.verify_rs256", RS, j(K.rsaCert)), c("io.jwt.verify_rs256", RS, j(K.rsaPub)), c("io.jwt.verify_rs256", RS, j(j(K.rsaPubJwk))),
  c("io.jwt.verify_rs256", RS, j(JWKS)), c("io.jwt.verify_rs384", RS384, j(K.rsaPub)), c("io.jwt.verify_rs512", RS, j(K.rsaPub)),
  c("io.jwt.verify_rs256", RS, j(K.ec256Pub)), c("io.jwt.verify_rs256", HS, j(K.rsaPub)), c("io.jwt.verify_eddsa", ED, j(K.edPub)), c("io.jwt.verify_eddsa", ED, j(j(K.edPubJwk))),
  c("io.jwt.verify_eddsa", RS, j(K.edPub)), c("io.jwt.verify_rs256", RS, j(`${K.rsaPub}${K.rsaPub}`)), c("io.jwt.verify_rs256", RS, j("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n")),
  { call: "io.jwt.verify_rs256", args: [RS, j("not a key")], anyError: MESSAGES }, c("io.jwt.verify_rs256", j("a.b"), j(K.rsaPub)), c("io.jwt.verify_rs256", RS, "1"),
  // decoding
  c("io.jwt.decode", HS), c("io.jwt.decode", RS), c("io.jwt.decode", NESTED), c("io.jwt.decode", j("abc")), c("io.jwt.decode", j("a.b")), c("io.jwt.decode", j("a.b.c.d")),
  c("io.jwt.decode", j("!!!.e30.e30")), c("io.jwt.decode", j("e30.!!!.e30")), c("io.jwt.decode", j("e30.e30.!!!")), c("io.jwt.decode", j("e30.e30.")),
  { call: "io.jwt.decode", args: [j("bm90IGpzb24.e30.")], anyError: MESSAGES }, c("io.jwt.decode", j("WzFd.e30.")), c("io.jwt.decode", j("eyJlbmMiOiJ4In0.e30.")),
  c("io.jwt.decode", j("e30.WzFd.")), c("io.jwt.decode", j("e30.e30.YQ")), c("io.jwt.decode", j("e30.e30.YQ=")), c("io.jwt.decode", j("e30.e30.Y")), c("io.jwt.decode", "1"),
  // decode_verify
  ...[
    [HS, { secret: "my-secret-key-0123456789", time: 1600000000000000000 }], [HS, { secret: "wrong", time: 1600000000000000000 }],
    [HS, { secret: "my-secret-key-0123456789", time: 1600000000000000000, iss: "https://issuer", aud: "web" }],
    [HS, { secret: "my-secret-key-0123456789", time: 1600000000000000000, iss: "other" }], [HS, { secret: "my-secret-key-0123456789", time: 1600000000000000000, aud: "x" }],
    [HS, { secret: "my-secret-key-0123456789", time: 1400000000000000000 }], [HS, { secret: "my-secret-key-0123456789", time: 4102444800000000000 }],
    [HS, { secret: "my-secret-key-0123456789", alg: "HS512", time: 1600000000000000000 }], [RS, { cert: K.rsaCert, time: 1600000000000000000 }],
    [RS, { cert: JWKS, time: 1600000000000000000 }], [RS, { cert: K.ec256Pub, time: 1600000000000000000 }], [ES, { cert: K.ec256Pub, time: 1600000000000000000 }],
    [ED, { cert: K.edPub, time: 1600000000000000000 }], [PS, { cert: K.rsaPub, time: 1600000000000000000 }], [EXPIRED, { secret: "my-secret-key-0123456789" }],
    [NOT_YET, { secret: "my-secret-key-0123456789" }], [CRIT, { secret: "my-secret-key-0123456789" }], [CRIT_OK, { secret: "my-secret-key-0123456789", time: 0 }],
    [NESTED, { secret: "my-secret-key-0123456789", time: 1600000000000000000 }], [HS, {}], [HS, { secret: "a", cert: K.rsaPub }], [HS, { secret: "a", other: 1 }],
    [HS, { secret: 1 }], [HS, { cert: 1 }], [HS, { secret: "a", time: -1 }], [HS, { secret: "a", time: "now" }], [HS, { secret: "a", alg: 1 }],
  ].map(([t, cons]) => c("io.jwt.decode_verify", t as string, j(cons))),
  c("io.jwt.decode_verify", HS, "1"), c("io.jwt.decode_verify", j("x.y"), j({ secret: "a" })),
  c("io.jwt.decode_verify", sign({ alg: "HS256" }, OCT, { exp: "soon" }), j({ secret: "my-secret-key-0123456789" })),
];

export const JWT_EXTRA: readonly Case[] = [
  c("io.jwt.encode_sign_raw", j('{"alg":1}'), j("{}"), j(j({ kty: "oct", k: "YQ" }))),
  c("io.jwt.encode_sign_raw", j('{"alg":null}'), j("{}"), j(j({ kty: "oct", k: "YQ" }))),
  c("io.jwt.encode_sign_raw", j("[1]"), j("{}"), j(j({ kty: "oct", k: "YQ" }))),
];
export const JWT_CASES: readonly Case[] = [...JWT_CASES_BASE, ...JWT_EXTRA];

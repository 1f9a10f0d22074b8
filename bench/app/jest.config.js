// `npm run bench:app`: the App's benchmarks over the e2e emulator (requests, round trips,
// webhook answers, throughput with one and two replicas). Not part of `npm test`: they
// report figures, they do not gate.
import base from "../../jest.config.js";

export default { ...base, rootDir: "../..", roots: ["<rootDir>/bench/app"], testMatch: ["**/*.bench.ts"], testTimeout: 600_000 };

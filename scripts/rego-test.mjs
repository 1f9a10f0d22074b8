// `opa test` over the built-in packs with a coverage floor: a rule without a test that
// exercises it fails the build, not just a review comment.
import { execFileSync } from "node:child_process";

const FLOOR = 90;
// opa test stops a test after 5 s by default; the robustness tests walk many odd inputs
// through every rule and take seconds on a loaded CI machine, which is not a failure.
const opa = execFileSync("bash", ["scripts/ensure-opa.sh"], { encoding: "utf8" }).trim();
execFileSync(opa, ["test", "policies", "--timeout", "120s", "--explain", "fails"], { stdio: "inherit" });
const report = JSON.parse(
  execFileSync(opa, ["test", "policies", "--timeout", "120s", "--coverage", "--format", "json"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }),
);
const files = Object.entries(report.files ?? {})
  .filter(([f]) => !f.endsWith("_test.rego"))
  .map(([f, c]) => [f, c.coverage ?? 0]);
for (const [f, c] of files) console.log(`coverage ${c.toFixed(1).padStart(5)}%  ${f}`);
console.log(`coverage ${report.coverage.toFixed(1)}% overall (floor ${FLOOR}%)`);
const low = files.filter(([, c]) => c < FLOOR);
if (report.coverage < FLOOR || low.length > 0) {
  console.error(`rego coverage below ${FLOOR}%: ${low.map(([f, c]) => `${f} ${c.toFixed(1)}%`).join(", ") || "overall"}`);
  process.exit(1);
}

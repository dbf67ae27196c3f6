// `npm test`: every test. Type check, unit and integration tests (Vitest, real SQLite and Postgres),
// a production build, then end-to-end tests (Playwright, Debian's Chromium, the real simulator).
// Ends with one summary line "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label}: ${cmd} ${args.join(" ")}`);
  const res = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return res.status ?? 1;
};

// Not test-results/: Playwright empties its output folder when it starts.
mkdirSync("test-reports", { recursive: true });
mkdirSync("e2e/artifacts", { recursive: true });
for (const f of ["test-reports/vitest-results.json", "test-reports/e2e-results.json"]) rmSync(f, { force: true });

const failures = [];
if (run("typecheck", "npx", ["tsc", "--noEmit"]) !== 0) failures.push("typecheck");
if (run("unit + integration", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-reports/vitest-results.json"]) !== 0)
  failures.push("vitest");
if (run("build", "npx", ["next", "build"]) !== 0) failures.push("build");
else if (run("e2e", "npx", ["playwright", "test"]) !== 0) failures.push("e2e");

let passed = 0;
let failed = 0;
if (existsSync("test-reports/vitest-results.json")) {
  const v = JSON.parse(readFileSync("test-reports/vitest-results.json", "utf8"));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
}
if (existsSync("test-reports/e2e-results.json")) {
  const p = JSON.parse(readFileSync("test-reports/e2e-results.json", "utf8"));
  passed += (p.stats?.expected ?? 0) + (p.stats?.flaky ?? 0);
  failed += p.stats?.unexpected ?? 0;
}
if (failures.length && failed === 0) failed = failures.length; // a step that failed outside any test still fails the run
console.log(`\n${failures.length ? `failed steps: ${failures.join(", ")}` : "all steps passed"}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);

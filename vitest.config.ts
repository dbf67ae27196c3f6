import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "server/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e"],
    environment: "node",
    // Integration tests wait on real sockets and databases; their own waits are bounded (≤ 45 s each).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests start real servers and databases; keep parallelism modest on 2 cores.
    maxWorkers: 2,
    globalSetup: ["server/test/global-setup.ts"],
  },
});

// `npm run engine`: bundles the engine (bundle.ts) and runs it under plain node with its V8 flags,
// forwarding SIGINT/SIGTERM and its exit code (`npm start` does the same without this wrapper).
import { spawn } from "node:child_process";
import { bundleEngine } from "./bundle.ts";

const child = spawn(process.execPath, await bundleEngine(process.cwd()), { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// The engine process runs from one esbuild bundle under plain node, not under tsx: tsx's loader
// keeps every transformed module and its source map resident (~35–70 MB of a ~300 MB budget).
// Packages stay external (resolved from node_modules as usual); only our own TypeScript is bundled,
// which takes well under a second, so it is rebuilt at every start and never goes stale.
import path from "node:path";
import { build } from "esbuild";
import { ENGINE_NODE_FLAGS } from "./node-flags.ts";

export const engineBundlePath = (root: string): string => path.join(root, "data", "build", "engine.mjs");

/**
 * Bundles server/engine/main.ts (or another entry that embeds the engine, e.g. a bench child);
 * returns node's argv for the engine process: its V8 flags, then the bundle.
 */
export const bundleEngine = async (root: string, entry = path.join(root, "server", "engine", "main.ts"), outfile = engineBundlePath(root)): Promise<string[]> => {
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", sourcemap: "linked", outfile, logLevel: "warning" });
  return [...ENGINE_NODE_FLAGS, outfile];
};

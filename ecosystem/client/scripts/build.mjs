// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with its .d.ts, by running tsc once per format:
// two tsc passes keep the toolchain to TypeScript alone (no bundler to maintain), and emit one file per source
// module, so an app's bundler tree-shakes what it does not import. Each folder gets a package.json naming its
// module type, which Node and TypeScript (node16/bundler resolution) read for both the .js and the .d.ts files.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(join(root, "dist"), { recursive: true, force: true });
for (const [config, folder, type] of [["tsconfig.json", "esm", "module"], ["tsconfig.cjs.json", "cjs", "commonjs"]]) {
  execFileSync(process.execPath, [tsc, "-p", join(root, config)], { stdio: "inherit" });
  writeFileSync(join(root, "dist", folder, "package.json"), JSON.stringify({ type }) + "\n");
}

// Builds the reference web client: bundles clients/web/src/main.ts into clients/web/dist/app.js
// and copies the static files beside it. The homeserver serves clients/web/dist at `/`.
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "clients", "web");
const dist = join(root, "dist");
const STATIC_FILES = ["index.html", "style.css"];

try {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "src", "main.ts")],
    outfile: join(dist, "app.js"),
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: true,
    // matrix-js-sdk and its dependencies still reference Node's `global`.
    define: { global: "globalThis" },
    logLevel: "warning",
    metafile: true,
  });
  for (const file of STATIC_FILES) await copyFile(join(root, file), join(dist, file));
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`web client built into ${dist} (${Math.round(bytes / 1024)} KiB)`);
} catch (error) {
  // esbuild has already printed the diagnostics of a failed build.
  if (!error?.errors) console.error(error);
  process.exitCode = 1;
}

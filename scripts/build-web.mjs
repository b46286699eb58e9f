// Builds the browser code the homeserver serves:
// - the reference web client: clients/web/src/main.ts bundled into clients/web/dist/app.js, with
//   the static files copied beside it (served at `/`);
// - the site widget: clients/widget/src/widget.ts bundled into clients/widget/dist/widget.js, one
//   small classic script (an IIFE, no source map, ES2019 for older browsers on customers' sites),
//   served at /_callsign/widget/v1/widget.js.
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const clients = join(dirname(fileURLToPath(import.meta.url)), "..", "clients");
const STATIC_FILES = ["index.html", "style.css"];

async function buildWebClient() {
  const root = join(clients, "web");
  const dist = join(root, "dist");
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
}

async function buildWidget() {
  const root = join(clients, "widget");
  const dist = join(root, "dist");
  await rm(dist, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(root, "src", "widget.ts")],
    outfile: join(dist, "widget.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2019",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  const [output] = result.outputFiles;
  await mkdir(dist, { recursive: true });
  await writeFile(output.path, output.contents);
  const gzipped = gzipSync(output.contents).length;
  console.log(`site widget built into ${output.path} (${output.contents.length} bytes, ${gzipped} gzipped)`);
}

try {
  await buildWebClient();
  await buildWidget();
} catch (error) {
  // esbuild has already printed the diagnostics of a failed build.
  if (!error?.errors) console.error(error);
  process.exitCode = 1;
}

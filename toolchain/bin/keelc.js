#!/usr/bin/env node
// keelc launcher: plain JavaScript so it runs without a build step. The TypeScript sources of the
// compiler are bundled once with esbuild into build/keelc/keelc.mjs (rebuilt whenever a source is
// newer), which starts faster than transforming them on every run; tsx is the fallback.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
process.env.KEELC_ROOT = root;
const srcDir = path.join(root, "toolchain", "src");
const bundle = path.join(root, "build", "keelc", "keelc.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function loadBundled() {
  let fresh = false;
  try {
    fresh = fs.statSync(bundle).mtimeMs >= newestSource(srcDir);
  } catch {
    fresh = false;
  }
  if (!fresh) {
    const esbuild = await import("esbuild");
    const tmp = `${bundle}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    esbuild.buildSync({
      entryPoints: [path.join(srcDir, "cli.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      external: ["typescript"],
      outfile: tmp,
      logLevel: "silent",
    });
    fs.renameSync(tmp, bundle); // atomic: concurrent runs never see a partial bundle
  }
  return import(pathToFileURL(bundle).href);
}

let cli;
try {
  cli = await loadBundled();
} catch {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/cli.ts");
}
process.exitCode = await cli.main(process.argv.slice(2));

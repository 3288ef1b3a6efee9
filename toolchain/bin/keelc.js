#!/usr/bin/env node
// keelc launcher: plain JavaScript so it runs without a build step. It registers tsx's ESM loader
// and hands over to the TypeScript sources of the compiler.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));

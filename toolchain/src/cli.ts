// keelc command line: check, emit, build, cflags (see docs/toolchain.md).
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FrontEnd } from "./program.ts";
import { UserError } from "./errors.ts";
import { displayFile } from "./diagnostics.ts";
import { INTERNAL } from "./subset/codes.ts";

/** Root of the Keel repository holding this compiler. */
const KEEL_ROOT = process.env.KEELC_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export type Target = "kernel" | "user" | "hosted";

const USAGE = `usage:
  keelc check [--target kernel|user|hosted] <entry.ts>
  keelc emit --target kernel|user|hosted <entry.ts> --out-dir <dir> [--checked] [--symtab]
  keelc build --target hosted <entry.ts> -o <exe> [--checked] [-O0|-O2] [--cc gcc]
  keelc cflags --target kernel|user|hosted`;

/** Flags every generated translation unit compiles with, per target. */
export function cflags(target: Target): string[] {
  const common = ["-std=c11", "-Wall", "-Werror", "-Wno-infinite-recursion", "-fno-strict-aliasing", "-fwrapv"];
  if (target === "hosted") return [...common, "-DKEEL_HOSTED=1"];
  const free = [
    ...common,
    "-ffreestanding",
    "-nostdlib",
    "-fno-stack-protector",
    "-fno-pic",
    "-fno-omit-frame-pointer",
    "-fno-builtin",
  ];
  // The kernel saves no FPU/SSE registers on entry (the scheduler switches them for user threads
  // only), so kernel code must not use them; and interrupts arrive on the kernel's own stack, so
  // it must not keep data below rsp either. User code has the normal x86-64 ABI: its red zone is
  // safe because every interrupt or exception from ring 3 switches to the kernel stack (TSS rsp0
  // or an IST stack), and the kernel never writes to a user stack.
  if (target === "kernel") return [...free, "-mno-red-zone", "-mgeneral-regs-only", "-mcmodel=kernel", "-DKEEL_KERNEL=1"];
  return [...free, "-DKEEL_USER=1"];
}

class Args {
  target: Target = "hosted";
  entry = "";
  outDir = "";
  out = "";
  checked = false;
  symtab = false;
  opt = "-O2";
  cc = "gcc";
}

function parseArgs(argv: string[]): Args {
  const a = new Args();
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`keelc: ${x} needs a value\n${USAGE}`);
      return v;
    };
    if (x === "--target") {
      const t = next();
      if (t !== "kernel" && t !== "user" && t !== "hosted") throw new UserError(`keelc: unknown target '${t}'`);
      a.target = t;
    } else if (x === "--out-dir") a.outDir = next();
    else if (x === "-o") a.out = next();
    else if (x === "--checked") a.checked = true;
    else if (x === "--symtab") a.symtab = true;
    else if (x === "-O0" || x === "-O1" || x === "-O2" || x === "-O3" || x === "-Os") a.opt = x;
    else if (x === "--cc") a.cc = next();
    else if (x.startsWith("-")) throw new UserError(`keelc: unknown option '${x}'\n${USAGE}`);
    else if (a.entry === "") a.entry = x;
    else throw new UserError(`keelc: more than one entry file ('${a.entry}', '${x}')`);
  }
  return a;
}

function needEntry(a: Args): void {
  if (a.entry === "") throw new UserError(`keelc: missing entry file\n${USAGE}`);
  if (!fs.existsSync(a.entry)) throw new UserError(`keelc: ${a.entry}: no such file`);
}

/** Type-checks and subset-checks; prints diagnostics and returns the front end when clean. */
async function frontEnd(a: Args): Promise<FrontEnd | null> {
  needEntry(a);
  // TypeScript is loaded only by the commands that need it (cflags stays instant).
  const { FrontEnd } = await import("./program.ts");
  const fe = new FrontEnd(a.entry, a.target !== "kernel");
  const diags = fe.check();
  if (diags.length > 0) {
    for (const d of diags) process.stderr.write(d + "\n");
    return null;
  }
  return fe;
}

/** Emits the C program; returns 0, or the exit status of its diagnostics (3 when one is a keelc bug). */
async function emit(fe: FrontEnd, a: Args, outDir: string): Promise<number> {
  const { emitProgram } = await import("./backend/emitter.ts");
  const res = emitProgram(fe, { target: a.target, checked: a.checked, symtab: a.symtab });
  if (res.diagnostics.length > 0) {
    for (const d of res.diagnostics) process.stderr.write(d + "\n");
    return res.diagnostics.some((d) => d.includes(` error KEEL${INTERNAL_ERROR}: `)) ? 3 : 1;
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, text] of res.files) fs.writeFileSync(path.join(outDir, name), text);
  for (const rt of ["keel.h", "keel_rt.c", "keel_heap.c", "keel_gc.c", "keel_str.c", "keel_arr.c", "keel_map.c"]) {
    fs.copyFileSync(path.join(KEEL_ROOT, "toolchain", "runtime", rt), path.join(outDir, rt));
  }
  return 0;
}

async function build(a: Args): Promise<number> {
  if (a.target !== "hosted") throw new UserError("keelc: build supports --target hosted only (use emit for kernel/user)");
  if (a.out === "") throw new UserError(`keelc: build needs -o <exe>\n${USAGE}`);
  const fe = await frontEnd(a);
  if (!fe) return 1;
  const tmpRoot = path.join(KEEL_ROOT, "build", "keelc");
  fs.mkdirSync(tmpRoot, { recursive: true });
  const dir = fs.mkdtempSync(path.join(tmpRoot, path.basename(a.entry, ".ts") + "-"));
  try {
    const status = await emit(fe, a, dir);
    if (status !== 0) return status;
    const sources = fs.readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => path.join(dir, f));
    const args = [...cflags("hosted"), a.opt, "-I", dir, "-o", path.resolve(a.out), ...sources];
    const r = spawnSync(a.cc, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    if (r.error) throw new UserError(`keelc: cannot run ${a.cc}: ${r.error.message}`);
    if (r.status !== 0) {
      // Generated C that does not compile is a keelc bug, not the program's: say so at the
      // TypeScript line gcc blames (through #line), and keep gcc's words for whoever fixes it.
      fs.writeFileSync(path.join(dir, "cc.log"), r.stdout + r.stderr);
      const at = blamedLine(r.stderr, fe) ?? `${displayFile(fe.entry.fileName)}:1:1`;
      process.stderr.write(
        `${at}: error KEEL${INTERNAL_ERROR}: keelc generated C that ${a.cc} rejects (an internal error); please report it ` +
          `with ${dir}, which holds the sources and ${a.cc}'s messages (cc.log)\n`,
      );
      return 3;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return 0;
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Code of the diagnostics that report keelc bugs (exit status 3). */
const INTERNAL_ERROR = String(INTERNAL);

/** `file:line:col` of the first TypeScript line in gcc's messages (errors first, then notes). */
function blamedLine(gccOutput: string, fe: FrontEnd): string | null {
  const lines = gccOutput.split("\n");
  const m =
    lines.map((l) => /^(.+\.ts):(\d+):(\d+): (?:fatal )?error: /.exec(l)).find((x) => x) ??
    lines.map((l) => /^(.+\.ts):(\d+):(\d+): /.exec(l)).find((x) => x);
  if (!m) return null;
  // #line names files relative to the project root (or to keelc's own root, for lang/)
  const file = [fe.root, KEEL_ROOT].map((r) => path.resolve(r, m[1]!)).find((f) => fs.existsSync(f));
  return file ? `${displayFile(file)}:${m[2]}:${m[3]}` : null;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const cmd = argv[0];
    const a = parseArgs(argv.slice(1));
    switch (cmd) {
      case "check":
        return (await frontEnd(a)) ? 0 : 1;
      case "emit": {
        if (a.outDir === "") throw new UserError(`keelc: emit needs --out-dir <dir>\n${USAGE}`);
        const fe = await frontEnd(a);
        if (!fe) return 1;
        return await emit(fe, a, a.outDir);
      }
      case "build":
        return await build(a);
      case "cflags":
        process.stdout.write(cflags(a.target).join(" ") + "\n");
        return 0;
      case "--help":
      case "help":
        process.stdout.write(USAGE + "\n");
        return 0;
      default:
        throw new UserError(`keelc: unknown command '${cmd ?? ""}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(e.message + "\n");
      return 2;
    }
    // A compiler bug: say so plainly; the stack helps whoever fixes it.
    process.stderr.write(`keelc: internal compiler error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 3;
  }
}

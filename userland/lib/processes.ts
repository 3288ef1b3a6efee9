// The process table from user mode (docs/capabilities.md, "Process table"): every process's record
// by slot, and kill by pid, through a ProcessTable capability (init makes one from its device
// control capability and hands it on as the manifest says, to the shell).
import { load8 } from "../../lang/mem.ts";
import { Method, UMsg } from "../../abi/message.ts";
import {
  PROC_NAME_BYTES, PROCESS_SLOTS, ProcWord, procCountsCaps, procCountsClass, procCountsState, procCountsThreads, procRunStateName,
} from "../../abi/process-table.ts";
import { invokeAnswer, invokeWords, msgWord } from "./ipc.ts";

export { PROCESS_SLOTS, ProcRunState, procRunStateName } from "../../abi/process-table.ts";

/** One process, as ProcessRecord answers. */
export class ProcessRecord {
  pid = 0;
  name = "";
  state = 0;
  /** Its priority class (PriorityClass). */
  cls = 0;
  threads = 0;
  caps = 0;
  /** Kernel memory charged to it, and its quota (bytes). */
  memoryUsed = 0;
  memoryLimit = 0;
}

function call2(h: number, label: number, w0: number, w1: number): number {
  return invokeWords(h, label, w0, w1, 0);
}

/** A ProcessTable capability (every right), from the device control capability: handle or -error. */
export function processTableCreate(control: number): number {
  const r = call2(control, Method.ProcessTableCreate, 0, 0);
  return r < 0 ? r : msgWord(invokeAnswer(), 0);
}

/**
 * The record of the process in `slot` (0 .. PROCESS_SLOTS - 1) into `out`: 0, -NotFound for an
 * empty slot, or another -error (InvalidArgument for a bad slot, MissingRights without Read).
 */
export function processRecord(table: number, slot: number, out: ProcessRecord): number {
  const r = call2(table, Method.ProcessRecord, slot, 0);
  if (r < 0) return r;
  const m = invokeAnswer();
  const counts = msgWord(m, ProcWord.Counts);
  out.pid = msgWord(m, ProcWord.Pid);
  out.state = procCountsState(counts);
  out.cls = procCountsClass(counts);
  out.threads = procCountsThreads(counts);
  out.caps = procCountsCaps(counts);
  out.memoryUsed = msgWord(m, ProcWord.MemoryUsed);
  out.memoryLimit = msgWord(m, ProcWord.MemoryLimit);
  let name = "";
  const at = m + (UMsg.Words + ProcWord.Name0) * 8;
  for (let i = 0; i < PROC_NAME_BYTES; i++) {
    const b = load8(at + i);
    if (b === 0) break;
    name += String.fromCharCode(b);
  }
  out.name = name;
  return 0;
}

/** Every process's record, by slot. */
export function processRecords(table: number): ProcessRecord[] {
  const all: ProcessRecord[] = [];
  for (let slot = 0; slot < PROCESS_SLOTS; slot++) {
    const rec = new ProcessRecord();
    if (processRecord(table, slot, rec) === 0) all.push(rec);
  }
  return all;
}

/** Kills process `pid` with `status`: 0 or -error (NotFound, ProcessExited, InvalidArgument for the caller itself). */
export function processKillPid(table: number, pid: number, status: number): number {
  return call2(table, Method.ProcessKillPid, pid, status);
}

/** A priority class's name in a ps listing. */
export function className(cls: number): string {
  switch (cls) {
    case 0: return "driver";
    case 1: return "server";
    case 2: return "app";
    default: return "idle";
  }
}

/** The state's name in a ps listing. */
export function stateName(state: number): string {
  return procRunStateName(state);
}

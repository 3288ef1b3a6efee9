// init: the first process. The kernel starts it with the right to start boot modules; it starts
// every other module that is a program (all but itself and the console font), waits for each to
// end, and reports what it started and how each one ended.
import { free, malloc } from "../lib/heap.ts";
import { Line, bytesEqual, lineBytes, lineEnd, lineNum, lineStr, loadWord, startupWord } from "../lib/runtime.ts";
import { ExitHow, Startup, errorText, moduleCount, moduleName, spawn, wait } from "../lib/sys.ts";

const MAX_CHILDREN = 16;
const NAME_CAP = 64;

const names = malloc(NAME_CAP * MAX_CHILDREN);
const status = malloc(16);
const childPid = new Array<number>(MAX_CHILDREN).fill(0);
const childName = new Array<number>(MAX_CHILDREN).fill(0);
const childNameLen = new Array<number>(MAX_CHILDREN).fill(0);

// Each report is one write: other programs print at the same time.
const line = new Line(160);

function slotOf(pid: number): number {
  for (let i = 0; i < MAX_CHILDREN; i++) if (childPid[i]! === pid) return i;
  return -1;
}

const self = startupWord(Startup.ModuleIndex);
const count = moduleCount();
console.log(`init: pid ${startupWord(Startup.Pid)}, ${count} boot modules`);
let started = 0;
for (let i = 0; i < count && started < MAX_CHILDREN; i++) {
  if (i === self) continue;
  const buf = names + started * NAME_CAP;
  const len = moduleName(i, buf, NAME_CAP);
  if (len < 0) continue;
  const shown = Math.min(len, NAME_CAP);
  if (bytesEqual(buf, shown, "font") || bytesEqual(buf, shown, "init")) continue;
  const pid = spawn(i);
  lineBytes(lineStr(line, "init: "), buf, shown);
  if (pid < 0) {
    lineEnd(lineNum(lineStr(lineStr(lineStr(line, " not started: "), errorText(pid)), " error "), pid));
    continue;
  }
  lineEnd(lineNum(lineStr(line, " started as pid "), pid));
  childPid[started] = pid;
  childName[started] = buf;
  childNameLen[started] = shown;
  started++;
}
console.log(`init: started ${started} programs`);

let exited = 0;
let killed = 0;
for (let n = 0; n < started; n++) {
  const pid = wait(-1, status);
  if (pid < 0) {
    console.log(`init: wait failed: ${errorText(pid)} (${pid})`);
    break;
  }
  const slot = slotOf(pid);
  lineStr(line, "init: ");
  if (slot >= 0) lineBytes(line, childName[slot]!, childNameLen[slot]!);
  lineStr(lineNum(lineStr(line, " (pid "), pid), ")");
  if (loadWord(status + 8) === ExitHow.Killed) {
    killed++;
    lineStr(line, " was killed by exception ");
  } else {
    exited++;
    lineStr(line, " exited with status ");
  }
  lineEnd(lineNum(line, loadWord(status)));
}
console.log(`init: all ${started} programs done: ${exited} exited, ${killed} killed`);
free(status);
free(names);

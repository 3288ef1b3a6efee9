// The one place that switches on the object type. Each operation the capability layer needs from
// an object (tear down its type-specific part, react to a capability appearing or going, run work
// it posted) and each invocation (the kernel API as messages) is a switch over ObjectType with a
// case per type and no default: a type added to abi/object-type.ts without its cases here is a
// compile error, not an object that is silently never destroyed.
//
// The capability layer (kernel/cap/) sits below the objects, so it cannot import this module:
// objectLayerInit hands these operations down to it once, from the kernel entry (and from the
// host tests' set-up). Until then kernel/cap/object.ts panics at the first capability.
import { panic } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { BITS_LIMIT, Method, MSG_WORDS } from "../../abi/message.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { rightsValid } from "../../abi/rights.ts";
import { CapTable, lookupCap, lookupError } from "../cap/cap-table.ts";
import { capCopy, capDelete, capMint, capRevoke } from "../cap/cdt.ts";
import { type Message, wordToNumber } from "../cap/message.ts";
import { KernelObject, objectOpsInstall } from "../cap/object.ts";
import type { Waiter } from "../cap/waiter.ts";
import { destroyEndpoint, endpointCapChanged, endpointDrop } from "./endpoint.ts";
import { destroyMemory, memoryInvoke } from "./memory.ts";
import { destroyNotification, notificationInvoke } from "./notification.ts";
import { destroyReply } from "./reply.ts";
import { destroyWaitSet } from "./wait-set.ts";
import { deviceControlInvoke } from "./device-control.ts";
import { destroyIoPortRange, ioPortCapRemoved, ioPortInvoke } from "./io-port.ts";
import { destroyIrqLine, irqLineInvoke } from "./irq-line.ts";
import { powerInvoke } from "./power.ts";
import { processTableInvoke } from "./process-table.ts";
import { kernelLogInvoke } from "./kernel-log.ts";
import { destroyTimer, timerInvoke, timersExpire, timersInit } from "./timer.ts";
import { destroyThreadObject, threadInvoke } from "./thread.ts";
import { setTickListener } from "../sched/scheduler.ts";

/** Installs the operations below in the capability layer; once, before the first object. */
export function objectLayerInit(): void {
  objectOpsInstall(objectDestroyPart, objectCapChanged, objectWork);
  timersInit();
  setTickListener(timersExpire);
}

/** The default of each switch below: `type` is `never` there unless a case is missing. */
function noType(type: never): never {
  void type;
  return panic("object type without a case");
}

/** Tears down the type-specific part of `obj`, whose last capability went. */
function objectDestroyPart(obj: KernelObject): void {
  const type = obj.type;
  switch (type) {
    case ObjectType.Endpoint: return destroyEndpoint(obj);
    case ObjectType.Notification: return destroyNotification(obj);
    case ObjectType.WaitSet: return destroyWaitSet(obj);
    case ObjectType.Reply: return destroyReply(obj);
    case ObjectType.MemoryObject: return destroyMemory(obj);
    case ObjectType.IrqLine: return destroyIrqLine(obj);
    case ObjectType.IoPortRange: return destroyIoPortRange(obj);
    case ObjectType.Timer: return destroyTimer(obj);
    case ObjectType.Thread: return destroyThreadObject(obj);
    // Holds nothing but the pid it names; the device control, power, process table and kernel log objects hold nothing.
    case ObjectType.Process:
    case ObjectType.DeviceControl:
    case ObjectType.Power:
    case ObjectType.ProcessTable:
    case ObjectType.KernelLog:
      return;
    // Not created yet by any call: nothing to tear down.
    case ObjectType.AddressSpace:
    case ObjectType.Snapshot:
    case ObjectType.CapTable:
      return;
    case ObjectType.Any: return panic(`object ${obj.id} has type Any`);
    default: return noType(type);
  }
}

/** A capability naming `obj` appeared (delta 1) or went (delta -1). */
function objectCapChanged(obj: KernelObject, rights: number, delta: number): void {
  const type = obj.type;
  switch (type) {
    // An endpoint counts its receivers: the last one going drops the queue.
    case ObjectType.Endpoint: return endpointCapChanged(obj, rights, delta);
    // A process holding no capability to a port range any more loses the ports.
    case ObjectType.IoPortRange:
      if (delta < 0) ioPortCapRemoved(obj);
      return;
    case ObjectType.Notification:
    case ObjectType.WaitSet:
    case ObjectType.Reply:
    case ObjectType.MemoryObject:
    case ObjectType.Process:
    case ObjectType.Thread:
    case ObjectType.AddressSpace:
    case ObjectType.IrqLine:
    case ObjectType.Snapshot:
    case ObjectType.CapTable:
    case ObjectType.DeviceControl:
    case ObjectType.Timer:
    case ObjectType.Power:
    case ObjectType.ProcessTable:
    case ObjectType.KernelLog:
      return;
    case ObjectType.Any: return panic(`object ${obj.id} has type Any`);
    default: return noType(type);
  }
}

/** Runs the work `obj` posted (objectPostWork) from the capability layer's work loop. */
function objectWork(obj: KernelObject): void {
  const type = obj.type;
  switch (type) {
    case ObjectType.Endpoint: return endpointDrop(obj);
    // Only endpoints post work.
    case ObjectType.Notification:
    case ObjectType.WaitSet:
    case ObjectType.Reply:
    case ObjectType.MemoryObject:
    case ObjectType.Process:
    case ObjectType.Thread:
    case ObjectType.AddressSpace:
    case ObjectType.IrqLine:
    case ObjectType.IoPortRange:
    case ObjectType.Snapshot:
    case ObjectType.CapTable:
    case ObjectType.DeviceControl:
    case ObjectType.Timer:
    case ObjectType.Power:
    case ObjectType.ProcessTable:
    case ObjectType.KernelLog:
      return panic(`object ${obj.id} of type ${obj.type} posted work`);
    case ObjectType.Any: return panic(`object ${obj.id} has type Any`);
    default: return noType(type);
  }
}

/** The type whose method `label` is (abi/message.ts, Method), Any for none. */
function methodType(label: number): ObjectType {
  switch (label) {
    case Method.Signal:
    case Method.Poll:
      return ObjectType.Notification;
    case Method.MemorySize:
    case Method.MemoryPhys:
      return ObjectType.MemoryObject;
    case Method.IrqClaim:
    case Method.IoPortClaim:
    case Method.DeviceMemoryClaim:
    case Method.DmaCreate:
    case Method.PowerCreate:
    case Method.FramebufferInfo:
    case Method.ProcessTableCreate:
    case Method.KernelLogCreate:
      return ObjectType.DeviceControl;
    case Method.IrqBind:
    case Method.IrqAck:
      return ObjectType.IrqLine;
    case Method.IoPortEnable:
    case Method.IoPortInfo:
      return ObjectType.IoPortRange;
    case Method.TimerBind:
    case Method.TimerSet:
    case Method.TimerCancel:
      return ObjectType.Timer;
    case Method.PowerOff:
    case Method.Reboot:
      return ObjectType.Power;
    case Method.ProcessRecord:
    case Method.ProcessKillPid:
      return ObjectType.ProcessTable;
    case Method.LogRead:
      return ObjectType.KernelLog;
    case Method.ThreadBind:
    case Method.ThreadInfo:
    case Method.ThreadSetPriority:
      return ObjectType.Thread;
    default:
      return ObjectType.Any;
  }
}

function answer(m: Message, i: number, v: number): void {
  m.words[i] = v >= 0 ? BigInt(v) : 0n;
}

/**
 * Runs method `m.label` of the kernel object `h` names in `t`, with `m`'s words as arguments;
 * results replace the words. `w` is the caller's waiter (Poll uses it without blocking). Returns
 * the status, which is also the answer's label. Methods of every capability first, then the
 * object's own: another type's method is WrongType (as the system call would report), a label
 * that is no method InvalidArgument.
 */
export function objectInvoke(t: CapTable, h: number, m: Message, w: Waiter): ErrorCode {
  const e = lookupError(t, h, ObjectType.Any, 0);
  if (e !== ErrorCode.Ok) return e;
  const a0 = wordToNumber(m.words[0]!);
  const a1 = wordToNumber(m.words[1]!);
  const a2 = wordToNumber(m.words[2]!);
  for (let i = 0; i < MSG_WORDS; i++) m.words[i] = 0n;
  const c = lookupCap(t, h);
  switch (m.label) {
    case Method.Identify:
      answer(m, 0, c.object.type * 256 + c.rights);
      m.words[1] = c.badge;
      return ErrorCode.Ok;
    case Method.Copy: {
      if (!rightsValid(a0)) return ErrorCode.InvalidArgument;
      const r = capCopy(t, h, t, a0);
      if (r < 0) return -r;
      answer(m, 0, r);
      return ErrorCode.Ok;
    }
    case Method.Mint: {
      if (!rightsValid(a0) || a1 <= 0 || a1 >= BITS_LIMIT) return ErrorCode.InvalidArgument;
      const r = capMint(t, h, t, a0, BigInt(a1));
      if (r < 0) return -r;
      answer(m, 0, r);
      return ErrorCode.Ok;
    }
    case Method.Delete:
      return capDelete(t, h);
    case Method.Revoke:
      return capRevoke(t, h);
    default:
      break;
  }
  const type = c.object.type;
  const owner = methodType(m.label);
  if (owner === ObjectType.Any) return ErrorCode.InvalidArgument;
  if (owner !== type) return ErrorCode.WrongType;
  switch (type) {
    case ObjectType.Notification: return notificationInvoke(t, h, m, w, a0);
    case ObjectType.MemoryObject: return memoryInvoke(t, h, m);
    case ObjectType.DeviceControl: return deviceControlInvoke(t, h, m, a0, a1, a2);
    case ObjectType.IrqLine: return irqLineInvoke(t, h, m, a0, a1);
    case ObjectType.IoPortRange: return ioPortInvoke(t, h, m);
    case ObjectType.Timer: return timerInvoke(t, h, m, a0, a1);
    case ObjectType.Power: return powerInvoke(t, h, m);
    case ObjectType.ProcessTable: return processTableInvoke(t, h, m, a0, a1);
    case ObjectType.Thread: return threadInvoke(t, h, m, a0, a1);
    case ObjectType.KernelLog: return kernelLogInvoke(t, h, m, a0, a1);
    // An endpoint's invocation is a call to its receiver (kernel/syscall/); the others have no
    // methods of their own yet.
    case ObjectType.Endpoint:
    case ObjectType.WaitSet:
    case ObjectType.Reply:
    case ObjectType.Process:
    case ObjectType.AddressSpace:
    case ObjectType.Snapshot:
    case ObjectType.CapTable:
      return ErrorCode.WrongType;
    default: return noType(type);
  }
}

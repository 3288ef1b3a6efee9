// What the kernel says about its boot information: one warning per problem the parser found,
// and a panic with the reason when the problem leaves the kernel without a usable memory map.
import { panic } from "../../lang/core.ts";
import { BootInfo, bootErrorFatal, bootErrorMessage, firstFatalBootError } from "./bootinfo.ts";
import { kwarn, klogBytes } from "../console/log.ts";
import { LogLevel } from "../../abi/log.ts";
import { physToVirt } from "../arch/x86_64/layout.ts";

/** Prints the problems recorded in `info`; panics on the first fatal one. */
export function reportBootInfo(info: BootInfo): void {
  for (let i = 0; i < info.errorCount; i++) {
    const code = info.errors[i]!;
    if (!bootErrorFatal(code)) kwarn(`boot information: ${bootErrorMessage(code)}`);
  }
  const fatal = firstFatalBootError(info);
  if (fatal !== 0) panic(`boot information: ${bootErrorMessage(fatal)}; cannot continue`);
  if (info.loaderNameLength > 0) {
    klogBytes(LogLevel.Debug, "boot: loaded by ", physToVirt(info.loaderNameAddr), info.loaderNameLength, "");
  }
}

// Power off and reboot, as ACPI describes them for this machine. Reached through a power capability
// (kernel/object/power.ts) and from the command line (keel.shutdown=).
//
// Power off enters S5: SLP_TYPa | SLP_EN to PM1a_CNT (and SLP_TYPb to PM1b_CNT), with the values of
// the DSDT's `_S5_` package. Reboot tries, in order, the FADT reset register, the 8042 keyboard
// controller's reset line, the chipset's reset control register (0xcf9) and finally a triple
// fault, which resets every x86 CPU. Each attempt gets a short while to take effect.
import { cli, cpuRelax, restoreInterrupts, saveDisableInterrupts } from "../arch/x86_64/cpu.ts";
import {
  acpiModeEnable, acpiSleepWrite, keyboardControllerReset, resetControlWrite, resetRegisterWrite, tripleFault,
} from "../arch/x86_64/power.ts";
import { kinfo, kwarn } from "../console/log.ts";
import { nowNs } from "../time/clock.ts";
import { acpiInfo } from "./acpi.ts";
import { hwReduced } from "./tables.ts";

/** How long each attempt is given before the next one. */
const SETTLE_NS = 50000000;
/** Without a running clock: iterations of the wait loop instead (each at least one `pause`). */
const SETTLE_SPINS = 20000000;

function settle(): void {
  const start = nowNs();
  for (let i = 0; i < SETTLE_SPINS; i++) {
    if (start > 0 && nowNs() - start > SETTLE_NS) return;
    cpuRelax();
  }
}

/** Whether the firmware described a way to power off (FADT PM1a_CNT and a readable `_S5_`). */
export function acpiCanPowerOff(): boolean {
  const a = acpiInfo();
  return a.fadtFound && !hwReduced(a) && a.pm1aCnt !== 0 && a.s5Found;
}

/**
 * Turns the machine off. Returns false when it cannot (no usable FADT or `_S5_`) or when it is
 * still running after the request; the caller decides what then.
 */
export function acpiPowerOff(): boolean {
  const a = acpiInfo();
  if (!acpiCanPowerOff()) {
    kwarn("acpi: cannot power off (no usable FADT PM1 control block or _S5_ package)");
    return false;
  }
  kinfo(`acpi: powering off (S5, SLP_TYP ${a.slpTypA}/${a.slpTypB})`);
  if (!acpiModeEnable(a.pm1aCnt, a.smiCmd, a.acpiEnable)) kwarn("acpi: the chipset did not enter ACPI mode; trying anyway");
  // Nothing may run between the two register writes and the power going.
  const enabled = saveDisableInterrupts();
  acpiSleepWrite(a.pm1aCnt, a.pm1bCnt, a.slpTypA, a.slpTypB);
  settle();
  restoreInterrupts(enabled);
  kwarn("acpi: still running after the S5 request");
  return false;
}

/** Restarts the machine; never returns (the last resort, a triple fault, cannot fail). */
export function acpiReboot(): never {
  const a = acpiInfo();
  cli();
  if (a.resetSupported) {
    kinfo(`acpi: rebooting through the FADT reset register (space ${a.resetSpace}, 0x${a.resetAddr.toString(16)} <- 0x${a.resetValue.toString(16)})`);
    resetRegisterWrite(a.resetSpace, a.resetAddr, a.resetValue);
    settle();
  }
  // IAPC_BOOT_ARCH bit 1: an 8042 is present; ACPI 1.0 tables predate the flag and say 0.
  if ((a.bootArch & 2) !== 0 || a.fadtRevision < 2) {
    kinfo("acpi: rebooting through the keyboard controller");
    keyboardControllerReset();
    settle();
  }
  kinfo("acpi: rebooting through the reset control register 0xcf9");
  resetControlWrite();
  settle();
  kinfo("acpi: rebooting by a triple fault");
  return tripleFault();
}

// Limits of the process layer, in a module of their own so that every proc/ module can size its
// tables from them without importing process.ts (whose own imports would make an evaluation cycle).

import { PROCESS_SLOTS } from "../../abi/process-table.ts";

/** Processes that can exist at once: the process table's slots (part of the ABI: ProcessRecord). */
export const MAX_PROCESSES = PROCESS_SLOTS;

/** Threads one process may have at once (its first included). */
export const MAX_THREADS_PER_PROCESS = 16;

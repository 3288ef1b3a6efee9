/** The time-stamp counter; under -icount it counts executed instructions. */
/** @extern keel_ipc_bench_rdtsc */
export function rdtsc(): bigint {
  return process.hrtime.bigint();
}

/** The time-stamp counter (rdtsc is allowed in ring 3: CR4.TSD is clear). */
/** @extern keel_user_rdtsc */
export function rdtsc(): bigint {
  return process.hrtime.bigint();
}

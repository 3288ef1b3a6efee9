// No debugger hook in C.
export function stop(): void {
  debugger; // expect: KEEL0410 "debugger"
}

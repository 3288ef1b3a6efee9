// The in-kernel test runner. `keel.test=<suite>[,<suite>...]` on the kernel command line selects
// suites; each prints one line per test and the runner ends with `N passed, M failed` and exits
// QEMU through isa-debug-exit with a status that tells success from failure.

/** isa-debug-exit codes written by the runner; QEMU exits with (code << 1) | 1. */
export const enum ExitCode {
  Passed = 0x10, // QEMU status 33
  Failed = 0x11, // QEMU status 35
  Panicked = 0x12, // QEMU status 37: a panic in a test boot (keel.test=...) ends the run with this
}

export class TestRunner {
  passed = 0;
  failed = 0;
  suite = "";

  begin(suite: string): void {
    this.suite = suite;
    console.log(`TEST suite ${suite}`);
  }

  /** Records one test: prints `TEST PASS <suite>.<name>` or `TEST FAIL <suite>.<name>: <why>`. */
  expect(name: string, ok: boolean, why: string): void {
    if (ok) {
      this.passed++;
      console.log(`TEST PASS ${this.suite}.${name}`);
    } else {
      this.failed++;
      console.log(`TEST FAIL ${this.suite}.${name}: ${why}`);
    }
  }

  /** Shorthand for equality of numbers, printing both values on failure. */
  expectEqual(name: string, actual: number, expected: number): void {
    if (actual === expected) {
      this.expect(name, true, "");
    } else {
      this.failed++;
      console.log(`TEST FAIL ${this.suite}.${name}: got ${actual}, expected ${expected}`);
    }
  }

  /** Prints the summary line; returns the isa-debug-exit code to use. */
  finish(): number {
    console.log(`TEST RESULT ${this.passed} passed, ${this.failed} failed`);
    return this.failed === 0 ? ExitCode.Passed : ExitCode.Failed;
  }
}

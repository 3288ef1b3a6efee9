import { describe, expect, it, vi } from "vitest";
import { TestRunner } from "../../../kernel/test/runner.ts";
import { runCapabilitySelfTest } from "./capability-selftest.ts";

describe("in-kernel capability self-test", () => {
  it("passes every check on the host", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s));
    const r = new TestRunner();
    runCapabilitySelfTest(r);
    spy.mockRestore();
    expect(lines.filter((l) => l.startsWith("TEST FAIL"))).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(lines.filter((l) => l.startsWith("TEST PASS cap.")).length);
    expect(r.passed).toBeGreaterThanOrEqual(25);
  });
});

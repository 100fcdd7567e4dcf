// Our gcc-built test kernels (test/guest/kernels, built by build.sh with
// aarch64-linux-gnu-gcc) print what QEMU 7.2 -M raspi3b printed for them.
import { describe, it, expect } from "vitest";
import { runImage, qemuOutput, firstLines } from "./support/image.js";

describe("gcc-built kernels against QEMU raspi3b", () => {
  it("lesson-1 style: Hello, world! and echo", async () => {
    const r = await runImage("hello", { input: "echo me", until: "echo me" });
    expect(r.out).toBe(qemuOutput("hello"));
  });

  it("lesson-2 style: exception level 3, then 1 after eret", async () => {
    const r = await runImage("el", { until: "done\r\n" });
    expect(r.out).toBe(qemuOutput("el"));
  });

  it("lesson-3 style: system timer compare 1, IRQ_PENDING_1 reads 0x2", async () => {
    const r = await runImage("timer", { ticks: 5 });
    expect(r.result.reason).toBe("ticks");
    expect(r.out).toBe(firstLines(qemuOutput("timer"), 6));
    // Five ticks of 200000 us: virtual time is just past 1 s.
    expect(r.m.seconds).toBeGreaterThanOrEqual(1.0);
    expect(r.m.seconds).toBeLessThan(1.001);
  });

  it("exercise 1: the BCM2836 local timer", async () => {
    const r = await runImage("local_timer", { ticks: 4 });
    expect(r.out).toBe(firstLines(qemuOutput("local_timer"), 4));
  });

  it("the generic timer (CNTP) through CORE0_TIMER_IRQCNTL", async () => {
    const r = await runImage("gentimer", { ticks: 4 });
    expect(r.out).toBe(firstLines(qemuOutput("gentimer"), 4));
  });

  it("exercise 2: mini UART receive interrupts", async () => {
    const r = await runImage("uart_irq", { typeAfter: ["type something\r\n", "ab"], until: "got 'b'\r\n" });
    expect(r.out).toBe(qemuOutput("uart_irq"));
  });

  it("invalid vectors: ESR/ELR/FAR of svc, brk, udf, data abort, EL1t", async () => {
    const r = await runImage("invalid", { until: "done\r\n" });
    expect(r.out).toBe(qemuOutput("invalid"));
  });
});

describe("virtual time", () => {
  it("is deterministic: same bytes and instruction count on every run", async () => {
    const a = await runImage("timer", { ticks: 50 });
    const b = await runImage("timer", { ticks: 50 });
    expect(a.out).toBe(b.out);
    expect(a.m.insns).toBe(b.m.insns);
    expect(a.m.cycles).toBe(b.m.cycles);
  });

  it("skips polling: a kernel spinning on AUX_MU_LSR waits for input without burning instructions", async () => {
    const r = await runImage("hello", { until: "Hello, world!\r\n" });
    const before = r.m.insns;
    const again = r.m.run({ maxInsns: 1_000_000 });
    expect(again.reason).toBe("halted");          // nothing can change LSR but input
    expect(r.m.insns - before).toBeLessThan(2000);
    expect(r.m.cores[0].state).toBe("poll");
    r.m.input("x");
    let echoed = "";
    r.m.on("serial", (b) => { echoed += String.fromCharCode(b); });
    r.m.run({ maxInsns: 100_000 });
    expect(echoed).toBe("x");
  });

  it("skips idle time: 1000 ticks (200 s of guest time) need few instructions", async () => {
    const r = await runImage("timer", { ticks: 1000 });
    expect(r.out.split("Timer interrupt received").length - 1).toBe(1000);
    expect(r.m.seconds).toBeGreaterThan(200);
    expect(r.m.insns).toBeLessThan(10_000_000);
  });
});

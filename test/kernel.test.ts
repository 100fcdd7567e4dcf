// The TypeScript lesson-3 kernel on the emulated SoC, in virtual time.
import { describe, it, expect, afterEach } from "vitest";
import { readFileSync } from "node:fs";
import { bootKernel, buildKernel, GUEST_CALLABLE, KernelStop } from "../kernel/index.js";
import { lessonSources } from "../kernel/lesson.js";
import { board, type HostFunction } from "../kernel/board.js";
import { uart_init, putc } from "../kernel/mini_uart.js";
import { init_printf } from "../kernel/printf.js";
import { timer_init, set_interval, interval } from "../kernel/timer.js";
import { enable_interrupt_controller, handle_irq } from "../kernel/irq.js";
import { put32, get32, delay } from "../kernel/utils.js";
import { TIMER_CLO, TIMER_C1, TIMER_CS } from "../kernel/peripherals/timer.js";
import { DISABLE_IRQS_1, SYSTEM_TIMER_IRQ_1 } from "../kernel/peripherals/irq.js";
import * as entry from "../kernel/entry.js";
import type { ExceptionEvent } from "../host/index.js";
import { Preprocessor } from "../tools/asm/preprocess.js";
import { defaultFileProvider } from "../tools/asm/assembler.js";

const TICK = "Timer interrupt received\n\r";
const count = (s: string, sub: string) => s.split(sub).length - 1;

async function run(kernel_main: HostFunction, opts: { handle_irq?: HostFunction; seconds?: number; stop?: () => string | undefined } = {}) {
  const functions: Record<string, HostFunction> = { ...GUEST_CALLABLE, kernel_main };
  if (opts.handle_irq) functions.handle_irq = opts.handle_irq;
  const image = buildKernel({ sources: lessonSources(), hostSymbols: Object.keys(functions) });
  const seconds = opts.seconds ?? 2;
  const k = await bootKernel({ image, functions, seconds, stopWhen: (m) => opts.stop?.() ?? (m.seconds >= seconds ? "time" : undefined) });
  let out = "";
  const events: ExceptionEvent[] = [];
  k.m.on("serial", (b) => { out += String.fromCharCode(b); });
  k.m.on("exception", (e) => events.push(e));
  const reason = k.run();
  return { k, out: () => out, events, reason };
}

/** kernel_main up to enable_irq, then `rest`. */
const standard = (rest: () => void) => () => {
  uart_init();
  init_printf(0, putc);
  board().guest("irq_vector_init");
  timer_init();
  enable_interrupt_controller();
  board().guest("enable_irq");
  rest();
};
const idle = () => { for (;;) get32(TIMER_CLO); };

afterEach(() => set_interval(200000));

describe("TypeScript kernel: timer interrupts", () => {
  it("boots the lesson's kernel_main and ticks every 200000 us", async () => {
    const r = await run(GUEST_CALLABLE.kernel_main, { seconds: 2.1 });
    expect(count(r.out(), TICK)).toBe(10);
  });

  it("takes each tick at its compare value (CLO - C1 within the entry path's cost)", async () => {
    const seen: { clo: number; c1: number }[] = [];
    await run(standard(idle), {
      seconds: 2.05,
      handle_irq: () => {
        const m = board().m;
        seen.push({ clo: m.bus.read32(TIMER_CLO), c1: m.bus.read32(TIMER_C1) });
        handle_irq();
      },
    });
    expect(seen.length).toBe(10);
    seen.forEach((s, i) => {
      expect(s.clo - s.c1).toBeGreaterThanOrEqual(0);
      expect(s.clo - s.c1).toBeLessThanOrEqual(1);
      if (i) expect(s.c1 - seen[i - 1].c1).toBe(interval);
    });
  });

  it("changing interval changes the period", async () => {
    set_interval(50000);
    const r = await run(standard(idle), { seconds: 1.01 });
    expect(count(r.out(), TICK)).toBe(20);
  });

  it("disable_irq defers ticks; they are taken right after enable_irq's daifclr", async () => {
    let ticksWhileMasked = -1;
    const r = await run(standard(() => {
      board().guest("disable_irq");
      delay(600 * 1000 * 1000); // delay(n) is a 2-cycle loop: ~1 s of busy waiting with IRQs masked
      ticksWhileMasked = board().m.ticks;
      board().guest("enable_irq");
      idle();
    }), { seconds: 1.3 });
    expect(ticksWhileMasked).toBe(0);
    const irqs = r.events.filter((e) => e.kind === "irq");
    // The first IRQ returns to enable_irq's `ret`, the instruction after `msr daifclr, #2`.
    expect(irqs[0].elr).toBe(r.k.image.symbols.get("enable_irq")! + 4);
    expect(count(r.out(), TICK)).toBe(1);
  });

  it("clearing ENABLE_IRQS_1 stops the ticks, though CS.M1 still matches", async () => {
    let cs = 0;
    const r = await run(standard(() => {
      while (board().m.ticks < 2) get32(TIMER_CLO);
      put32(DISABLE_IRQS_1, SYSTEM_TIMER_IRQ_1);
      delay(1200 * 1000 * 500);
      cs = get32(TIMER_CS);
      idle();
    }), { seconds: 2 });
    expect(count(r.out(), TICK)).toBe(2);
    expect(cs & 2).toBe(2);
  });

  it("without the CS acknowledge the IRQ fires again at once: a storm", async () => {
    const times: number[] = [];
    const r = await run(standard(idle), {
      seconds: 1,
      handle_irq: () => {
        times.push(board().m.seconds);
        put32(TIMER_C1, (get32(TIMER_C1) + interval) >>> 0); // re-armed but never acknowledged
        if (times.length >= 50) throw new KernelStop("storm");
      },
    });
    expect(r.reason).toBe("storm");
    expect(times[49] - times[0]).toBeLessThan(0.001); // 50 interrupts in under a millisecond
  });

  it("registers of the interrupted code survive 1000 ticks of a computing loop", async () => {
    const ROUNDS = 4_000_000n;
    let result = 0n;
    set_interval(20);
    const r = await run(standard(() => {
      result = board().guest("compute_checksum", ROUNDS);
      throw new KernelStop("computed");
    }), { seconds: 1 });
    expect(r.reason).toBe("computed");
    expect(r.k.m.ticks).toBeGreaterThanOrEqual(1000);
    // The same computation on the host.
    const M = (1n << 64n) - 1n;
    const K = 0x5851f42d58514c95n;
    const ror = (v: bigint, n: bigint) => ((v >> n) | (v << (64n - n))) & M;
    let [x1, x2, x3, x4, x5, x6] = [1n, 2n, 3n, 4n, 5n, 6n];
    for (let i = 0n; i < ROUNDS; i++) {
      x1 = (x1 * K + x2) & M;
      x2 = (x2 + (x1 >> 17n)) & M;
      x3 = x3 ^ ror(x2, 11n);
      x4 = (x4 + x3) & M;
      x5 = x5 ^ ((x4 << 3n) & M);
      x6 = (x6 - x5) & M;
    }
    expect(result).toBe(x1 ^ x2 ^ x3 ^ x4 ^ x5 ^ x6);
  });

  it("one tick's exception trace: IRQ at EL1h -> VBAR_EL1+0x280 -> handle_irq -> eret to the interrupted pc", async () => {
    const calls: string[] = [];
    const r = await run(standard(idle), {
      seconds: 0.25,
      handle_irq: () => { calls.push("handle_irq"); handle_irq(); },
    });
    const vbar = r.k.m.cores[0].sysreg("vbar_el1");
    const tick = r.events.filter((e) => e.core === 0 && e.kind !== "eret" || e.fromEL === 1);
    const irq = tick.find((e) => e.kind === "irq")!;
    const eret = r.events[r.events.indexOf(irq) + 1];
    expect(irq).toMatchObject({ fromEL: 1, fromSpSel: 1, toEL: 1, vectorOffset: 0x280 });
    expect(BigInt(irq.vector)).toBe(vbar + 0x280n);
    expect(calls).toEqual(["handle_irq"]);
    expect(eret).toMatchObject({ kind: "eret", fromEL: 1, toEL: 1 });
    expect(eret.elr).toBe(irq.elr);
    expect(eret.spsr).toBe(irq.spsr);
  });

  it("the same kernel booted twice prints the same bytes and retires the same instructions", async () => {
    const a = await run(GUEST_CALLABLE.kernel_main, { seconds: 3 });
    const b = await run(GUEST_CALLABLE.kernel_main, { seconds: 3 });
    expect(a.out()).toBe(b.out());
    expect(a.k.m.insns).toBe(b.k.m.insns);
    expect(a.k.m.cycles).toBe(b.k.m.cycles);
  });
});

describe("TypeScript kernel: structure", () => {
  it("kernel/entry.ts has the values of boot/include/entry.h", () => {
    const header = new URL("../boot/include/entry.h", import.meta.url);
    const pre = new Preprocessor(defaultFileProvider(), []);
    pre.run(header.pathname, readFileSync(header, "utf8"));
    for (const [name, value] of Object.entries(entry)) {
      expect(Number(pre.macros.get(name)?.body), name).toBe(value);
    }
  });

  it("an SVC at EL1h is reported by show_invalid_entry_message", async () => {
    const r = await run(() => {
      uart_init();
      init_printf(0, putc);
      board().guest("irq_vector_init");
      board().guest("take_svc");
    });
    const svcAt = r.k.image.symbols.get("take_svc")!;
    expect(r.out()).toBe(`SYNC_INVALID_EL1h, ESR: 56000000, address: ${(svcAt + 4).toString(16)}\r\n`);
  });
});

describe("the build's saved kernel image", () => {
  it("is what the assembler makes of boot/ now, and the built package uses it", async () => {
    // The built kernel (dist/, made by `npm test`'s pretest) finds dist/kernel/boot-image.json.
    const built = await import("../dist/kernel/index.js") as unknown as typeof import("../kernel/index.js");
    const cached = built.buildKernel();
    expect(built.imageWasCached()).toBe(true);
    // The sources here have no saved image next to them: this one is assembled.
    const fresh = buildKernel();
    expect(cached.image).toEqual(fresh.image);
    expect([...cached.symbols]).toEqual([...fresh.symbols]);
    expect([...cached.hostCalls]).toEqual([...fresh.hostCalls]);
    expect(cached.entry).toBe(fresh.entry);
    expect(cached.hostReturn).toBe(fresh.hostReturn);
    expect([cached.bssBegin, cached.bssEnd]).toEqual([fresh.bssBegin, fresh.bssEnd]);
    // Other host symbols or another base are another image: assembled, not taken from the file.
    built.buildKernel({ base: 0x80000 });
    expect(built.imageWasCached()).toBe(false);
  });
});

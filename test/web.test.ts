// The interrupt lab in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core). One page goes through the lesson as a learner would: the
// first screen, step 1's final state, a stop on the IRQ vector, stepping into
// the TypeScript handler, latency probes while the machine runs flat out and
// during an exception storm, an edited kernel/timer.ts, an assembly error in
// an edited entry.S, a user's own kernel8.img, a user's framebuffer kernel
// drawn live in a canvas (compared pixel for pixel with QEMU's screen), one
// whose picture never stops moving (frames at a bounded rate, page responsive),
// and the 800 px layout.
// Screenshots of each state go to test-output/web-*.png (gitignored).
import { describe, it, expect } from "vitest";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { PNG } from "pngjs";
import { fileURLToPath } from "node:url";
import { loadavg, cpus } from "node:os";
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { assemble } from "../tools/asm/assembler.js";

const CHROMIUM = "/usr/bin/chromium";
const OUT = fileURLToPath(new URL("../test-output/", import.meta.url));

// With CI=true a missing browser fails the suite instead of skipping it.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)("web interrupt lab", () => {
  it("explains, steps, stays responsive, and runs edited code", { timeout: 240_000 }, async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (Debian's chromium package) is needed`).toBe(true);
    const { chromium } = await import("playwright-core");
    // @ts-expect-error: a plain .mjs build script without types
    const web = await import("../scripts/web.mjs");
    await web.buildWeb();
    const server: Server = await web.serve(0);
    const port = (server.address() as { port: number }).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    mkdirSync(OUT, { recursive: true });
    const figures: string[] = [];
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const shot = (name: string) => page.screenshot({ path: `${OUT}web-${name}.png`, fullPage: true });
      const status = () => page.textContent("#status");
      const row = (name: string) => page.$$eval("#state tr", (rows, n) => rows.map((r) => r.textContent ?? "").find((t) => t.startsWith(n)) ?? "", name);
      const text = () => terminalText(page);

      // The first screen says what this is and starts the lesson in one click.
      await page.goto(`http://127.0.0.1:${port}/`);
      await expect.poll(() => page.textContent("#intro"), { timeout: 20_000 }).toMatch(/emulated Raspberry Pi 3.*lesson 3/s);
      expect((await page.request.get(`http://127.0.0.1:${port}/favicon.svg`)).status()).toBe(200);
      await shot("1-first-screen");
      phase("first screen");
      await page.click("#begin");

      // Step 1 ends; its final state is the SVC's (numbers as `rpi-os lesson --step 1 --virtual --trace exc` prints them).
      await expect.poll(status, { timeout: 20_000 }).toMatch(/^stopped: /);
      await expect.poll(text, { timeout: 20_000 }).toContain("SYNC_INVALID_EL1h, ESR: 56000000, address: 1598");
      await expect.poll(() => row("ESR_EL1"), { timeout: 20_000 }).toMatch(/0x56000000.*EC 0x15 SVC64; IL 1 \(32-bit instruction\); SVC number #0/);
      expect(await row("ELR_EL1")).toMatch(/0x1598\s*<take_svc\+0x4>/);
      expect(await row("VBAR_EL1")).toMatch(/0x800\s*<vectors>/);
      expect(await row("EL / SPSel")).toMatch(/EL1h/);
      await expect.poll(() => page.textContent("#lessonTrace"), { timeout: 20_000 }).toContain("SYNC taken from EL1h to EL1 vector=0xa00 (VBAR+0x200) ESR=0x56000000 [SVC64] ELR=0x1598");
      await expect.poll(() => page.getAttribute("#vectors .slot.lit", "data-offset"), { timeout: 20_000 }).toBe("0x200");
      await shot("2-step1-final-state");
      phase("step 1");

      // Step 8 ticks; "to exception" stops on the IRQ vector with the slot lit.
      await page.selectOption("#step", "8");
      await page.click("#start");
      await expect.poll(text, { timeout: 20_000 }).toContain("Timer interrupt received");
      await page.click("#stepExc");
      await expect.poll(status, { timeout: 30_000 }).toBe("paused: exception taken");
      await expect.poll(() => page.getAttribute("#vectors .slot.lit", "data-offset"), { timeout: 20_000 }).toBe("0x280");
      expect(await row("PC")).toMatch(/^PC0xa80<vectors\+0x280>/);
      await expect.poll(() => page.textContent("#disasm .cur"), { timeout: 20_000 }).toMatch(/a80\s+b\s+\w+ <el1_irq>/);
      await expect.poll(() => page.textContent("#srcName"), { timeout: 20_000 }).toMatch(/^boot\/entry\.S, line \d+/);
      await expect.poll(() => page.textContent("#source .cur"), { timeout: 20_000 }).toMatch(/ventry\s+el1_irq/);
      await shot("3-irq-vector");
      phase("irq vector");
      // One instruction: the branch to el1_irq.
      await page.click("#stepBtn");
      await expect.poll(() => row("PC"), { timeout: 20_000 }).toMatch(/<el1_irq>/);
      // Run to the TypeScript handler's trampoline, then into it: the TS stack shows the interrupted kernel_main.
      await page.fill("#runToSym", "handle_irq");
      await page.click("#runTo");
      await expect.poll(status, { timeout: 30_000 }).toBe("paused: reached handle_irq");
      await page.click("#stepBtn");
      await expect.poll(() => page.textContent("#pausedAt"), { timeout: 20_000 }).toMatch(/in TypeScript/);
      const stack = await page.textContent("#tsstack");
      expect(stack).toMatch(/handle_irq kernel\/lesson\.ts:\d+/);
      expect(stack).toMatch(/IRQ taken here.*uart_recv kernel\/mini_uart\.ts:\d+.*timerKernelMain kernel\/lesson\.ts:\d+/s);
      expect(await page.locator("#timelineSvg circle").count()).toBeGreaterThan(3);
      await shot("4-in-typescript-handler");
      phase("ts handler");
      // Break on the next IRQ; run to the `bl handle_irq` after kernel_entry's 17 instructions; step over it:
      // the TypeScript handler runs whole (one more tick printed) and the PC is the instruction after the bl.
      await page.click("#breakIrq");
      await expect.poll(status, { timeout: 30_000 }).toBe("paused: IRQ taken");
      await expect.poll(() => page.getAttribute("#vectors .slot.lit", "data-offset"), { timeout: 20_000 }).toBe("0x280");
      await page.fill("#runToSym", "el1_irq");
      await page.click("#runTo");
      await expect.poll(status, { timeout: 30_000 }).toBe("paused: reached el1_irq");
      // The status line and the panes come from the same batch (the pause's exact state): no waiting.
      expect(await row("PC")).toMatch(/<el1_irq>/);
      const el1Irq = parseInt(/^PC0x([0-9a-f]+)/.exec(await row("PC"))![1], 16);
      // Step is exact: one instruction of kernel_entry's straight-line saves each time, and the
      // panel shows that PC the moment the status says so.
      for (let i = 1; i <= 3; i++) {
        await page.click("#stepBtn");
        await expect.poll(status, { timeout: 20_000 }).toBe("paused: stepped");
        expect(await row("PC")).toMatch(new RegExp(`^PC0x${(el1Irq + 4 * i).toString(16)}<el1_irq\\+0x${(4 * i).toString(16)}>`));
      }
      await page.fill("#runToSym", "0x" + (el1Irq + 0x44).toString(16));
      await page.click("#runTo");
      await expect.poll(status, { timeout: 30_000 }).toBe("paused: reached el1_irq+0x44");
      expect(await page.textContent("#disasm .cur")).toMatch(/bl\s+\w+ <handle_irq>/);
      expect(await row("PC")).toMatch(/<el1_irq\+0x44>/);
      // Paused means paused: no batch (the worker ran no chunk) and the same state a while later.
      const seqAtPause = await page.evaluate(() => (window as unknown as { rpiLastBatch: { seq: number; state: { insns: number } } }).rpiLastBatch);
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => (window as unknown as { rpiLastBatch: { seq: number; state: { insns: number } } }).rpiLastBatch)).toEqual(seqAtPause);
      const ticksBefore = (await text()).split("Timer interrupt received").length;
      await page.click("#stepOver");
      await expect.poll(status, { timeout: 30_000 }).toBe("paused: reached el1_irq+0x48");
      await expect.poll(async () => (await text()).split("Timer interrupt received").length, { timeout: 20_000 }).toBe(ticksBefore + 1);
      phase("step over");
      await page.click("#pause"); // resume

      // Latency probes: the page answers input within 100 ms (median) and never stalls for a second,
      // during step 3's exception storm (realtime and as fast as possible) and at full speed in step 9.
      // On a machine loaded beyond twice its cores by other work (a shared development box) the
      // limits are 250 ms and 2 s, and the test says so; CI's machine runs this file alone.
      const load = loadavg()[0] / cpus().length;
      const [medianLimit, maxLimit] = load > 2 ? [250, 2000] : [100, 1000];
      if (load > 2) figures.push(`load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores: limits relaxed to ${medianLimit} ms median, ${maxLimit} ms max`);
      const probe = async (label: string) => {
        await page.waitForTimeout(800);
        await page.evaluate(() => (window as unknown as { rpiProbe: { reset(): void } }).rpiProbe.reset());
        for (let i = 0; i < 12; i++) { await page.keyboard.press("x"); await page.waitForTimeout(100); }
        const p = await page.evaluate(() => (window as unknown as { rpiProbe: { inputDelays: number[]; maxStall: number } }).rpiProbe);
        const d = p.inputDelays.slice().sort((a, b) => a - b);
        const median = d[d.length >> 1], max = d[d.length - 1];
        figures.push(`${label}: input delay median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms; longest stall ${p.maxStall.toFixed(0)} ms`);
        expect(d.length).toBeGreaterThanOrEqual(12);
        expect(median, label).toBeLessThan(medianLimit);
        expect(max, label).toBeLessThan(maxLimit);
        expect(p.maxStall, label).toBeLessThan(maxLimit);
      };
      await page.selectOption("#step", "3");
      await page.click("#start");
      await probe("step 3 realtime");
      await page.selectOption("#speed", "1");
      await probe("step 3 as fast as possible");
      // The storm shows as a count and the last few.
      await expect.poll(async () => Number((await page.textContent("#excCount"))!.replace(/,/g, "").replace(/\D.*$/, "") || 0), { timeout: 20_000 }).toBeGreaterThan(1_000_000);
      expect((await page.textContent("#exceptions"))!.split("\n").length).toBeLessThanOrEqual(8);
      // ... and is named for what it is, in the words the CLI uses for the storms it stops at.
      expect(await page.textContent("#storm")).toMatch(/^exception storm, going on: core 0 took the same exception \d+ times: SYNC at EL1, ESR 0x02000000 \(undefined instruction .*at 0x200\), VBAR_EL1 = 0 \(no vector table\).*\n  hint: VBAR_EL1 is 0: there is no vector table for EL1/s);
      await shot("5-storm");
      phase("storm");
      await page.selectOption("#step", "9");
      await page.click("#start");
      await probe("step 9 as fast as possible");
      phase("probes");
      const rate = () => page.evaluate(() => {
        const s = (window as unknown as { rpiLastBatch?: { state: { ticks: number; seconds: number } } }).rpiLastBatch?.state;
        return s && s.seconds > 3 ? s.ticks / s.seconds : 0;
      });
      await expect.poll(rate, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await rate()).toBeCloseTo(5, 0);

      // An edited kernel/timer.ts (a quarter of the interval) ticks four times as often (in realtime,
      // which leaves the page and the test the CPU).
      await page.selectOption("#speed", "0");
      await page.selectOption("#file", "kernel/timer.ts");
      await page.evaluate(() => {
        const e = (window as unknown as { rpiEditor: { text(f: string): string; setText(f: string, t: string): void } }).rpiEditor;
        e.setText("kernel/timer.ts", e.text("kernel/timer.ts").replace("export let interval = 200000;", "export let interval = 50000;"));
      });
      await expect.poll(() => page.textContent("#edited"), { timeout: 20_000 }).toContain("kernel/timer.ts");
      await page.click("#runEdited");
      await expect.poll(status, { timeout: 30_000 }).toBe("running step 9 (edited)");
      phase("transpiled");
      await expect.poll(rate, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await rate()).toBeCloseTo(20, 0);
      await shot("6-edited-timer");
      phase("edited timer");

      // An assembly error in an edited entry.S is shown at its line.
      await page.click("#resetCode");
      phase("reset");
      const badLine = await page.evaluate(() => {
        const e = (window as unknown as { rpiEditor: { text(f: string): string; setText(f: string, t: string): void } }).rpiEditor;
        const lines = e.text("boot/entry.S").split("\n");
        const i = lines.findIndex((l) => /^\s*bl\s+handle_irq/.test(l));
        lines[i] = "\tmrs\tx1, no_such_register";
        e.setText("boot/entry.S", lines.join("\n"));
        return i + 1;
      });
      phase("edited entry.S");
      await page.click("#runEdited");
      phase("run pressed");
      await expect.poll(() => page.textContent("#diagnostics"), { timeout: 15_000 }).toMatch(new RegExp(`^boot/entry\\.S:${badLine}:\\d+: `));
      expect(await status()).toMatch(/not started: assembler errors/);
      const marked = await page.evaluate(() => {
        const view = (window as unknown as { rpiEditor: { view: { posAtDOM(n: Node): number; state: { doc: { lineAt(p: number): { number: number } } } } } }).rpiEditor.view;
        const el = document.querySelector(".cm-lintRange-error");
        return el ? view.state.doc.lineAt(view.posAtDOM(el)).number : -1;
      });
      expect(marked).toBe(badLine);
      await shot("7-assembly-error");
      phase("asm error");
      await page.click("#resetCode");
      await expect.poll(() => page.textContent("#edited"), { timeout: 20_000 }).toBe("");

      // A user's own kernel8.img (one of our gcc-built test kernels), in realtime.
      await page.setInputFiles("#image", fileURLToPath(new URL("./guest/kernels/timer.img", import.meta.url)));
      await expect.poll(text, { timeout: 20_000 }).toMatch(/IRQ_PENDING_1 = 0x2\s+Timer interrupt received/);
      expect(await page.isVisible("#screenPanel")).toBe(false); // no framebuffer, no screen

      // A user's framebuffer kernel (test/guest/board/fb.img, our 320x200x32 painter, a kernel_old
      // image at 0 as QEMU ran it): the screen appears beside the terminal and shows the picture
      // QEMU's screendump took (fb.qemu.png), pixel for pixel, read back from the canvas.
      const expected = PNG.sync.read(readFileSync(fileURLToPath(new URL("./guest/board/fb.qemu.png", import.meta.url))));
      await page.check("#kernelOld");
      await page.setInputFiles("#image", fileURLToPath(new URL("./guest/board/fb.img", import.meta.url)));
      await expect.poll(() => page.isVisible("#screenPanel"), { timeout: 30_000 }).toBe(true);
      await expect.poll(text, { timeout: 20_000 }).toContain("painted");
      expect(await page.textContent("#lessonExplain")).toMatch(/^kernel_old=1: a raw image loads at 0/);
      expect(parseInt(/^PC0x([0-9a-f]+)/.exec(await row("PC"))![1], 16)).toBeLessThan(0x80000);
      const differing = () => page.evaluate(({ w, h, want }) => {
        const c = document.getElementById("screen") as HTMLCanvasElement;
        if (c.width !== w || c.height !== h) return -1;
        const got = c.getContext("2d")!.getImageData(0, 0, w, h).data;
        const exp = Uint8Array.from(atob(want), (ch) => ch.charCodeAt(0));
        let n = 0;
        for (let i = 0; i < w * h; i++) for (let k = 0; k < 4; k++) if (got[i * 4 + k] !== exp[i * 4 + k]) { n++; break; }
        return n;
      }, { w: expected.width, h: expected.height, want: Buffer.from(expected.data).toString("base64") });
      await expect.poll(differing, { timeout: 20_000 }).toBe(0);
      expect(await page.textContent("#screenNote")).toMatch(/^320 x 200, frame \d+$/);
      const frameNo = async () => Number(/frame (\d+)/.exec((await page.textContent("#screenNote")) ?? "")?.[1] ?? -1);
      const still = await frameNo();
      await page.waitForTimeout(600);
      expect(await frameNo(), "an unchanged picture is not sent again").toBe(still);
      await shot("8-framebuffer");
      phase("framebuffer");

      // A picture that changes all the time (test/guest/web/moving-picture.S, 640x480), as fast as
      // possible: the canvas follows at most 10 frames a second (FRAME_MS) and the page stays responsive.
      const moving = assemble([{ name: "moving-picture.S", text: readFileSync(fileURLToPath(new URL("./guest/web/moving-picture.S", import.meta.url)), "utf8") }], { base: 0x80000 });
      await page.selectOption("#speed", "1");
      await page.uncheck("#kernelOld");
      await page.setInputFiles("#image", { name: "moving-picture.img", mimeType: "application/octet-stream", buffer: Buffer.from(moving.image) });
      await expect.poll(() => page.textContent("#screenNote"), { timeout: 30_000 }).toMatch(/^640 x 480, frame \d+$/);
      const f0 = await frameNo(), tf = Date.now();
      await probe("moving framebuffer as fast as possible");
      const frames = (await frameNo()) - f0, secs = (Date.now() - tf) / 1000;
      figures.push(`moving framebuffer: ${frames} frames in ${secs.toFixed(1)} s`);
      expect(frames).toBeGreaterThan(2);
      expect(frames / secs).toBeLessThanOrEqual(11);
      await shot("9-moving-framebuffer");
      phase("moving framebuffer");

      // 800 px: one column, nothing wider than the window.
      await page.setViewportSize({ width: 800, height: 1000 });
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
      await shot("10-800px");
      phase("800px");
      expect(errors).toEqual([]);
    } finally {
      console.log(`web lab latency (${new Date().toISOString()}):\n  ${figures.join("\n  ")}\n  phases: ${phases.join(", ")}`);
      await browser.close();
      server.close();
    }
  });
});

async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const t = (window as unknown as { rpiTerminal: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } }).rpiTerminal;
    const b = t.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n");
  });
}

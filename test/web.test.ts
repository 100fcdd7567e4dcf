// The browser playground in headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core): the lesson-3 kernel ticks in the terminal and echoes a key.
import { describe, it, expect } from "vitest";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";

const CHROMIUM = "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("web playground", () => {
  it("runs the lesson-3 kernel: ticks, echo, state panel; saves a screenshot", async () => {
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
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.click("#start");
      const text = () => page.evaluate(() => {
        const t = (window as unknown as { rpiTerminal: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } }).rpiTerminal;
        const b = t.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
        return lines.join("\n");
      });
      await expect.poll(text, { timeout: 15_000 }).toContain("Timer interrupt received");
      await page.click("#terminal");
      await page.keyboard.type("Z");
      await expect.poll(text, { timeout: 5_000 }).toMatch(/Z/);
      await expect.poll(() => page.textContent("#state"), { timeout: 5_000 }).toMatch(/VBAR_EL1\s*0x[0-9a-f]*800/);
      expect(await page.textContent("#state")).toMatch(/compiled to WebAssembly\s*\d+\.\d% of instructions, \d+ regions/);
      expect(await page.textContent("#exceptions")).toMatch(/IRQ taken from EL1h .*VBAR\+0x280/);
      const outDir = fileURLToPath(new URL("../test-output/", import.meta.url));
      mkdirSync(outDir, { recursive: true });
      await page.screenshot({ path: outDir + "web.png" });

      // Pause stops the machine (virtual time stands still); resume goes on.
      await page.click("#pause");
      await expect.poll(() => page.textContent("#status")).toBe("paused");
      await page.waitForTimeout(400); // the worker sees the flag at its next hardware access
      const frozen = await page.textContent("#state");
      await page.waitForTimeout(600);
      expect(await page.textContent("#state")).toBe(frozen);
      await page.click("#pause");

      // A user's own kernel8.img (one of our gcc-built test kernels).
      await page.setInputFiles("#image", fileURLToPath(new URL("./guest/kernels/timer.img", import.meta.url)));
      await page.click("#start");
      await expect.poll(text, { timeout: 15_000 }).toMatch(/IRQ_PENDING_1 = 0x2\s+Timer interrupt received/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 60_000);
});

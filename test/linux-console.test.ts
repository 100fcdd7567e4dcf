// Debian's kernel with the mini UART as its console (console=ttyS1, the Pi 3 B DT's stdout-path):
// a line typed at the console reaches our /init through the 8250_bcm2835aux driver's interrupt,
// and /proc/interrupts counts it; /init then restarts the board through the PM watchdog.
// (With this DT the PL011, ttyAMA0, belongs to the Bluetooth chip: its `bluetooth` child makes it
// a serdev port, so bytes typed there never reach the tty. QEMU raspi3b does the same;
// linux-kernel.test.ts boots with the PL011 console for its output.)
// A separate file from linux-kernel.test.ts so that vitest can run both boots at once.
import { describe, it, expect } from "vitest";
import { initSection, MINI_UART_CMDLINE } from "../tools/linux.js";
import { cachedLinuxBoot } from "./support/linux.js";
import { haveLinux, runIf } from "./support/tools.js";

const TYPED = "typed at ttyS1";

describe("real Linux on the mini UART console", () => {
  const boot = cachedLinuxBoot({
    // /init reads a line before it prints anything, and restarts at the end instead of powering off.
    cmdline: `${MINI_UART_CMDLINE} rpi-os.wait rpi-os.reboot`,
    typeAfter: ["rpi-os-init: type a line", `${TYPED}\r`],
  });

  it.skipIf(!runIf(haveLinux()))("logs on ttyS1 (8250_bcm2835aux), /init gets the typed line, echoed by the tty, and restarts the board", async () => {
    const { output, reason } = await boot();
    // From the first line on: earlycon=bcm2835aux writes to the mini UART the firmware enabled.
    expect(output.startsWith("[    0.000000] Booting Linux on physical CPU 0x0000000000")).toBe(true);
    expect(output).toContain("3f215040.serial: ttyS1 at MMIO 0x3f215040 (irq = 71, base_baud = 50000000) is a 16550");
    expect(output).toMatch(/printk: console \[ttyS1\] enabled/);
    expect(output).toContain("Run /init as init process");
    const prompt = output.indexOf("rpi-os-init: type a line");
    expect(prompt).toBeGreaterThan(0);
    // The tty's echo (ICRNL + ECHO: "\r" comes back as "\r\n"), then /init goes on past its read().
    const after = output.slice(prompt).replace(/\r/g, "");
    expect(after).toContain(`type a line\n${TYPED}\n`);
    expect(after).toContain("rpi-os-init: begin /proc/interrupts");
    // reboot(RESTART): bcm2835_wdt's restart handler resets through PM_RSTC with PM_RSTS's partition
    // left at 0, so the board reboots (periph/power.ts) and the run ends with reason "reboot".
    expect(after).toContain("rpi-os-init: restarting");
    expect(output).toMatch(/reboot: Restarting system/);
    expect(reason).toBe("reboot");
  }, 1_800_000);

  it.skipIf(!runIf(haveLinux()))("its /proc/interrupts counts the mini UART's interrupt (AUX, GPU IRQ 29 = ARMCTRL 61)", async () => {
    const res = await boot();
    const text = initSection(res.output, "/proc/interrupts");
    expect(text).toBeDefined();
    const line = text!.split("\n").find((l) => /\bttyS1\s*$/.test(l));
    expect(line, "a ttyS1 line").toBeDefined();
    expect(line).toMatch(/^\s*71:.*ARMCTRL-level\s+61 Edge\s+ttyS1$/);
    const counts = line!.split(":")[1].trim().split(/\s+/).slice(0, 4).map(Number);
    // The driver receives by interrupt: each typed byte arrives a 115200-baud frame after the last,
    // and a line this long cannot be taken in fewer interrupts than the mini UART's 8-byte FIFO allows.
    // (On CPU0, where GPU_INT_ROUTING sends the GPU interrupt, but for one: at the port's start-up
    // Linux resends a pending edge in software (check_irq_resend -> resend_irqs, a tasklet), and
    // that tasklet ran on CPU1 — seen with breakpoints on resend_irqs and serial8250_interrupt.)
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(Math.ceil((TYPED.length + 1) / 8));
    expect(counts[0]).toBeGreaterThan(0);
    // The PL011 is not the console here and nobody opened it (the Bluetooth serdev port stays closed).
    expect(text).not.toMatch(/uart-pl011/);
  }, 1_800_000);
});

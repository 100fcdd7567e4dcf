// Debian's stock arm64 kernel (npm run fetch-linux) on the emulated Pi 3, booted as
// the firmware does, to our own /init, which prints /proc/interrupts, /proc/cpuinfo
// and /proc/softirqs and powers off. Without CI a missing kernel skips; with CI=true
// it fails (.ci/run fetches it). One boot (about 1 billion instructions) serves all
// the assertions.
import { describe, it, expect } from "vitest";
import { initSection, DEFAULT_CMDLINE } from "../tools/linux.js";
import { cachedLinuxBoot } from "./support/linux.js";
import { haveLinux, haveTool, runIf, requirePresent } from "./support/tools.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const HZ = 250; // Debian's CONFIG_HZ

describe("real Linux boots to /init", () => {
  const boot = cachedLinuxBoot({ cmdline: DEFAULT_CMDLINE });

  it.skipIf(!runIf(haveLinux()))("logs its boot on the PL011, brings up 4 CPUs, runs /init and powers the board off", async () => {
    const res = await boot();
    const { output, reason } = res;
    expect(output).toContain("Machine model: Raspberry Pi 3 Model B");
    expect(output).toContain("smp: Brought up 1 node, 4 CPUs");
    expect(output).toContain("CPU: All CPU(s) started at EL2");
    expect(output).not.toContain("Floating-point is not implemented"); // ID_AA64PFR0.FP = 0: FP/SIMD are emulated
    expect(output).toContain("Run /init as init process");
    expect(output).toContain("rpi-os-init: hello from /init");
    // Power-off: /init loads the package's bcm2835_wdt.ko, whose pm_power_off writes PM_RSTS partition 63
    // and resets through PM_RSTC; the board's PM (periph/power.ts) ends the run as the firmware would.
    expect(output).toContain("bcm2835-wdt bcm2835-wdt: Broadcom BCM2835 watchdog timer");
    expect(output).toContain("rpi-os-init: loaded bcm2835_wdt (the power-off driver)");
    expect(output).toMatch(/reboot: Power down/);
    expect(reason).toBe("poweroff");
    expect(res.code).toBe(0);
  }, 1_800_000);

  it.skipIf(!runIf(haveLinux()))("its /proc/interrupts: arch_timer on every CPU at about HZ a second, the mailbox, the UART, IPIs", async () => {
    const res = await boot();
    const text = initSection(res.output, "/proc/interrupts");
    expect(text).toBeDefined();
    const lines = text!.split("\n");
    expect(lines[0]).toMatch(/^\s+CPU0\s+CPU1\s+CPU2\s+CPU3\s*$/);
    const counts = (name: string) => {
      const l = lines.find((x) => x.includes(name));
      expect(l, name).toBeDefined();
      return l!.split(":")[1].trim().split(/\s+/).slice(0, 4).map(Number);
    };
    const timer = counts("arch_timer");
    expect(lines.find((l) => l.includes("arch_timer"))).toMatch(/bcm2836-timer\s+1 Edge\s+arch_timer/);
    // /init printed this at about res.seconds of virtual time: each CPU ticked, at about HZ while busy
    // (the arch timer is also the hrtimer clock-event device, so a few more than HZ is possible).
    for (const c of timer) {
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThanOrEqual(Math.ceil(1.5 * HZ * res.seconds) + 10);
    }
    expect(timer.reduce((a, b) => a + b, 0)).toBeGreaterThan(HZ * res.seconds * 0.5); // busy while booting: mostly at HZ
    expect(counts("mailbox")[0]).toBeGreaterThan(0);          // bcm2835-mbox is interrupt driven (ARM basic IRQ 1)
    expect(lines.find((l) => l.includes("mailbox"))).toMatch(/ARMCTRL-level\s+1 Edge/);
    // The PL011's line is there (the console opened it). Typed input is tested on the mini UART
    // (linux-console.test.ts): this DT gives the PL011 to Bluetooth, a serdev port that feeds no tty.
    expect(lines.find((l) => l.includes("uart-pl011"))).toMatch(/ARMCTRL-level\s+89 Edge\s+uart-pl011/);
    const ipi1 = counts("Function call interrupts");
    expect(ipi1.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);  // IPIs over the BCM2836 local mailboxes
  }, 1_800_000);

  it.skipIf(!runIf(haveLinux()))("its /proc/cpuinfo and /proc/softirqs", async () => {
    const res = await boot();
    const cpuinfo = initSection(res.output, "/proc/cpuinfo")!;
    expect(cpuinfo.match(/^processor\s*: \d/gm)).toHaveLength(4);
    expect(cpuinfo).toMatch(/CPU part\s*: 0xd03/);
    expect(cpuinfo).toMatch(/CPU revision\s*: 4/);
    expect(cpuinfo).toMatch(/Features\s*: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\n/); // as on QEMU and the board
    const softirqs = initSection(res.output, "/proc/softirqs")!;
    const timerRow = softirqs.split("\n").find((l) => l.trim().startsWith("TIMER:"))!;
    expect(timerRow.trim().split(/\s+/).slice(1).map(Number).some((n) => n > 0)).toBe(true);
  }, 1_800_000);
});

describe("the kernel's first exceptions, against QEMU -d int", () => {
  const qemu = haveTool("qemu-system-aarch64");
  it.skipIf(!runIf(haveLinux() && qemu))("the first 3 million instructions take the same synchronous exceptions and returns as on QEMU raspi3b", () => {
    requirePresent(haveLinux(), "the Debian kernel (npm run fetch-linux)");
    requirePresent(qemu, "qemu-system-aarch64 (qemu-system-arm)");
    const script = fileURLToPath(new URL("../scripts/compare-linux-exceptions.mjs", import.meta.url));
    const p = spawnSync(process.execPath, [script, "--insns", "3000000", "--qemu-seconds", "25", "--json"], { encoding: "utf8", timeout: 300_000 });
    const r = JSON.parse(p.stdout);
    // EL2 -> EL1 at the kernel's entry, then KVM's finalise_el2 HVC and its return (with ESR and ELR).
    expect(r.ours.compared).toBeGreaterThanOrEqual(3);
    expect(r.rows.filter((x: { same: boolean }) => !x.same)).toEqual([]);
    expect(r.agree).toBe(true);
    expect(p.status).toBe(0);
  }, 600_000);
});

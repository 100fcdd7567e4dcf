// The FDT reader/writer (host/fdt.ts) against dtc, the reference implementation:
// our own tiny.dts compiled by dtc (committed with gen.sh), Debian's Pi 3 B DTB
// when `npm run fetch-linux` has cached it, and dtc/fdtget run on what we write.
import { describe, it, expect } from "vitest";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { parseFdt, serializeFdt, findNode, fdtCells, fdtString, FdtError, FdtNode, type Fdt } from "../host/fdt.js";
import { patchDtb, spinTableReleaseAddrs, COMMAND_LINE_SIZE } from "../host/linux.js";
import { guestPath } from "./support/guest.js";
import { haveTool, runIf, requirePresent, haveLinux, linuxCacheDir } from "./support/tools.js";

const tiny = () => new Uint8Array(readFileSync(guestPath("linux/tiny.dtb")));
const expectedDts = () => readFileSync(guestPath("linux/tiny.expected.dts"), "utf8");
const dtc = haveTool("dtc");
const tmp = mkdtempSync(join(tmpdir(), "rpi-os-fdt-"));

function dtcDecompile(blob: Uint8Array): string {
  const f = join(tmp, `b${Math.random().toString(36).slice(2)}.dtb`);
  writeFileSync(f, blob);
  return execFileSync("dtc", ["-q", "-I", "dtb", "-O", "dts", f], { encoding: "utf8" });
}
function fdtget(blob: Uint8Array, ...args: string[]): string {
  const f = join(tmp, `g${Math.random().toString(36).slice(2)}.dtb`);
  writeFileSync(f, blob);
  return execFileSync("fdtget", [f, ...args], { encoding: "utf8" }).trim();
}

/** A plain-data view of a tree, to compare two parses. */
function shape(n: FdtNode): unknown {
  return { name: n.name, props: n.props.map((p) => [p.name, [...p.value]]), children: n.children.map(shape) };
}

describe("FDT reader", () => {
  it("reads our tiny.dts as dtc compiled it", () => {
    const fdt = parseFdt(tiny());
    expect(fdt.reservations).toEqual([{ address: 0n, size: 0x1000n }]);
    expect(fdt.root.strings("compatible")).toEqual(["rpi-os,test-board", "brcm,bcm2837"]);
    expect(fdt.root.string("model")).toBe("rpi-os FDT test");
    expect(fdt.root.u32("#address-cells")).toBe(1);
    const uart = findNode(fdt, "/soc/serial@7e201000")!;
    expect(uart.cells("reg")).toEqual([0x7e201000, 0x200]);
    expect(uart.cells("interrupts")).toEqual([2, 25]);
    expect([...uart.prop("bytes")!]).toEqual([1, 2, 3]);
    expect(uart.prop("empty-flag")!.length).toBe(0);
    expect(findNode(fdt, "serial0")).toBe(uart); // through /aliases
    expect(findNode(fdt, "/memory")!.name).toBe("memory@0"); // unit address optional when unique
    expect(spinTableReleaseAddrs(fdt)).toEqual([0xd8, 0xe0]);
    // The same facts as dtc printed them (the committed reference).
    expect(expectedDts()).toContain('compatible = "rpi-os,test-board\\0brcm,bcm2837";');
    expect(expectedDts()).toContain("cpu-release-addr = <0x00 0xe0>;");
  });

  it("writes back a tree that parses to the same tree", () => {
    const a = parseFdt(tiny());
    const blob = serializeFdt(a);
    const b = parseFdt(blob);
    expect(shape(b.root)).toEqual(shape(a.root));
    expect(b.reservations).toEqual(a.reservations);
    expect(new DataView(blob.buffer).getUint32(20)).toBe(17); // version
  });

  it.skipIf(!runIf(dtc))("writes what dtc reads as the same source (tiny.dts)", () => {
    requirePresent(dtc, "dtc (device-tree-compiler)");
    expect(dtcDecompile(serializeFdt(parseFdt(tiny())))).toBe(expectedDts());
    expect(dtcDecompile(serializeFdt(parseFdt(tiny()), 256))).toBe(expectedDts()); // padding changes nothing
  });

  it.skipIf(!runIf(haveLinux() && dtc))("round-trips Debian's bcm2837-rpi-3-b.dtb exactly as dtc reads it", () => {
    requirePresent(haveLinux(), "the Debian kernel (npm run fetch-linux)");
    requirePresent(dtc, "dtc (device-tree-compiler)");
    const orig = new Uint8Array(readFileSync(join(linuxCacheDir(), "bcm2837-rpi-3-b.dtb")));
    const fdt = parseFdt(orig);
    expect(spinTableReleaseAddrs(fdt)).toEqual([0xd8, 0xe0, 0xe8, 0xf0]);
    expect(dtcDecompile(serializeFdt(fdt))).toBe(dtcDecompile(orig));
  });
});

describe("FDT patching as the firmware does", () => {
  it("sets /memory, /chosen/bootargs and the initrd range", () => {
    const { blob } = patchDtb(tiny(), { ramSize: 0x3c000000, cmdline: "console=ttyS1 rdinit=/init", initrd: { start: 0x2400000, end: 0x2400a00 } });
    const fdt = parseFdt(blob);
    expect(findNode(fdt, "/memory@0")!.cells("reg")).toEqual([0, 0x3c000000]);
    const chosen = findNode(fdt, "/chosen")!;
    expect(chosen.string("bootargs")).toBe("console=ttyS1 rdinit=/init");
    expect(chosen.string("stdout-path")).toBe("serial0:115200n8"); // kept
    expect(chosen.cells("linux,initrd-start")).toEqual([0x2400000]);
    expect(chosen.cells("linux,initrd-end")).toEqual([0x2400a00]);
  });

  it.skipIf(!runIf(dtc))("and fdtget reads the same values", () => {
    requirePresent(dtc, "fdtget (device-tree-compiler)");
    const { blob } = patchDtb(tiny(), { ramSize: 0x3c000000, cmdline: "a b=c", initrd: { start: 0x2400000, end: 0x2400a00 } });
    expect(fdtget(blob, "-t", "x", "/memory@0", "reg")).toBe("0 3c000000");
    expect(fdtget(blob, "/chosen", "bootargs")).toBe("a b=c");
    expect(fdtget(blob, "-t", "x", "/chosen", "linux,initrd-start")).toBe("2400000");
    expect(fdtget(blob, "-t", "x", "/chosen", "linux,initrd-end")).toBe("2400a00");
  });

  it("adds /chosen and /memory when the DT has neither", () => {
    const fdt: Fdt = { root: new FdtNode(""), reservations: [], bootCpuidPhys: 0 };
    fdt.root.setProp("#address-cells", fdtCells([2]));
    fdt.root.setProp("#size-cells", fdtCells([2]));
    const { blob } = patchDtb(serializeFdt(fdt), { ramSize: 0x3c000000, cmdline: "x" });
    const back = parseFdt(blob);
    expect(findNode(back, "/memory")!.cells("reg")).toEqual([0, 0, 0, 0x3c000000]);
    expect(findNode(back, "/chosen")!.string("bootargs")).toBe("x");
  });

  it("refuses a command line over arm64's COMMAND_LINE_SIZE", () => {
    expect(() => patchDtb(tiny(), { ramSize: 1 << 26, cmdline: "x".repeat(COMMAND_LINE_SIZE) }))
      .toThrow(/^the command line is 2048 bytes; arm64 Linux reads at most 2047 of \/chosen\/bootargs/);
    expect(() => patchDtb(tiny(), { ramSize: 1 << 26, cmdline: "x".repeat(COMMAND_LINE_SIZE - 1) })).not.toThrow();
  });
});

describe("bad DTBs get a one-line error saying what is wrong", () => {
  const oneLine = (f: () => unknown, re: RegExp) => {
    let err: unknown;
    try { f(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FdtError);
    const msg = (err as Error).message;
    expect(msg).not.toContain("\n");
    expect(msg).toMatch(re);
  };
  const mutate = (fn: (b: Uint8Array, v: DataView) => void) => {
    const b = tiny();
    fn(b, new DataView(b.buffer));
    return b;
  };
  const v = new DataView(tiny().buffer);
  const offStruct = v.getUint32(8), offStrings = v.getUint32(12);

  it("not a DTB at all", () => {
    oneLine(() => parseFdt(new TextEncoder().encode("this is a kernel, not a device tree")), /^bad DTB: magic is 0x74686973, not 0xd00dfeed/);
    oneLine(() => parseFdt(tiny().subarray(0, 10)), /only 10 bytes, shorter than the 40-byte FDT header/);
  });
  it("truncated", () => {
    oneLine(() => parseFdt(tiny().subarray(0, 600)), /header says 1033 bytes but the file has 600 \(truncated\?\)/);
  });
  it("an unknown token", () => {
    oneLine(() => parseFdt(mutate((_, d) => d.setUint32(offStruct, 7))), new RegExp(`unknown token 0x7 at offset ${offStruct}`));
  });
  it("a property name outside the strings block", () => {
    // The first property of the root: token, len, nameoff after BEGIN_NODE "" (4 + 4 bytes).
    oneLine(() => parseFdt(mutate((_, d) => d.setUint32(offStruct + 16, 0xfff))), /names string 4095, past the \d+-byte strings block/);
  });
  it("a node left open", () => {
    // Turn FDT_END into a NOP: the structure block then ends without FDT_END.
    const b = tiny();
    const d = new DataView(b.buffer);
    const end = offStruct + d.getUint32(36) - 4;
    expect(d.getUint32(end)).toBe(9);
    d.setUint32(end - 4, 4); // the root's END_NODE -> NOP
    oneLine(() => parseFdt(b), /FDT_END at offset \d+ while node '' is still open/);
  });
  it("blocks outside the blob, a version from the future", () => {
    oneLine(() => parseFdt(mutate((_, d) => d.setUint32(12, 5000))), /strings block \(offset 5000, \d+ bytes\) lies outside/);
    oneLine(() => parseFdt(mutate((_, d) => d.setUint32(24, 18))), /last_comp_version is 18/);
    expect(offStrings).toBeGreaterThan(offStruct);
  });
  it("a value too wide for its cells", () => {
    expect(() => fdtCells([2 ** 32], 1)).toThrow(/does not fit in 1 cell/);
    expect([...fdtCells([2 ** 32], 2)]).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect([...fdtString("ab")]).toEqual([0x61, 0x62, 0]);
  });
});

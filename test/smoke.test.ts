import { describe, it, expect } from "vitest";
import { Machine } from "../host/index.js";

describe("machine", () => {
  it("runs a few hand-encoded instructions and exits through semihosting", async () => {
    const m = await Machine.create({ semihosting: true });
    // movz x0, #0x18 ; adr x1, blk ; hlt #0xf000 ; blk: .quad 0x20026, 7
    const words = [0xd2800300, 0x10000041, 0xd45e0000, 0x00020026, 0, 7, 0];
    const img = new Uint8Array(new Uint32Array(words).buffer);
    m.load(img, 0x80000);
    m.start(0, 0x80000, 1);
    const r = m.run({ maxInsns: 100 });
    expect(r.reason).toBe("exit");
    expect(r.exitCode).toBe(7);
  });
});

// Top-level A64 decode (ARM ARM C4.1, "A64 instruction set encoding"): op0 = bits 28:25
// picks one of the four groups a Cortex-A53 kernel built with -mgeneral-regs-only uses.

import { executeDataProcessingImmediate } from "./dp_imm";
import { executeBranchSystem } from "./branch_sys";
import { executeLoadStore } from "./ldst";
import { executeDataProcessingRegister } from "./dp_reg";
import { undefinedInstruction } from "./exception";

// @ts-ignore: decorator
@inline export function execute(insn: u32): void {
  const op0 = (insn >> 25) & 15;
  if ((op0 & 0xE) == 0x8) executeDataProcessingImmediate(insn);
  else if ((op0 & 0xE) == 0xA) executeBranchSystem(insn);
  else if ((op0 & 0x5) == 0x4) executeLoadStore(insn);
  else if ((op0 & 0x7) == 0x5) executeDataProcessingRegister(insn);
  else undefinedInstruction(); // reserved, SVE, SIMD&FP
}

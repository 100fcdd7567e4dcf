// Top-level A64 decode (ARM ARM C4.1, "A64 instruction set encoding"): op0 = bits 28:25
// picks one of the four groups a Cortex-A53 kernel built with -mgeneral-regs-only uses.

import { executeDataProcessingImmediate } from "./dp_imm";
import { executeBranchSystem } from "./branch_sys";
import { executeLoadStore } from "./ldst";
import { executeDataProcessingRegister } from "./dp_reg";
import { executeSimdFp } from "./fpsimd";
import { undefinedInstruction } from "./exception";

// @ts-ignore: decorator
@inline export function execute(insn: u32): void {
  switch ((insn >> 25) & 15) {
    case 0x8: case 0x9: executeDataProcessingImmediate(insn); break;
    case 0xA: case 0xB: executeBranchSystem(insn); break;
    case 0x4: case 0x6: case 0xC: case 0xE: executeLoadStore(insn); break;
    case 0x5: case 0xD: executeDataProcessingRegister(insn); break;
    case 0x7: case 0xF: executeSimdFp(insn); break; // data processing, scalar FP and Advanced SIMD
    default: undefinedInstruction(); // reserved, SVE
  }
}

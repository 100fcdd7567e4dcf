// The toolchain as a library: assembler/linker, disassembler, ELF writer.
export { assemble, memoryFileProvider, defaultFileProvider, SourceError, HOST_RETURN_IMM } from "./asm/assembler.js";
export type { AsmSource, AssembleOptions, AssembleResult, SectionInfo } from "./asm/assembler.js";
export { disassemble } from "./a64/disasm.js";
export { writeElf } from "./elf.js";
export { SYSREGS, sysregName, parseSysreg } from "./a64/sysregs.js";

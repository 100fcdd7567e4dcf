// Exceptions taken at EL1: for each kind the handler prints the vector offset,
// ESR_EL1, ELR_EL1 (relative to _start), SPSR_EL1, FAR_EL1 for aborts, DAIF and
// SPSel at entry, then skips the faulting instruction. Only what QEMU models is
// here (QEMU does no SP alignment checks and ignores writes to unassigned memory;
// test/exceptions.test.ts covers those against the ARM ARM). Run at EL1 with
// semihosting (QEMU -M virt -cpu cortex-a53 -semihosting, or rpi-os run --el 1).
#include "print.h"

.section .text.boot
.globl _start
_start:
    msr nzcv, xzr          // flags at entry are whatever the loader left: start from a known state
    adr x0, stack_top
    mov sp, x0
    adr x0, vectors
    msr vbar_el1, x0
    isb
    PRINT "svc\n"
    svc #0x42
    PRINT "brk\n"
    brk #0x7
    PRINT "udf\n"
    .word 0x00001234
    PRINT "unknown system register\n"
    mrs x5, s3_0_c15_c15_7
    PRINT "data abort (read)\n"
    mov x1, #0x80000000
    ldr x2, [x1]
    PRINT "instruction abort\n"
    mov x1, #0x80000000
    blr x1
    PRINT "pc alignment\n"
    adr x1, after_pc
    add x1, x1, #2
    br x1
after_pc:
    nop
    PRINT "nested: brk inside svc\n"
    svc #0x99
    PRINT "sp_el0 (EL1t): svc\n"
    msr spsel, #0
    mov x1, sp
    svc #0x5
    msr spsel, #1
    PRINT "daif in handler after daifclr\n"
    msr daifclr, #0xf
    svc #0x6
    msr daifset, #0xf
    PRINT "done\n"
    b exit

// x19 = vector offset
.macro VENTRY off
    .align 7
    stp x29, x30, [sp, #-16]!
    mov x19, #\off
    b handler
.endm

    .align 11
vectors:
    VENTRY 0x000
    VENTRY 0x080
    VENTRY 0x100
    VENTRY 0x180
    VENTRY 0x200
    VENTRY 0x280
    VENTRY 0x300
    VENTRY 0x380
    VENTRY 0x400
    VENTRY 0x480
    VENTRY 0x500
    VENTRY 0x580
    VENTRY 0x600
    VENTRY 0x680
    VENTRY 0x700
    VENTRY 0x780

handler:
    mrs x20, daif
    mrs x21, spsel
    mrs x22, esr_el1
    mrs x23, elr_el1
    mrs x24, spsr_el1
    mrs x25, far_el1
    PRINT "  vector "
    PRINTHEX x19
    PRINT " esr "
    PRINTHEX x22
    lsr x0, x22, #26
    cmp x0, #0x21              // an instruction abort's ELR is the (absolute) bad address
    b.ne 9f
    PRINT " elr "
    PRINTHEX x23
    b 10f
9:  PRINT " elr _start+"
    adr x1, _start
    sub x0, x23, x1
    bl puthex
10: PRINT " spsr "
    PRINTHEX x24
    PRINT " daif "
    PRINTHEX x20
    PRINT " spsel "
    PRINTHEX x21
    lsr x0, x22, #26
    cmp x0, #0x25              // data abort
    b.eq 8f
    cmp x0, #0x21              // instruction abort
    b.ne 1f
8:
    PRINT " far "
    PRINTHEX x25
1:  lsr x0, x22, #26
    cmp x0, #0x22
    b.ne 2f
    PRINT " far _start+"      // a misaligned pc: relative, so any load address gives the same text
    adr x1, _start
    sub x0, x25, x1
    bl puthex
2:  PRINT "\n"
    // svc #0x99: take a brk from inside the handler, then return normally.
    lsr x0, x22, #26
    cmp x0, #0x15
    b.ne 3f
    and x0, x22, #0xffff
    cmp x0, #0x99
    b.ne 3f
    mov x26, x23
    mov x27, x24
    brk #0x55
    msr elr_el1, x26
    msr spsr_el1, x27
    ldp x29, x30, [sp], #16
    eret
3:  // svc/hvc/smc return after the instruction already; everything else skips it.
    lsr x0, x22, #26
    cmp x0, #0x15
    b.eq 4f
    cmp x0, #0x22
    b.ne 7f
    adr x23, after_pc      // misaligned pc: resume at the label
    b 6f
7:  cmp x0, #0x21
    b.ne 5f
    ldr x23, [sp, #8]      // instruction abort after blr: resume at its return address (saved x30)
    b 6f
5:  add x23, x23, #4
6:  msr elr_el1, x23
4:  ldp x29, x30, [sp], #16
    eret

#include "print.S"

    .align 4
stack: .space 4096
stack_top:

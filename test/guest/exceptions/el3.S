// From EL3 down to EL1 through ERET (as the tutorial's boot.S does), then SMC
// back up to EL3 and HVC to EL2. Handlers print ESR/ELR/SPSR of their EL.
// Run at EL3 (QEMU -M virt,secure=on,virtualization=on, or rpi-os run --el 3).
#include "print.h"

.section .text.boot
.globl _start
_start:
    adr x0, stack3_top
    mov sp, x0
    PRINT "start at EL "
    mrs x0, currentel
    lsr x0, x0, #2
    bl puthex
    PRINT "\n"
    adr x0, vectors3
    msr vbar_el3, x0
    adr x0, vectors2
    msr vbar_el2, x0
    adr x0, vectors1
    msr vbar_el1, x0
    // EL2 and EL1 in AArch64, non-secure, HVC enabled.
    mov x0, #((1 << 10) | (1 << 8) | (1 << 0))
    msr scr_el3, x0
    mov x0, #(1 << 31)
    msr hcr_el2, x0
    mov x0, #0x0800
    movk x0, #0x30d0, lsl #16
    msr sctlr_el1, x0
    adr x0, stack2_top
    msr sp_el2, x0
    adr x0, stack1_top
    msr sp_el1, x0
    mov x0, #0x3c5          // EL1h, DAIF masked
    msr spsr_el3, x0
    adr x0, el1_entry
    msr elr_el3, x0
    eret

el1_entry:
    PRINT "now at EL "
    mrs x0, currentel
    lsr x0, x0, #2
    bl puthex
    PRINT "\n"
    PRINT "smc from EL1\n"
    smc #0x33
    PRINT "hvc from EL1\n"
    hvc #0x44
    PRINT "svc from EL1\n"
    svc #0x55
    PRINT "done\n"
    b exit

.macro TABLE name, handler
    .align 11
\name:
    .rept 16
    .align 7
    stp x29, x30, [sp, #-16]!
    b \handler
    .endr
.endm

TABLE vectors3, h3
TABLE vectors2, h2
TABLE vectors1, h1

.macro REPORT el
    PRINT "  EL\el esr "
    mrs x0, esr_el\el
    bl puthex
    PRINT " elr _start+"
    mrs x0, elr_el\el
    adr x1, _start
    sub x0, x0, x1
    bl puthex
    PRINT " spsr "
    mrs x0, spsr_el\el
    bl puthex
    PRINT " sp selected "
    mrs x0, spsel
    bl puthex
    PRINT "\n"
    ldp x29, x30, [sp], #16
    eret
.endm

h3: REPORT 3
h2: REPORT 2
h1: REPORT 1

#include "print.S"

    .align 4
    .space 2048
stack3_top:
    .space 2048
stack2_top:
    .space 2048
stack1_top:

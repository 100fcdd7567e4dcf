// EL0 accesses that SCTLR_EL1 and CNTKCTL_EL1 trap to EL1 (ARM ARM D1.14.3; ESR EC 0x18 for
// MRS/MSR/SYS, EC 0x01 for WFI), and what stays UNDEFINED (EC 0x00). Each case sets SCTLR_EL1 and
// CNTKCTL_EL1 at EL1, then runs a few instructions at EL0t ending in `svc #0`; the handler
// prints the vector offset, ESR_EL1 and ELR_EL1 (relative to _start) of every trap and resumes
// after the trapped instruction; `svc #1` prints x0 (a value read at EL0). Printing is done at EL1
// only (semihosting is not available to EL0 on QEMU). Run at EL1 with semihosting
// (QEMU -M virt -cpu cortex-a53 -semihosting, or rpi-os run --el 1 --semihosting).
// Not here because QEMU differs from the ARM ARM: a WFE that would wait is trapped by nTWE = 0
// (QEMU never traps WFE); test/el0-traps.test.ts checks that one against the ARM ARM.
#include "print.h"

// SCTLR_EL1 RES1 bits (29:28, 23:22, 20, 11); MMU, caches, alignment checks off.
#define SCTLR_BASE 0x30d00800
#define UCI (1 << 26)
#define NTWE (1 << 18)
#define NTWI (1 << 16)
#define UCT (1 << 15)
#define DZE (1 << 14)
#define UMA (1 << 9)

// CASE "title", sctlr bits, cntkctl, label of the EL0 code
.macro CASE title, bits, kctl, code
    PRINT "\title\n"
    ldr x0, =(SCTLR_BASE | \bits)
    msr sctlr_el1, x0
    mov x0, #\kctl
    msr cntkctl_el1, x0
    isb
    adr x0, \code
    bl run_el0
.endm

.section .text.boot
.globl _start
_start:
    msr nzcv, xzr
    adr x0, stack_top
    mov sp, x0
    adr x0, vectors
    msr vbar_el1, x0
    adr x0, stack0_top
    msr sp_el0, x0
    isb
    CASE "mrs daif, UMA=0", 0, 0, c_mrs_daif
    CASE "msr daif, UMA=0", 0, 0, c_msr_daif
    CASE "msr daifset/daifclr, UMA=0", 0, 0, c_daifset
    CASE "daif with UMA=1", UMA, 0, c_daif_ok
    CASE "mrs ctr_el0, UCT=0", 0, 0, c_ctr
    CASE "mrs ctr_el0, UCT=1", UCT, 0, c_ctr
    CASE "dc zva and dczid_el0, DZE=0", 0, 0, c_zva
    CASE "dc zva and dczid_el0, DZE=1", DZE, 0, c_zva
    CASE "cache maintenance by VA, UCI=0", 0, 0, c_uci
    CASE "cache maintenance by VA, UCI=1", UCI, 0, c_uci
    CASE "wfi, nTWI=0", 0, 0, c_wfi
    CASE "wfe with the event register set, nTWE=0", 0, 0, c_wfe_set
    CASE "generic timer, CNTKCTL_EL1=0", 0, 0, c_timer
    CASE "generic timer, CNTKCTL_EL1=EL0PCTEN|EL0VCTEN", 0, 0x3, c_timer
    CASE "generic timer, CNTKCTL_EL1=EL0PTEN|EL0VTEN", 0, 0x300, c_timer
    CASE "undefined at EL0 whatever SCTLR_EL1 says", (UCI | UCT | DZE | UMA | NTWI | NTWE), 0x303, c_undef
    PRINT "done\n"
    b exit

// run_el0(x0 = code): ERET to EL0t at x0 with interrupts masked; returns when it does svc #0.
run_el0:
    adr x1, saved_lr
    str x30, [x1]
    msr elr_el1, x0
    mov x1, #0x3c0
    msr spsr_el1, x1
    eret

// ---- EL0 code ----
c_mrs_daif:
    mrs x0, daif
    svc #0
c_msr_daif:
    mov x0, #0x3c0
    msr daif, x0
    svc #0
c_daifset:
    msr daifset, #2
    msr daifclr, #2
    svc #0
c_daif_ok:
    mrs x0, daif
    svc #1
    msr daifclr, #4
    msr daifset, #4
    mrs x0, daif
    svc #1
    svc #0
c_ctr:
    mov x0, #0
    mrs x0, ctr_el0
    svc #1
    svc #0
c_zva:
    adr x1, zva_block
    mov x0, #0x5a
    strb w0, [x1]
    dc zva, x1
    ldrb w0, [x1]
    svc #1
    mrs x0, dczid_el0
    svc #1
    svc #0
c_uci:
    adr x1, zva_block
    dc cvau, x1
    dc civac, x1
    dc cvac, x1
    ic ivau, x1
    svc #0
c_wfi:
    wfi
    svc #0
c_wfe_set:
    sevl
    wfe
    svc #0
c_timer:                   // x0 = 0x77 where a trapped read would leave it (CNTFRQ_EL0 differs: not printed)
    mrs x0, cntpct_el0
    mrs x0, cntvct_el0
    mrs x0, cntfrq_el0
    mov x0, #0x77
    mrs x0, cntp_ctl_el0
    svc #1
    msr cntp_ctl_el0, xzr
    mov x0, #0x77
    mrs x0, cntv_ctl_el0
    svc #1
    msr cntv_cval_el0, xzr
    svc #0
c_undef:
    mrs x0, sctlr_el1
    msr tpidrro_el0, x0
    mrs x0, tpidrro_el0
    msr s3_3_c0_c0_1, x0   // CTR_EL0 is read-only: no MSR form
    dc ivac, x1
    msr spsel, #0
    eret
    svc #0

// ---- vectors: only "lower EL, AArch64, synchronous" (0x400) is expected ----
.macro VENTRY off
    .align 7
    mov x19, #\off
    b handler
.endm

    .align 11
vectors:
    .irp off, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
    VENTRY \off
    .endr

handler:                   // keeps x0 and x1 of EL0 (the EL0 code uses them)
    mov x20, x0
    mov x21, x1
    mrs x22, esr_el1
    mrs x23, elr_el1
    lsr x24, x22, #26
    cmp x24, #0x15
    b.ne trapped
    and x0, x22, #0xffff
    cbz x0, back_to_el1
    PRINT "  x0 "              // svc #1: print the value EL0 read
    PRINTHEX x20
    PRINT "\n"
    mov x0, x20
    mov x1, x21
    eret
back_to_el1:
    adr x1, saved_lr
    ldr x30, [x1]
    ret
trapped:
    PRINT "  vector "
    PRINTHEX x19
    PRINT " esr "
    PRINTHEX x22
    PRINT " elr _start+"
    adr x1, _start
    sub x0, x23, x1
    bl puthex
    PRINT "\n"
    add x23, x23, #4
    msr elr_el1, x23
    mov x0, x20
    mov x1, x21
    eret

#include "print.S"

    .align 3
saved_lr: .quad 0
    .align 6
zva_block: .space 64
    .align 4
stack0: .space 1024
stack0_top:
stack: .space 4096
stack_top:

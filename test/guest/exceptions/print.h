// Macros of the exception test programs: PRINT "text" and PRINTHEX reg (semihosting).
#ifndef PRINT_H
#define PRINT_H
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18

.macro PRINT str
    adr x0, 9999f
    bl puts
    b 9998f
9999: .asciz "\str"
    .align 2
9998:
.endm

.macro PRINTHEX reg
    mov x0, \reg
    bl puthex
.endm

#endif

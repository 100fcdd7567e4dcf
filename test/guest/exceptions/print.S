// Semihosting output routines of the exception test programs (our own code).
// puts: x0 = string; puthex: x0 = value (prints 0x...); both clobber x0-x3, x9-x11.
#include "print.h"

puts:
    mov x1, x0
    mov x0, #SYS_WRITE0
    hlt #0xf000
    ret

puthex:
    mov x11, x30
    adr x9, hexbuf
    mov w10, #'0'
    strb w10, [x9], #1
    mov w10, #'x'
    strb w10, [x9], #1
    mov x2, #60
1:  lsr x3, x0, x2
    and x3, x3, #0xf
    cmp x3, #10
    b.lt 2f
    add x3, x3, #('a' - 10)
    b 3f
2:  add x3, x3, #'0'
3:  strb w3, [x9], #1
    subs x2, x2, #4
    b.ge 1b
    strb wzr, [x9]
    adr x0, hexbuf
    bl puts
    mov x30, x11
    ret

exit:
    adr x1, exit_block
    mov x0, #SYS_EXIT
    hlt #0xf000
    b .

    .align 3
exit_block: .quad 0x20026, 0
hexbuf: .space 24
    .align 2

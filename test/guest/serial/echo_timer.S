// Echo every byte the mini UART receives while the system timer interrupts every 10 ms;
// each tick prints one 0xFF byte. Our own test program for serial input in virtual time
// (test/serial-input.test.ts): with kernel_old (image at 0, every core at 0 in EL3) the
// output is the input with 0xFF bytes between, one per tick.

#define PERIPH          0x3F000000
#define GPFSEL1         (PERIPH + 0x200004)
#define AUX_ENABLES     (PERIPH + 0x215004)
#define AUX_MU_IO_REG   (PERIPH + 0x215040)
#define AUX_MU_IER_REG  (PERIPH + 0x215044)
#define AUX_MU_LCR_REG  (PERIPH + 0x21504C)
#define AUX_MU_LSR_REG  (PERIPH + 0x215054)
#define AUX_MU_CNTL_REG (PERIPH + 0x215060)
#define AUX_MU_BAUD_REG (PERIPH + 0x215068)
#define TIMER_CS        (PERIPH + 0x3000)
#define TIMER_CLO       (PERIPH + 0x3004)
#define TIMER_C1        (PERIPH + 0x3010)
#define ENABLE_IRQS_1   (PERIPH + 0xB210)
#define INTERVAL        10000           // microseconds

.section ".text.boot"
.globl _start
_start:
    mrs     x0, mpidr_el1
    and     x0, x0, #3
    cbz     x0, primary
park:
    wfe
    b       park

primary:
    ldr     w5, =INTERVAL           // w5 stays INTERVAL (the tick handler uses it)
    ldr     x0, =0x80000
    mov     sp, x0
    // GPIO14/15 to ALT5 (TXD1/RXD1), mini UART on, 8 bits, 115200 baud at 250 MHz.
    ldr     x0, =GPFSEL1
    ldr     w1, [x0]
    and     w1, w1, #~(0x3F << 12)
    ldr     w2, =(0x12 << 12)
    orr     w1, w1, w2
    str     w1, [x0]
    ldr     x0, =AUX_ENABLES
    mov     w1, #1
    str     w1, [x0]
    ldr     x0, =AUX_MU_IER_REG
    str     wzr, [x0]
    ldr     x0, =AUX_MU_LCR_REG
    mov     w1, #3
    str     w1, [x0]
    ldr     x0, =AUX_MU_BAUD_REG
    mov     w1, #270
    str     w1, [x0]
    ldr     x0, =AUX_MU_CNTL_REG
    mov     w1, #3
    str     w1, [x0]
    // IRQs to EL3 (SCR_EL3.IRQ), vectors here.
    adr     x0, vectors
    msr     vbar_el3, x0
    mrs     x0, scr_el3
    orr     x0, x0, #(1 << 1)
    msr     scr_el3, x0
    // System timer compare 1 in INTERVAL, its interrupt enabled (GPU IRQ 1).
    ldr     x0, =TIMER_CLO
    ldr     w1, [x0]
    add     w1, w1, w5
    ldr     x0, =TIMER_C1
    str     w1, [x0]
    ldr     x0, =ENABLE_IRQS_1
    mov     w1, #2
    str     w1, [x0]
    msr     daifclr, #2

    ldr     x3, =AUX_MU_LSR_REG
    ldr     x4, =AUX_MU_IO_REG
echo:
    ldr     w1, [x3]
    tbz     w1, #0, echo            // LSR bit 0: data ready
    ldr     w2, [x4]
1:  ldr     w1, [x3]
    tbz     w1, #5, 1b              // LSR bit 5: transmitter empty
    str     w2, [x4]
    b       echo

// One tick: re-arm C1, acknowledge CS.M1, send 0xFF.
tick:
    stp     x0, x1, [sp, #-32]!
    stp     x2, x3, [sp, #16]
    ldr     x0, =TIMER_C1
    ldr     w1, [x0]
    add     w1, w1, w5
    str     w1, [x0]
    ldr     x0, =TIMER_CS
    mov     w1, #2
    str     w1, [x0]
    ldr     x2, =AUX_MU_LSR_REG
1:  ldr     w1, [x2]
    tbz     w1, #5, 1b
    ldr     x0, =AUX_MU_IO_REG
    mov     w1, #0xFF
    str     w1, [x0]
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp], #32
    eret

    .ltorg
    .balign 0x800
vectors:
    .rept 5
    b       .                       // synchronous or others: stop here
    .balign 0x80
    .endr
    b       tick                    // IRQ, current EL with SP_ELx (VBAR + 0x280)
    .balign 0x80
    .rept 10
    b       .
    .balign 0x80
    .endr

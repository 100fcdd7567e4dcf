/* Run-time support of our test kernels (not the tutorial's code): MMIO,
 * mini UART, tiny formatting, and the exception entry helpers of vectors.S. */
#ifndef RT_H
#define RT_H

#define PBASE 0x3F000000UL
#define LOCAL_BASE 0x40000000UL

/* BCM2835 registers (datasheet names). */
#define GPFSEL1            (PBASE + 0x200004)
#define GPPUD              (PBASE + 0x200094)
#define GPPUDCLK0          (PBASE + 0x200098)
#define AUX_IRQ            (PBASE + 0x215000)
#define AUX_ENABLES        (PBASE + 0x215004)
#define AUX_MU_IO_REG      (PBASE + 0x215040)
#define AUX_MU_IER_REG     (PBASE + 0x215044)
#define AUX_MU_IIR_REG     (PBASE + 0x215048)
#define AUX_MU_LCR_REG     (PBASE + 0x21504C)
#define AUX_MU_MCR_REG     (PBASE + 0x215050)
#define AUX_MU_LSR_REG     (PBASE + 0x215054)
#define AUX_MU_CNTL_REG    (PBASE + 0x215060)
#define AUX_MU_BAUD_REG    (PBASE + 0x215068)
#define TIMER_CS           (PBASE + 0x3000)
#define TIMER_CLO          (PBASE + 0x3004)
#define TIMER_C1           (PBASE + 0x3010)
#define TIMER_C3           (PBASE + 0x3018)
#define IRQ_BASIC_PENDING  (PBASE + 0xB200)
#define IRQ_PENDING_1      (PBASE + 0xB204)
#define ENABLE_IRQS_1      (PBASE + 0xB210)
#define DISABLE_IRQS_1     (PBASE + 0xB21C)
#define LOCAL_INT_ROUTING  (LOCAL_BASE + 0x24)
#define LOCAL_TIMER_CONTROL (LOCAL_BASE + 0x34)
#define LOCAL_TIMER_WRITE  (LOCAL_BASE + 0x38)
#define CORE0_TIMER_IRQCNTL (LOCAL_BASE + 0x40)
#define CORE0_IRQ_SOURCE   (LOCAL_BASE + 0x60)

static inline void put32(unsigned long addr, unsigned int v) { *(volatile unsigned int *)addr = v; }
static inline unsigned int get32(unsigned long addr) { return *(volatile unsigned int *)addr; }

void uart_init(void);
void uart_putc(char c);
char uart_getc(void);
void uart_puts(const char *s);
void uart_hex(unsigned long v);
void uart_dec(unsigned long v);

/* vectors.S / util.S */
void vectors_install(void);
void irq_enable(void);
void irq_disable(void);
unsigned long current_el(void);
void drop_to_el1(void (*entry)(void));
void wait_forever(void);

/* Called from vectors.S; the kernel defines what it needs (weak defaults in rt.c). */
void handle_irq(void);
/* Returns the ELR to resume at (0: hang). */
unsigned long handle_exception(unsigned long vector, unsigned long esr, unsigned long elr, unsigned long far);

#endif

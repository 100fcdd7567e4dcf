// What our linker generates for host-bound symbols, written out for GNU ld:
// `hlt #imm; ret` trampolines (imm from 0x100 in name order) and the return stub.
.section .text.host
.globl handle_irq, kernel_main, show_invalid_entry_message, __host_return
handle_irq:			hlt #0x100
				ret
kernel_main:			hlt #0x101
				ret
show_invalid_entry_message:	hlt #0x102
				ret
__host_return:			hlt #0xefff

// irq.c: the interrupt controller set-up and the C side of the vectors.
import { get32, put32 } from "./utils.js";
import { printf } from "./printf.js";
import { handle_timer_irq } from "./timer.js";
import { IRQ_PENDING_1, ENABLE_IRQS_1, SYSTEM_TIMER_IRQ_1 } from "./peripherals/irq.js";

export const entry_error_messages = [
  "SYNC_INVALID_EL1t", "IRQ_INVALID_EL1t", "FIQ_INVALID_EL1t", "ERROR_INVALID_EL1T",
  "SYNC_INVALID_EL1h", "IRQ_INVALID_EL1h", "FIQ_INVALID_EL1h", "ERROR_INVALID_EL1h",
  "SYNC_INVALID_EL0_64", "IRQ_INVALID_EL0_64", "FIQ_INVALID_EL0_64", "ERROR_INVALID_EL0_64",
  "SYNC_INVALID_EL0_32", "IRQ_INVALID_EL0_32", "FIQ_INVALID_EL0_32", "ERROR_INVALID_EL0_32",
];

export function enable_interrupt_controller(): void {
  put32(ENABLE_IRQS_1, SYSTEM_TIMER_IRQ_1);
}

/** Called by handle_invalid_entry (entry.S) with the vector number, ESR_EL1 and ELR_EL1. */
export function show_invalid_entry_message(type: bigint, esr: bigint, address: bigint): void {
  printf("%s, ESR: %x, address: %x\r\n", entry_error_messages[Number(type)] ?? `vector ${type}`, esr, address);
}

/** Called by el1_irq (entry.S) between kernel_entry and kernel_exit. */
export function handle_irq(): void {
  const irq = get32(IRQ_PENDING_1);
  switch (irq) {
    case SYSTEM_TIMER_IRQ_1:
      handle_timer_irq();
      break;
    default:
      // An exact match, as in the lesson: two pending sources at once land here too.
      printf("Unknown pending irq: %x\r\n", irq);
  }
}

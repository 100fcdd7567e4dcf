// drivers/irqchip/irq-bcm2835.c: the BCM2835 ARM interrupt controller, chained
// under the BCM2836 local controller's GPU interrupt (as on the Pi 3). Its
// hwirqs are bank << 5 | bit: bank 0 the basic sources, 1 and 2 the GPU IRQs
// 0-31 and 32-63. The chained handler services every pending bit.

import { get32, put32 } from "../utils.js";
import { fn } from "./trace.js";
import {
  irq_domain_add_linear, irq_create_mapping, irq_find_mapping, irq_set_chained_handler, generic_handle_irq,
  handle_level_irq, type irq_chip, type irq_desc, type irq_domain,
} from "./irqdesc.js";
import { local_domain, LOCAL_IRQ_GPU_FAST } from "./irq-bcm2836.js";

const PBASE = 0x3f000000;
const IRQ_BASIC_PENDING = PBASE + 0xb200;
const IRQ_PENDING_1 = PBASE + 0xb204;
const IRQ_PENDING_2 = PBASE + 0xb208;
const ENABLE_IRQS_1 = PBASE + 0xb210;
const ENABLE_IRQS_2 = PBASE + 0xb214;
const ENABLE_BASIC_IRQS = PBASE + 0xb218;
const DISABLE_IRQS_1 = PBASE + 0xb21c;
const DISABLE_IRQS_2 = PBASE + 0xb220;
const DISABLE_BASIC_IRQS = PBASE + 0xb224;

const ENABLE = [ENABLE_BASIC_IRQS, ENABLE_IRQS_1, ENABLE_IRQS_2];
const DISABLE = [DISABLE_BASIC_IRQS, DISABLE_IRQS_1, DISABLE_IRQS_2];
const BANK0_HWIRQ_MASK = 0xff;
const BANK1_PENDING = 1 << 8;
const BANK2_PENDING = 1 << 9;

export const MAKE_HWIRQ = (bank: number, irq: number) => (bank << 5) | irq;

export const armctrl_chip: irq_chip = {
  name: "ARMCTRL-level",
  irq_mask: (d) => put32(DISABLE[d.hwirq >> 5], 1 << (d.hwirq & 31)),
  irq_unmask: (d) => put32(ENABLE[d.hwirq >> 5], 1 << (d.hwirq & 31)),
};

export let armctrl_domain: irq_domain | undefined;

const ffs = (v: number) => 31 - Math.clz32(v & -v);

/** The next pending hwirq, or -1: basic sources first, then pending 1 and 2. */
function get_next_armctrl_hwirq(): number {
  const stat = get32(IRQ_BASIC_PENDING);
  if (stat & BANK0_HWIRQ_MASK) return MAKE_HWIRQ(0, ffs(stat & BANK0_HWIRQ_MASK));
  if (stat & BANK1_PENDING) return MAKE_HWIRQ(1, ffs(get32(IRQ_PENDING_1)));
  if (stat & BANK2_PENDING) return MAKE_HWIRQ(2, ffs(get32(IRQ_PENDING_2)));
  return -1;
}

/** The chained flow handler on the local controller's GPU interrupt. */
export function bcm2836_chained_handle_irq(_desc: irq_desc): void {
  fn("bcm2836_chained_handle_irq");
  for (let hwirq = get_next_armctrl_hwirq(); hwirq >= 0; hwirq = get_next_armctrl_hwirq()) {
    generic_handle_irq(irq_find_mapping(armctrl_domain!, hwirq));
  }
}

export function bcm2836_armctrl_of_init(): irq_domain {
  armctrl_domain = irq_domain_add_linear("bcm2835-armctrl", 96, armctrl_chip, handle_level_irq);
  // Every line starts masked, as the driver's init does.
  for (const reg of DISABLE) put32(reg, 0xffffffff);
  const parent = irq_find_mapping(local_domain!, LOCAL_IRQ_GPU_FAST);
  irq_set_chained_handler(parent, bcm2836_chained_handle_irq, "chained");
  return armctrl_domain;
}

/** The Linux IRQ number of a GPU interrupt (0-63), creating the mapping. */
export function gpu_irq(n: number): number {
  return irq_create_mapping(armctrl_domain!, MAKE_HWIRQ(1 + (n >> 5), n & 31));
}

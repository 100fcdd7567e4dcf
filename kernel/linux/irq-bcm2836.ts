// drivers/irqchip/irq-bcm2836.c: the root controller of the Pi 3 (BCM2836 "local"
// controller). Its hwirqs are the bits of COREn_IRQ_SOURCE; bit 8 is the GPU
// interrupt, behind which the BCM2835 controller is chained.

import { get32, put32 } from "../utils.js";
import { fn } from "./trace.js";
import {
  irq_domain_add_linear, irq_create_mapping, irq_find_mapping, generic_handle_irq, handle_level_irq, irq_to_desc,
  type irq_chip, type irq_data, type irq_domain,
} from "./irqdesc.js";

const LOCAL_BASE = 0x40000000;
export const LOCAL_TIMER_CONTROL = LOCAL_BASE + 0x34;
export const LOCAL_INT_ROUTING = LOCAL_BASE + 0x24;
export const CORE0_TIMER_IRQCNTL = LOCAL_BASE + 0x40;
export const CORE0_MBOX_IRQCNTL = LOCAL_BASE + 0x50;
export const CORE0_IRQ_SOURCE = LOCAL_BASE + 0x60;

export const LOCAL_IRQ_CNTPSIRQ = 0;
export const LOCAL_IRQ_CNTPNSIRQ = 1;
export const LOCAL_IRQ_CNTHPIRQ = 2;
export const LOCAL_IRQ_CNTVIRQ = 3;
export const LOCAL_IRQ_MAILBOX0 = 4;
export const LOCAL_IRQ_GPU_FAST = 8;
export const LOCAL_IRQ_PMU_FAST = 9;
export const LOCAL_IRQ_LOCAL_TIMER = 11;
const LAST_IRQ = LOCAL_IRQ_LOCAL_TIMER;

const LT_INT_ENABLE = 1 << 29;

function setBit(reg: number, bit: number, on: boolean): void {
  const v = get32(reg);
  put32(reg, on ? v | (1 << bit) : v & ~(1 << bit));
}

function maskUnmask(d: irq_data, on: boolean): void {
  const hw = d.hwirq;
  if (hw <= LOCAL_IRQ_CNTVIRQ) setBit(CORE0_TIMER_IRQCNTL, hw, on);
  else if (hw < LOCAL_IRQ_GPU_FAST) setBit(CORE0_MBOX_IRQCNTL, hw - LOCAL_IRQ_MAILBOX0, on);
  else if (hw === LOCAL_IRQ_LOCAL_TIMER) setBit(LOCAL_TIMER_CONTROL, 29, on);
  // GPU_FAST: routed to core 0 by GPU_INT_ROUTING, nothing to mask here.
}

export const bcm2836_arm_irqchip: irq_chip = {
  name: "bcm2836-local",
  irq_mask: (d) => maskUnmask(d, false),
  irq_unmask: (d) => maskUnmask(d, true),
};
// Linux gives the lines of this domain chips named after what they carry (irq-bcm2836.c),
// and /proc/interrupts shows those names.
const chipNamed = (name: string): irq_chip => ({ ...bcm2836_arm_irqchip, name });
export const bcm2836_arm_irqchip_timer = chipNamed("bcm2836-timer");
export const bcm2836_arm_irqchip_pmu = chipNamed("bcm2836-pmu");
export const bcm2836_arm_irqchip_gpu = chipNamed("bcm2836-gpu");
function chipFor(hw: number): irq_chip {
  if (hw <= LOCAL_IRQ_CNTVIRQ) return bcm2836_arm_irqchip_timer;
  if (hw === LOCAL_IRQ_PMU_FAST) return bcm2836_arm_irqchip_pmu;
  if (hw === LOCAL_IRQ_GPU_FAST) return bcm2836_arm_irqchip_gpu;
  return bcm2836_arm_irqchip;
}

export let local_domain: irq_domain | undefined;

/** The root handler set with set_handle_irq: one source per entry, lowest bit first. */
export function bcm2836_arm_irqchip_handle_irq(): void {
  fn("bcm2836_arm_irqchip_handle_irq");
  const stat = get32(CORE0_IRQ_SOURCE);
  if (!stat) return;
  const hwirq = 31 - Math.clz32(stat & -stat); // ffs(stat) - 1
  generic_handle_irq(irq_find_mapping(local_domain!, hwirq));
}

export function bcm2836_arm_irqchip_l1_intc_of_init(): irq_domain {
  local_domain = irq_domain_add_linear("bcm2836-local", LAST_IRQ + 1, bcm2836_arm_irqchip, handle_level_irq);
  for (let hw = 0; hw <= LAST_IRQ; hw++) {
    if (hw === 10) continue;
    irq_to_desc(irq_create_mapping(local_domain, hw))!.irq_data.chip = chipFor(hw);
  }
  return local_domain;
}

export { LT_INT_ENABLE };

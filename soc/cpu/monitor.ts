// The local exclusive monitor of LDXR/STXR (ARM ARM B2.9.2), one per core.
//
// A single global monitor would be needed for cross-core atomics; cores run in
// quanta on one host thread, and a store by any core to a monitored granule
// clears every core's reservation (see noteStore), which gives the same result
// for the spin locks and atomics gcc emits.

import { coreId } from "./state";
import { eventRegister } from "./control";

const GRANULE_MASK: u64 = ~(63 as u64); // Cortex-A53 exclusive reservation granule: 64 bytes
const NO_RESERVATION: u64 = 0xFFFFFFFFFFFFFFFF;

const reservation = new StaticArray<u64>(4);
for (let i = 0; i < 4; i++) reservation[i] = NO_RESERVATION;

/** True while some core may hold a reservation: lets plain stores skip noteStore. */
export let anyReservation: bool = false;

export function markExclusive(addr: u64): void {
  unchecked(reservation[coreId] = addr & GRANULE_MASK);
  anyReservation = true;
}

/** This core holds a reservation (a STXR without one fails before any translation, as in QEMU). */
export function hasReservation(): bool { return unchecked(reservation[coreId]) != NO_RESERVATION; }

/** True if this core still holds a reservation on addr's granule; clears it either way. */
export function checkExclusive(addr: u64): bool {
  const ok = unchecked(reservation[coreId]) == (addr & GRANULE_MASK);
  clearExclusive();
  return ok;
}

export function clearExclusive(): void {
  unchecked(reservation[coreId] = NO_RESERVATION);
  recomputeAnyReservation();
}

/** Compiled code runs only while no core holds a reservation (cpu/jit.ts). */
function recomputeAnyReservation(): void {
  anyReservation = false;
  for (let i = 0; i < 4; i++) if (unchecked(reservation[i]) != NO_RESERVATION) anyReservation = true;
}

/** A store by another core to a reserved granule breaks that reservation. */
export function noteStore(addr: u64): void {
  const g = addr & GRANULE_MASK;
  for (let i = 0; i < 4; i++) {
    if (i != coreId && unchecked(reservation[i]) == g) {
      unchecked(reservation[i] = NO_RESERVATION);
      // The global monitor of core i went from Exclusive to Open: a WFE wake-up event for it
      // (ARM ARM D1.16.2). This is how a Linux spinlock's waiter learns the lock was released.
      unchecked(eventRegister[i] = true);
    }
  }
  recomputeAnyReservation();
}

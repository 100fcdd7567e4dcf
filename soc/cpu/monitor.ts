// The local exclusive monitor of LDXR/STXR (ARM ARM B2.9.2), one per core.
//
// A single global monitor would be needed for cross-core atomics; cores run in
// quanta on one host thread, and a store by any core to a monitored granule
// clears every core's reservation (see noteStore), which gives the same result
// for the spin locks and atomics gcc emits.

import { coreId } from "./state";
import { eventRegister } from "./control";

const GRANULE_MASK: u64 = ~(63 as u64); // Cortex-A53 exclusive reservation granule: 64 bytes
export const NO_RESERVATION: u64 = 0xFFFFFFFFFFFFFFFF;

const reservation = new StaticArray<u64>(4);
for (let i = 0; i < 4; i++) reservation[i] = NO_RESERVATION;

/** True while some core may hold a reservation: lets plain stores skip noteStore. */
export let anyReservation: bool = false;

/** Counts each core's reservations: a TLB table guarded for one (mmu.ts guardReservations) knows it. */
const reservationSerial = new StaticArray<u32>(4);

export function markExclusive(addr: u64): void {
  unchecked(reservation[coreId] = addr & GRANULE_MASK);
  unchecked(reservationSerial[coreId] = reservationSerial[coreId] + 1);
  anyReservation = true;
}

/** Core `core`'s reserved granule (physical), or NO_RESERVATION. */
export function reservedGranule(core: i32): u64 { return unchecked(reservation[core]); }
export function reservationNumber(core: i32): u32 { return unchecked(reservationSerial[core]); }

/** Another core than this one holds a reservation in the physical page `page`. */
export function pageReservedByOther(page: u64): bool {
  for (let i = 0; i < 4; i++) {
    if (i != coreId && (unchecked(reservation[i]) & ~(0xFFF as u64)) == page) return true;
  }
  return false;
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

/**
 * Another core holds a reservation. Compiled code's stores do not tell the monitors (noteStore):
 * on this core it runs then only with the MMU on and its TLB table guarded (mmu.ts
 * guardReservations), so that a store to a reserved page leaves for the interpreter. This core's
 * own reservation does not matter: its stores never clear that, and LDXR/STXR are interpreted.
 */
export function otherCoreReserved(): bool {
  for (let i = 0; i < 4; i++) if (i != coreId && unchecked(reservation[i]) != NO_RESERVATION) return true;
  return false;
}

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

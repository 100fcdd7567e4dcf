// Modules the web build (scripts/web.mjs) makes up.
/** boot/*.S, boot/include/** and kernel/*.ts as text, by path ("boot/entry.S", "kernel/timer.ts"). */
declare module "lab-sources" { export const SOURCES: Record<string, string>; }

// The error a guest program or image causes (not a bug of ours): the CLI prints it as one line.
// In a file of its own so that code which only reports such errors (tools/sd_image.ts, the CLI's
// error handler) need not load the Machine and its compiler.

export class GuestError extends Error {}

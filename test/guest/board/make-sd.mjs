// The SD image the sdcard test kernel runs on under QEMU: 16 MiB, FAT16, two files
// (tools/fat.ts; test/board.test.ts builds the same image in memory).
import { writeFileSync } from "node:fs";
import { buildFatImage } from "../../../dist/tools/fat.js";
const enc = (s) => new TextEncoder().encode(s);
writeFileSync(process.argv[2], buildFatImage([
  { name: "HELLO.TXT", data: enc("Hello from an SD card.\n") },
  { name: "BOARD.MD", data: enc("# rpi-os board test\n".repeat(200)) },
]));

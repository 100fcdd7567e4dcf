// Prints the FP/SIMD table's decodable entries (mnemonic, fixed value, mask) as JSON,
// for gen_simd_sweep.py, which draws words from each of them.
import { simdEntries } from "../../tools/a64/simd.js";

process.stdout.write(JSON.stringify(simdEntries().filter((e) => !e.asmOnly).map((e) => ({ mn: e.mn, value: e.value, mask: e.mask }))));

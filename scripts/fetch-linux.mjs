// npm run fetch-linux [-- --force] [--quiet]: Debian's arm64 kernel and the Pi 3 B
// device tree, with apt, into the cache `rpi-os linux` boots from (tools/fetch-linux.ts).
// Prints the cache directory; a one-line error and status 1 otherwise.
import { fetchLinux, FetchError } from "../dist/tools/fetch-linux.js";

const quiet = process.argv.includes("--quiet");
try {
  const f = fetchLinux({ force: process.argv.includes("--force"), say: (s) => { if (!quiet) console.error(`fetch-linux: ${s}`); } });
  console.log(f.dir);
} catch (e) {
  if (!(e instanceof FetchError)) throw e;
  console.error(`fetch-linux: ${e.message}`);
  process.exit(1);
}

// Converts QEMU's screendump (binary PPM, P6) to PNG with pngjs.
import { readFileSync, writeFileSync } from "node:fs";
import { PNG } from "pngjs";
const ppm = readFileSync(process.argv[2]);
let pos = 0;
const token = () => {
  while (/\s/.test(String.fromCharCode(ppm[pos]))) pos++;
  let s = "";
  while (!/\s/.test(String.fromCharCode(ppm[pos]))) s += String.fromCharCode(ppm[pos++]);
  return s;
};
if (token() !== "P6") throw new Error("not a binary PPM");
const width = +token(), height = +token();
token(); pos++;
const png = new PNG({ width, height });
for (let i = 0; i < width * height; i++) {
  png.data[i * 4] = ppm[pos + i * 3]; png.data[i * 4 + 1] = ppm[pos + i * 3 + 1]; png.data[i * 4 + 2] = ppm[pos + i * 3 + 2]; png.data[i * 4 + 3] = 255;
}
writeFileSync(process.argv[3], PNG.sync.write(png));

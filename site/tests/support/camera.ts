// Chromium's fake camera plays a .y4m file: a short text header plus raw I420 frames.
import { writeFileSync } from "node:fs";
import type { PNG } from "pngjs";

/** I420 frames of a grey image: Y plane from the luminance, flat chroma. */
export function writeY4m(file: string, png: PNG, width = 640, height = 480, frames = 10): void {
  const luma = Buffer.alloc(width * height, 235); // white quiet zone all around
  const size = Math.min(width, height) - 80;
  const scale = size / Math.max(png.width, png.height);
  const x0 = Math.floor((width - png.width * scale) / 2);
  const y0 = Math.floor((height - png.height * scale) / 2);
  for (let y = 0; y < Math.floor(png.height * scale); y++) {
    for (let x = 0; x < Math.floor(png.width * scale); x++) {
      const sx = Math.min(png.width - 1, Math.floor(x / scale));
      const sy = Math.min(png.height - 1, Math.floor(y / scale));
      const i = (sy * png.width + sx) * 4;
      const alpha = png.data[i + 3]! / 255;
      const grey = 0.299 * png.data[i]! + 0.587 * png.data[i + 1]! + 0.114 * png.data[i + 2]!;
      const v = grey * alpha + 255 * (1 - alpha);
      luma[(y0 + y) * width + (x0 + x)] = v < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}

// Every ticket QR we issue must be readable by the door scanner's decoder, first time.
// The decoder here is the one phones without a native BarcodeDetector run (ZXing-C++ as
// WebAssembly, through the `barcode-detector` ponyfill); its .wasm file is the very one
// the site serves. The images are the tickets' own PNGs (as tickets.get returns them),
// placed into a camera-sized frame at the odd, non-integer scales a camera produces.
//
// This test exists because the first decoder (@zxing/browser) missed ~8% of these same
// images: a ticket that never scans. See docs/adr/0007-qr-decoder.md.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { generateToken, qrCodes, ticketUrl } from "@sipario/api";
import { ZXING_WASM_VERSION } from "barcode-detector/ponyfill";
import { PNG } from "pngjs";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const FRAME = { width: 640, height: 480 };
const TICKETS = 300;

/** The ticket PNG drawn into a grey camera frame, `side` pixels wide, nearest-neighbour. */
function cameraFrame(png: PNG, side: number, offset: { x: number; y: number }) {
  const data = new Uint8ClampedArray(FRAME.width * FRAME.height * 4).fill(230);
  const scale = side / png.width;
  const x0 = Math.floor((FRAME.width - side) / 2) + offset.x;
  const y0 = Math.floor((FRAME.height - side) / 2) + offset.y;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const source = (Math.floor(y / scale) * png.width + Math.floor(x / scale)) * 4;
      const target = ((y0 + y) * FRAME.width + x0 + x) * 4;
      // Ink is never pure black on a lit phone screen.
      const value = png.data[source]! < 128 ? 30 : 230;
      data[target] = data[target + 1] = data[target + 2] = value;
      data[target + 3] = 255;
    }
  }
  return { data, width: FRAME.width, height: FRAME.height, colorSpace: "srgb" as const };
}

describe("ticket QR codes and the scanner's decoder", () => {
  beforeAll(async () => {
    const wasm = readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm"));
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
  });

  it("the site serves the .wasm the ponyfill was built against", () => {
    // site/package.json pins zxing-wasm beside barcode-detector so Vite can emit the file;
    // a mismatched pair would load a binary the JavaScript glue does not expect.
    const wasmDir = dirname(require.resolve("zxing-wasm/reader/zxing_reader.wasm"));
    const served = (JSON.parse(readFileSync(join(wasmDir, "..", "..", "package.json"), "utf8")) as { version: string }).version;
    expect(served).toBe(ZXING_WASM_VERSION);
  });

  it(`reads ${TICKETS} random tickets at camera-like scales and offsets, every one`, async () => {
    const unread: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      // Origins vary in length in production; so does the QR version.
      const url = ticketUrl(i % 2 ? "https://biglietti.azionelab.it" : `http://127.0.0.1:${40000 + i}`, generateToken());
      const { pngDataUrl } = await qrCodes(url);
      const png = PNG.sync.read(Buffer.from(pngDataUrl.split(",")[1]!, "base64"));
      const side = Math.round(png.width * (1.3 + (i % 7) * 0.15));
      const frame = cameraFrame(png, side, { x: (i % 5) - 2, y: (i % 3) - 1 });
      const [first] = await readBarcodes(frame, { formats: ["QRCode"], maxNumberOfSymbols: 1 });
      if (first?.text !== url) unread.push(url);
    }
    expect(unread, `unreadable ticket QRs:\n${unread.join("\n")}`).toEqual([]);
  });
});

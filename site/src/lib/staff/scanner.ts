// Camera QR scanning through one interface, the Barcode Detection API: the browser's own
// BarcodeDetector where it reads QR codes (Chrome on Android, macOS, ChromeOS), otherwise
// the `barcode-detector` ponyfill, which runs ZXing-C++ compiled to WebAssembly. That covers
// iPhones (Safari has no BarcodeDetector), Firefox and desktop Chrome on Linux/Windows.
//
// Why not @zxing/browser (what we used first): its JavaScript port of the QR finder
// missed about 1 in 12 of our own ticket QRs even as perfect, still images (measured
// with 300 random tickets; jsQR and ZXing-C++ read all of them). A ticket that a
// phone cannot read at the door is the failure this route exists to prevent.
// See docs/adr/0007-qr-decoder.md and tests/qr-decoding.test.ts.

export type ScannerEngine = "native" | "zxing-wasm";

/** The camera works but the QR reader could not be loaded (offline, blocked): not a camera problem. */
export class ScannerLoadError extends Error {
  constructor(cause: unknown) {
    super("The QR reader could not be loaded.", { cause });
    this.name = "ScannerLoadError";
  }
}

export interface CameraScanner {
  stop(): void;
  engine: ScannerEngine;
  /** Turns the camera's light on or off; null where the camera has none (or the browser cannot). */
  torch: ((on: boolean) => Promise<void>) | null;
}

type TorchCapabilities = MediaTrackCapabilities & { torch?: boolean };

function torchControl(stream: MediaStream): CameraScanner["torch"] {
  const track = stream.getVideoTracks()[0];
  const capabilities = (track?.getCapabilities?.() ?? {}) as TorchCapabilities;
  if (!track || !capabilities.torch) return null;
  return (on) => track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
}

const CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
};

/** How often a frame is read: fast enough to feel instant, slow enough to spare a phone's battery. */
const FRAME_INTERVAL_MS = 180;
/** ~460 kB compressed: generous for a venue's patchy network, short enough to say so. */
const READER_LOAD_TIMEOUT_MS = 20_000;

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
type DetectorClass = { new (options: { formats: string[] }): Detector; getSupportedFormats(): Promise<string[]> };

async function nativeDetector(): Promise<Detector | null> {
  const Ctor = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Ctor) return null;
  try {
    const formats = await Ctor.getSupportedFormats();
    return formats.includes("qr_code") ? new Ctor({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

/**
 * The WebAssembly reader, loaded only on phones that need it. The .wasm file is served by
 * this site (Vite emits it as a hashed, immutable asset): the ponyfill's default is a CDN,
 * which our CSP refuses and a venue's network may not reach.
 */
async function wasmDetector(): Promise<Detector> {
  const [{ BarcodeDetector, prepareZXingModule, purgeZXingModule }, { default: wasmUrl }] = await Promise.all([
    import("barcode-detector/ponyfill"),
    import("zxing-wasm/reader/zxing_reader.wasm?url"),
  ]);
  const ready = prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
    fireImmediately: true,
  });
  // Wait for the reader here: if it cannot load, every frame would fail silently and the
  // camera view would look alive while reading nothing.
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("QR reader download timed out")), READER_LOAD_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    purgeZXingModule(); // so that pressing "Start camera" again downloads it again
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return new BarcodeDetector({ formats: ["qr_code"] });
}

export async function createDetector(): Promise<{ detector: Detector; engine: ScannerEngine }> {
  const native = await nativeDetector();
  if (native) return { detector: native, engine: "native" };
  return { detector: await wasmDetector(), engine: "zxing-wasm" };
}

/** Starts the camera into `video` and calls `onText` with every decoded QR text. */
export async function startCameraScanner(video: HTMLVideoElement, onText: (text: string) => void): Promise<CameraScanner> {
  video.setAttribute("playsinline", "");
  video.muted = true;
  // Ask for the camera first: the permission prompt should not wait for the reader to load.
  const stream = await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
  let stopped = false;
  const stopStream = () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  try {
    video.srcObject = stream;
    const [{ detector, engine }] = await Promise.all([
      createDetector().catch((error: unknown) => {
        throw new ScannerLoadError(error);
      }),
      video.play(),
    ]);
    const tick = async () => {
      if (stopped) return;
      try {
        if (video.readyState >= 2) {
          const codes = await detector.detect(video);
          if (!stopped && codes[0]?.rawValue) onText(codes[0].rawValue);
        }
      } catch {
        /* a frame that cannot be read: try the next */
      }
      if (!stopped) setTimeout(tick, FRAME_INTERVAL_MS);
    };
    void tick();
    video.dataset.engine = engine;
    return { engine, stop: stopStream, torch: torchControl(stream) };
  } catch (error) {
    // The reader failed to load (offline, blocked): release the camera, the page says why.
    stopStream();
    throw error;
  }
}

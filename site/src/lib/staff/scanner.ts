// Camera QR scanning: the browser's own BarcodeDetector where it exists (Android Chrome,
// Safari 17+), otherwise @zxing/browser, loaded only when needed.

export interface CameraScanner {
  stop(): void;
  engine: "barcode-detector" | "zxing";
}

const CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
};

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

/** Starts the camera into `video` and calls `onText` with every decoded QR text. */
export async function startCameraScanner(video: HTMLVideoElement, onText: (text: string) => void): Promise<CameraScanner> {
  video.setAttribute("playsinline", "");
  video.muted = true;
  const detector = await nativeDetector();
  if (detector) {
    const stream = await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
    video.srcObject = stream;
    await video.play();
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        if (video.readyState >= 2) {
          const codes = await detector.detect(video);
          if (codes[0]?.rawValue) onText(codes[0].rawValue);
        }
      } catch {
        /* a frame that cannot be read: try the next */
      }
      if (!stopped) setTimeout(tick, 180);
    };
    void tick();
    return {
      engine: "barcode-detector",
      stop() {
        stopped = true;
        for (const track of stream.getTracks()) track.stop();
        video.srcObject = null;
      },
    };
  }
  const { BrowserQRCodeReader } = await import("@zxing/browser");
  const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: 150 });
  const controls = await reader.decodeFromConstraints(CONSTRAINTS, video, (result) => {
    if (result) onText(result.getText());
  });
  return { engine: "zxing", stop: () => controls.stop() };
}

// Sound and vibration so a result is unmistakable without looking twice. Both are
// best-effort: browsers without them (or with autoplay blocked) just stay silent.
let audio: AudioContext | undefined;

/** Call from a user gesture (a tap): browsers only let audio start after one. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    audio = undefined;
  }
}

function tone(frequency: number, startOffset: number, duration: number, type: OscillatorType = "sine"): void {
  if (!audio || audio.state !== "running") return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = type;
  osc.frequency.value = frequency;
  const t0 = audio.currentTime + startOffset;
  gain.gain.setValueAtTime(0.0001, t0);
  gain.gain.exponentialRampToValueAtTime(0.3, t0 + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, t0 + duration);
  osc.connect(gain).connect(audio.destination);
  osc.start(t0);
  osc.stop(t0 + duration + 0.02);
}

function vibrate(pattern: number | number[]): void {
  try {
    navigator.vibrate?.(pattern);
  } catch {
    /* not supported */
  }
}

export type Feedback = "valid" | "success" | "refused" | "failed";

export function signal(kind: Feedback): void {
  switch (kind) {
    case "valid":
      tone(880, 0, 0.08);
      vibrate(40);
      break;
    case "success":
      tone(880, 0, 0.1);
      tone(1320, 0.12, 0.16);
      vibrate(120);
      break;
    case "refused":
      tone(220, 0, 0.22, "square");
      tone(180, 0.28, 0.3, "square");
      vibrate([250, 120, 250, 120, 250]);
      break;
    case "failed":
      tone(330, 0, 0.25, "triangle");
      vibrate([100, 80, 100]);
      break;
  }
}

/** RMS (0..1) of the microphone above which the member is taken to speak. */
export const SPEAKING_THRESHOLD = 0.02;
/** Loud this long before speaking starts, quiet this long before it stops (ms). */
export const SPEAKING_START_MS = 200;
export const SPEAKING_STOP_MS = 500;
const SAMPLE_MS = 50;

/**
 * Speaking from RMS samples: above the threshold for ~200 ms starts speaking, below it for
 * ~500 ms stops it; while muted the member stops at once. `onChange` is called on a change only,
 * so at most a few times a second.
 */
export class SpeakingHysteresis {
  private speaking = false;
  private since = 0;
  muted = false;

  constructor(private readonly onChange: (speaking: boolean) => void) {}

  /** One measurement: `level` is the RMS at time `at` (ms). */
  sample(level: number, at: number): void {
    const loud = !this.muted && level > SPEAKING_THRESHOLD;
    if (loud === this.speaking) {
      this.since = at;
      return;
    }
    if (this.muted || at - this.since >= (loud ? SPEAKING_START_MS : SPEAKING_STOP_MS)) {
      this.speaking = loud;
      this.since = at;
      this.onChange(loud);
    }
  }
}

/** Whether the member speaks, from a WebAudio `AnalyserNode` on the microphone. */
export class SpeakingDetector {
  private readonly context: AudioContext;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly hysteresis: SpeakingHysteresis;

  constructor(stream: MediaStream, onChange: (speaking: boolean) => void) {
    this.hysteresis = new SpeakingHysteresis(onChange);
    this.context = new AudioContext();
    void this.context.resume().catch(() => undefined);
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 1024;
    this.context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      this.hysteresis.sample(rms(samples), performance.now());
    }, SAMPLE_MS);
  }

  /** While muted nothing is sent, so the member is not speaking. */
  set muted(muted: boolean) {
    this.hysteresis.muted = muted;
  }

  stop(): void {
    clearInterval(this.timer);
    void this.context.close().catch(() => undefined);
  }
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / (samples.length || 1));
}

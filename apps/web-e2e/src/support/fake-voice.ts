import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const RATE = 48_000;
/** A 440 Hz tone for 2 s, then 1 s of silence; Chromium loops the file. */
const TONE_S = 2;
const SILENCE_S = 1;

let written: string | null = null;

/**
 * A WAV file for Chromium's fake microphone (`--use-file-for-fake-audio-capture`): the built-in
 * fake device beeps for a few milliseconds each second, too short to count as speaking (200 ms),
 * so no test could see the speaking ring. A person "speaks" 2 s of every 3, and any 1.5 s window
 * holds some of the tone, so the energy a peer receives grows in every window while unmuted.
 */
export function fakeVoiceFile(): string {
  if (written) return written;
  // One file for every run and worker: written once, renamed into place (workers may race).
  const file = path.join(os.tmpdir(), `mpqcht-fake-voice-${TONE_S}s-${SILENCE_S}s.wav`);
  if (fs.existsSync(file)) return (written = file);
  const samples = RATE * (TONE_S + SILENCE_S);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < RATE * TONE_S; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / RATE) * 0.3 * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16); // PCM chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, Buffer.concat([header, data]));
  fs.renameSync(partial, file);
  return (written = file);
}

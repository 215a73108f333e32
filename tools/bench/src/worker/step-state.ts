/** A worker's accounting of the current load step: deliveries, acks, their latency histograms. */
import { nowMs } from '../clock';
import { type Stamp, stampOf, stampOfBuffer } from '../content';
import { encode, newHistogram, recordMs } from '../histogram';
import type { Counts, Progress, StepCounts } from '../ipc';

export class StepState {
  private step = -1;
  private receive = newHistogram();
  private sampleReceive = newHistogram();
  private ack = newHistogram();
  private delivered = 0;
  private sampleDelivered = 0;
  private stale = 0;
  private sent = 0;
  private acked = 0;
  private ackErrors: Counts = {};
  private failed = 0;
  private frames = 0;
  private pendingAcks = 0;

  begin(step: number): void {
    this.step = step;
  }

  /** A frame on a minimal receiver (or a plain ws one): stamped frames are deliveries. */
  onFrame = (frame: Buffer): void => {
    this.frames += 1;
    this.deliver(stampOfBuffer(frame), false);
  };

  /** A decoded message's content on a socket.io-client receiver. */
  onContent = (content: string): void => {
    this.frames += 1;
    this.deliver(stampOf(content), true);
  };

  /** Any other frame a connection received (the senders' own copies, pushes), for `frames`. */
  onOther = (): void => {
    this.frames += 1;
  };

  private deliver(stamp: Stamp | undefined, sample: boolean): void {
    if (!stamp) return;
    if (stamp.step !== this.step) {
      this.stale += 1;
      return;
    }
    const ms = nowMs() - stamp.scheduledMs;
    this.delivered += 1;
    recordMs(this.receive, ms);
    if (sample) {
      this.sampleDelivered += 1;
      recordMs(this.sampleReceive, ms);
    }
  }

  /** A message went out; returns the callback for its ack (null: ok, else an error code). */
  sending(step: number, scheduledMs: number): (error: string | null) => void {
    this.sent += 1;
    this.pendingAcks += 1;
    return (error) => {
      this.pendingAcks -= 1;
      if (step !== this.step) return;
      if (error === null) {
        this.acked += 1;
        recordMs(this.ack, nowMs() - scheduledMs);
      } else {
        this.failed += 1;
        this.ackErrors[error] = (this.ackErrors[error] ?? 0) + 1;
      }
    };
  }

  /** A send without an ack (the ws baseline). */
  sentWithoutAck(): void {
    this.sent += 1;
  }

  progress(): Progress {
    return {
      sent: this.sent,
      acked: this.acked,
      failed: this.failed,
      delivered: this.delivered,
      frames: this.frames,
      pendingAcks: this.pendingAcks,
    };
  }

  /** The step's counts and histograms; the state starts over and later arrivals count as stale. */
  collect(): StepCounts {
    const counts: StepCounts = {
      sent: this.sent,
      acked: this.acked,
      ackErrors: this.ackErrors,
      delivered: this.delivered,
      sampleDelivered: this.sampleDelivered,
      stale: this.stale,
      pendingAcks: this.pendingAcks,
      receive: encode(this.receive),
      sampleReceive: encode(this.sampleReceive),
      ack: encode(this.ack),
    };
    this.step = -1;
    this.receive = newHistogram();
    this.sampleReceive = newHistogram();
    this.ack = newHistogram();
    this.delivered = 0;
    this.sampleDelivered = 0;
    this.stale = 0;
    this.sent = 0;
    this.acked = 0;
    this.ackErrors = {};
    this.failed = 0;
    return counts;
  }
}

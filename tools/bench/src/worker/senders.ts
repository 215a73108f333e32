/**
 * The open-loop schedule of one step in one worker: message k is due at startAtMs + k·1000/rate
 * and goes out on sender k mod senders; a 1 ms timer sends whatever is due, however far behind the
 * server is, and every latency counts from the scheduled time (no coordinated omission).
 */
import { nowMs } from '../clock';
import { stampedContent } from '../content';
import type { StepOrder } from '../ipc';
import type { Send } from './connections';
import type { StepState } from './step-state';

export interface LocalSender {
  readonly send: Send;
  readonly acks: boolean;
}

export class Schedule {
  private timer: NodeJS.Timeout | undefined;

  /** `senders[i]` is the sender with global index `order.mine[i]`. */
  start(order: StepOrder, senders: readonly LocalSender[], state: StepState): void {
    this.stop();
    state.begin(order.step);
    const interval = 1000 / order.rate;
    const next = order.mine.map((index) => index);
    const tick = () => {
      const elapsed = nowMs() - order.startAtMs;
      const due = elapsed < 0 ? 0 : Math.min(order.total, Math.floor(elapsed / interval) + 1);
      let finished = true;
      for (let i = 0; i < next.length; i++) {
        const sender = senders[i];
        let k = next[i] ?? order.total;
        while (sender && k < due) {
          const scheduledMs = order.startAtMs + k * interval;
          const content = stampedContent(order.step, scheduledMs, order.bytes);
          if (sender.acks) sender.send(content, order.streamId, state.sending(order.step, scheduledMs));
          else {
            state.sentWithoutAck();
            sender.send(content, order.streamId, () => undefined);
          }
          k += order.senders;
        }
        next[i] = k;
        if (sender && k < order.total) finished = false;
      }
      if (finished) this.stop();
    };
    this.timer = setInterval(tick, 1);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

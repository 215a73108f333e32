import type { TimelinesState } from '../channels/timelines.state';
import type { MessageAction } from './message-list.component';

/**
 * Carries out what a message action does to the message itself, in its stream (a channel or a
 * thread): retry or discard a send, save an edit, delete. The same in the channel's column and the
 * thread's. False for the actions a view handles on its own (starting or ending an edit, threads).
 * Throws what the server refused.
 */
export async function applyToStoredMessage(
  timelines: TimelinesState,
  streamId: string,
  { kind, message, content }: MessageAction,
): Promise<boolean> {
  switch (kind) {
    case 'retry':
      await timelines.retry(streamId, message.clientId);
      return true;
    case 'discard':
      timelines.timeline(streamId).discard(message.clientId);
      return true;
    case 'edit':
      if (message.id && content !== undefined) await timelines.edit(message.id, content);
      return true;
    case 'delete':
      if (message.id) await timelines.remove(streamId, message.id);
      return true;
    default:
      return false;
  }
}

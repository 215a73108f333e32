import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';

import { ChannelsState, type ChannelState } from '../channels/channels.state';
import { TimelinesState } from '../channels/timelines.state';
import type { ServerConnection } from '../connection/server-connection';
import { ServersStore } from './servers.store';

/**
 * What is on screen: the active server and, per server, its selected channel. Only the channel on
 * screen counts as "viewing" (its new messages are not unread).
 */
@Injectable({ providedIn: 'root' })
export class ChatSelection {
  private readonly servers = inject(ServersStore);
  private readonly channelByServer = signal<ReadonlyMap<string, string>>(new Map());

  readonly server = this.servers.active;
  readonly channel = computed<ChannelState | null>(() => {
    const server = this.server();
    if (!server) return null;
    const channels = server.get(ChannelsState).channels();
    const chosen = this.channelByServer().get(server.url);
    return channels.find((c) => c.id === chosen) ?? channels[0] ?? null;
  });

  constructor() {
    effect(() => {
      const active = this.server();
      const channel = this.channel();
      for (const server of this.servers.servers()) {
        server.get(ChannelsState).viewing.set(server === active && channel ? channel.id : null);
      }
      // Untracked: open() reads and writes the timeline's loading signals; tracking them would rerun
      // this effect after every failed load, in a loop that freezes the page while offline.
      if (active && channel)
        untracked(
          () =>
            void active
              .get(TimelinesState)
              .open(channel.id)
              .catch(() => undefined),
        );
    });
  }

  selectServer(server: ServerConnection): void {
    this.servers.select(server.url);
  }

  selectChannel(server: ServerConnection, channelId: string): void {
    this.servers.select(server.url);
    const next = new Map(this.channelByServer());
    next.set(server.url, channelId);
    this.channelByServer.set(next);
  }

  /** Alt+Up / Alt+Down: the previous or next channel of the active server, wrapping around. */
  moveChannel(step: 1 | -1): void {
    const server = this.server();
    const current = this.channel();
    if (!server || !current) return;
    const channels = server.get(ChannelsState).channels();
    const index = channels.findIndex((c) => c.id === current.id);
    const next = channels[(index + step + channels.length) % channels.length];
    if (next) this.selectChannel(server, next.id);
  }
}

import { computed, effect, inject, Injectable, linkedSignal, signal, untracked } from '@angular/core';

import { ChannelsState, type ChannelState } from '../channels/channels.state';
import { TimelinesState } from '../channels/timelines.state';
import type { ServerConnection } from '../connection/server-connection';
import { PageAttention } from '../shared/page-attention';
import { loadSavedPlace, saveServerPlaces, type ScrollAnchor, type ServerPlace } from './saved-place.storage';
import { ServersStore } from './servers.store';

/** The message list of a channel on screen, and whether it shows its newest messages. */
export interface ShownList {
  readonly server: string;
  readonly channelId: string;
  readonly atPresent: boolean;
}

/**
 * What is on screen: the active server and, per server, its selected channel and where its message
 * list was scrolled, saved per identity (a reload opens the same place). A channel counts as read
 * ("viewing") only while the person can be reading it: the page is visible and focused and its
 * list shows the newest messages. Then its new messages are not unread, and it is marked read.
 */
@Injectable({ providedIn: 'root' })
export class ChatSelection {
  private readonly servers = inject(ServersStore);
  private readonly attention = inject(PageAttention);
  /** Per server: the channel chosen and the scroll position it was left at. */
  private readonly places = linkedSignal<string | null, ReadonlyMap<string, ServerPlace>>({
    source: this.servers.identityKey,
    computation: (key) => (key ? loadSavedPlace(localStorage, key).places : new Map<string, ServerPlace>()),
  });
  private readonly shownList = signal<ShownList | null>(null);

  readonly server = this.servers.active;
  /** The chosen channel; before a choice, or when it is gone or hidden now, the first one. */
  readonly channel = computed<ChannelState | null>(() => {
    const server = this.server();
    if (!server) return null;
    const channels = server.get(ChannelsState).channels();
    const chosen = this.places().get(server.url)?.channelId;
    return channels.find((c) => c.id === chosen) ?? channels[0] ?? null;
  });

  /** The person can be reading the newest messages of the channel on screen. */
  readonly reading = computed(() => {
    const server = this.server();
    const channel = this.channel();
    const shown = this.shownList();
    return (
      server !== null &&
      channel !== null &&
      shown !== null &&
      shown.server === server.url &&
      shown.channelId === channel.id &&
      shown.atPresent &&
      this.attention.attentive()
    );
  });

  constructor() {
    effect(() => {
      const active = this.server();
      const channel = this.channel();
      const reading = this.reading();
      for (const server of this.servers.servers()) {
        server.get(ChannelsState).viewing.set(server === active && channel && reading ? channel.id : null);
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
    // Reading the present: mark read what arrives (paced by TimelinesState), and what was unread.
    effect(() => {
      const server = this.server();
      const channel = this.channel();
      if (!server || !channel || !this.reading()) return;
      const timelines = server.get(TimelinesState);
      timelines.timeline(channel.id).messages();
      untracked(() => timelines.markReadSoon(channel.id));
    });
  }

  selectServer(server: ServerConnection): void {
    this.servers.select(server.url);
  }

  selectChannel(server: ServerConnection, channelId: string): void {
    this.servers.select(server.url);
    if (this.places().get(server.url)?.channelId === channelId) return;
    this.setPlace(server.url, { channelId, anchor: null });
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

  /** The message list says what it shows; null when it is gone from the screen. */
  showList(shown: ShownList | null): void {
    this.shownList.set(shown);
  }

  /** Where the list of a server's channel was scrolled to restore it (null: at the present). */
  anchorOf(server: string, channelId: string): ScrollAnchor | null {
    const place = this.places().get(server);
    return place?.channelId === channelId ? place.anchor : null;
  }

  /**
   * Keeps where the list of a channel is scrolled, for when its server comes back on screen or
   * the page is reloaded; saved at once (it is called as the page is hidden or unloaded). Ignored
   * when the server has another channel chosen by now.
   */
  saveAnchor(server: string, channelId: string, anchor: ScrollAnchor | null): void {
    const place = this.places().get(server);
    if (place && place.channelId !== channelId) return;
    if (place && sameAnchor(place.anchor, anchor)) return;
    this.setPlace(server, { channelId, anchor });
  }

  private setPlace(server: string, place: ServerPlace): void {
    const next = new Map(this.places());
    next.set(server, place);
    this.places.set(next);
    const key = this.servers.identityKey();
    if (key) saveServerPlaces(localStorage, key, next);
  }
}

function sameAnchor(a: ScrollAnchor | null, b: ScrollAnchor | null): boolean {
  return a?.messageId === b?.messageId && a?.offset === b?.offset;
}

import type { Type } from '@angular/core';

import { ChannelsState } from './channels/channels.state';
import { Outbox } from './channels/outbox';
import { TimelinesState } from './channels/timelines.state';
import { TypingState } from './channels/typing.state';
import { serverFeaturesProvider } from './connection/connection-deps';
import { ChannelViewers } from './roster/channel-viewers';
import { MemberModeration } from './roster/member-moderation';
import { MembersState } from './roster/members.state';
import { SearchState } from './search/search.state';
import { ThreadsState } from './threads/threads.state';
import { PeerMesh } from './voice/peer-mesh';
import { VoiceState } from './voice/voice.state';

/**
 * The state every server connection holds, one instance per server (docs/web-client.md, State).
 * A feature (voice, threads, search, ...) adds its state here.
 */
export const SERVER_FEATURE_STATES: readonly Type<unknown>[] = [
  ChannelsState,
  ThreadsState,
  Outbox,
  TimelinesState,
  TypingState,
  MembersState,
  MemberModeration,
  ChannelViewers,
  VoiceState,
  PeerMesh,
  SearchState,
];

export const provideServerFeatures = () => serverFeaturesProvider(SERVER_FEATURE_STATES);

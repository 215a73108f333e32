import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';

import type { ErrorCode, RequestEvent } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import type { Actor } from '../policy/channel-policy';
import { decisionOf } from '../policy/request-decision';
import { actor, noThreads, ROOT, samplePolicy, threadsOf } from '../policy/testing/sample-community';
import type { SocketSession } from '../realtime/socket-session';
import { AllowBeforeJoin, RequireChannel, RequirePermission } from './access.decorators';
import { AccessGuard } from './access.guard';

class Handlers {
  @AllowBeforeJoin()
  beforeJoin(): void {
    /* metadata only */
  }

  undecorated(): void {
    /* metadata only */
  }

  @RequirePermission('manage_members')
  manageMembers(): void {
    /* metadata only */
  }

  @RequireChannel('write')
  write(): void {
    /* metadata only */
  }

  @RequireChannel('view')
  view(): void {
    /* metadata only */
  }
}

@RequirePermission('manage_members')
class AdminOnly {
  anything(): void {
    /* metadata only */
  }

  @RequireChannel('view')
  alsoAChannel(): void {
    /* metadata only */
  }
}

/** A decorated method, taken off its prototype as Nest does (`context.getHandler()`). */
type Handler = (...args: never[]) => unknown;

function method<T extends object>(cls: new () => T, name: keyof T & string): Handler {
  const value: unknown = Object.getOwnPropertyDescriptor(cls.prototype, name)?.value;
  if (typeof value !== 'function') throw new Error(`${cls.name} has no method ${name}`);
  return value as Handler;
}

const guard = new AccessGuard(new Reflector(), samplePolicy().policy, noThreads());

function sessionOf(who: Actor | null, joined = true): SocketSession {
  const publicKey = who?.publicKey ?? 'key-of-nobody';
  return {
    publicKey,
    isRoot: who?.isRoot ?? false,
    member: joined
      ? { publicKey, displayName: publicKey, roles: who?.roles ?? [], joinedAt: new Date(0) }
      : null,
  };
}

/** What Nest gives a guard for a Socket.IO event: (socket, data, ack, pattern). */
function wsContext(
  session: SocketSession,
  cls: new () => object,
  handler: Handler,
  data: unknown,
  event: RequestEvent = 'messages.send',
): ExecutionContextHost {
  const socket = { data: { session } };
  const context = new ExecutionContextHost([socket, data, () => undefined, event], cls, handler);
  context.setType('ws');
  return context;
}

function httpContext(cls: new () => object, handler: Handler): ExecutionContextHost {
  // An Express request without any session, as every HTTP request is today.
  const context = new ExecutionContextHost([{ headers: {} }, {}, () => undefined], cls, handler);
  context.setType('http');
  return context;
}

function outcome(context: ExecutionContextHost): ErrorCode | 'allowed' {
  try {
    return guard.canActivate(context) ? 'allowed' : 'internal_error';
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
}

const h = {
  beforeJoin: method(Handlers, 'beforeJoin'),
  undecorated: method(Handlers, 'undecorated'),
  manageMembers: method(Handlers, 'manageMembers'),
  write: method(Handlers, 'write'),
  view: method(Handlers, 'view'),
};
const a = { anything: method(AdminOnly, 'anything'), alsoAChannel: method(AdminOnly, 'alsoAChannel') };
const plain = actor('plain');
const writer = actor('writer', 'writer');
const staff = actor('staff', 'staff');
const admin = actor('admin', 'admin');

const THREAD_IN = {
  lobby: '0190a0b0-0000-7000-8000-000000000001',
  staffRoom: '0190a0b0-0000-7000-8000-000000000002',
  locked: '0190a0b0-0000-7000-8000-000000000003',
  deleted: '0190a0b0-0000-7000-8000-000000000004',
};
const record = (id: string, channelId: string, state: { locked?: boolean; deleted?: boolean } = {}) => ({
  id,
  streamId: `thread:${id}`,
  channelId,
  creator: 'key-of-plain',
  locked: state.locked ?? false,
  deleted: state.deleted ?? false,
});
const threadGuard = new AccessGuard(
  new Reflector(),
  samplePolicy().policy,
  threadsOf(
    record(THREAD_IN.lobby, 'lobby'),
    record(THREAD_IN.staffRoom, 'staff-room'),
    record(THREAD_IN.locked, 'lobby', { locked: true }),
    record(THREAD_IN.deleted, 'lobby', { deleted: true }),
  ),
);

/** The guard's answer for a request naming a thread (it waits for the thread directory). */
async function threadOutcome(who: Actor, handler: Handler, threadId: string): Promise<ErrorCode | 'allowed'> {
  const context = wsContext(sessionOf(who), Handlers, handler, { channelId: `thread:${threadId}` });
  try {
    return (await threadGuard.canActivate(context)) ? 'allowed' : 'internal_error';
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
}

describe('AccessGuard over Socket.IO', () => {
  it('refuses a socket that has not joined, unless the handler allows it', () => {
    expect(outcome(wsContext(sessionOf(plain, false), Handlers, h.undecorated, {}))).toBe('not_joined');
    expect(outcome(wsContext(sessionOf(plain, false), Handlers, h.beforeJoin, {}))).toBe('allowed');
    expect(outcome(wsContext(sessionOf(plain), Handlers, h.undecorated, {}))).toBe('allowed');
  });

  it.each([
    ['a plain member', plain, 'forbidden'],
    ['a member whose role has it', admin, 'allowed'],
    ['a root', ROOT, 'allowed'],
  ] as const)('checks @RequirePermission for %s', (_who, who, expected) => {
    expect(outcome(wsContext(sessionOf(who), Handlers, h.manageMembers, {}))).toBe(expected);
  });

  it('reads @RequirePermission from the class too', () => {
    expect(outcome(wsContext(sessionOf(plain), AdminOnly, a.anything, {}))).toBe('forbidden');
    expect(outcome(wsContext(sessionOf(admin), AdminOnly, a.anything, {}))).toBe('allowed');
    // Both the class's permission and the handler's channel flag apply.
    expect(outcome(wsContext(sessionOf(plain), AdminOnly, a.alsoAChannel, { channelId: 'lobby' }))).toBe(
      'forbidden',
    );
    expect(outcome(wsContext(sessionOf(admin), AdminOnly, a.alsoAChannel, { channelId: 'staff-room' }))).toBe(
      'not_found',
    );
    expect(outcome(wsContext(sessionOf(admin), AdminOnly, a.alsoAChannel, { channelId: 'lobby' }))).toBe(
      'allowed',
    );
  });

  it.each([
    ['plain', plain, 'lobby', 'allowed'],
    ['plain', plain, 'announcements', 'forbidden'],
    ['plain', plain, 'staff-room', 'not_found'],
    ['plain', plain, 'nowhere', 'not_found'],
    ['writer', writer, 'announcements', 'allowed'],
    ['staff', staff, 'staff-room', 'allowed'],
    ['root', ROOT, 'staff-room', 'allowed'],
  ] as const)(
    "checks @RequireChannel('write') against the payload: %s in %s",
    (_n, who, channelId, expected) => {
      const context = wsContext(sessionOf(who), Handlers, h.write, {
        channelId,
        clientId: 'x',
        content: 'y',
      });
      expect(outcome(context)).toBe(expected);
    },
  );

  it.each([
    ['announcements', 'allowed'],
    ['staff-room', 'not_found'],
  ] as const)("checks @RequireChannel('view'): a plain member in %s", (channelId, expected) => {
    const context = wsContext(sessionOf(plain), Handlers, h.view, { channelId }, 'messages.history');
    expect(outcome(context)).toBe(expected);
  });

  it('refuses a hidden channel with the same error as an unknown one', () => {
    const refusal = (channelId: string) => {
      try {
        expect(
          guard.canActivate(wsContext(sessionOf(plain), Handlers, h.view, { channelId }, 'messages.history')),
        ).toBe(true);
      } catch (error) {
        if (error instanceof ProtocolError) return error.toBody();
      }
      throw new Error('allowed');
    };
    const hidden = refusal('staff-room');
    expect(hidden.code).toBe('not_found');
    expect(JSON.stringify(refusal('nowhere')).replace('nowhere', 'staff-room')).toBe(JSON.stringify(hidden));
  });

  it.each([
    ['a malformed channel id', { channelId: 'Not A Channel!', clientId: 'x', content: 'y' }],
    ['no channel id', { clientId: 'x', content: 'y' }],
    ['no payload at all', undefined],
    ['a channel id that is not a string', { channelId: 7 }],
  ])('answers %s with the payload’s validation_failed, not a crash', (_what, data) => {
    const context = wsContext(sessionOf(ROOT), Handlers, h.write, data);
    expect(outcome(context)).toBe('validation_failed');
  });

  it.each([
    ['plain writes in a thread of the lobby', plain, 'write', THREAD_IN.lobby, 'allowed'],
    ['plain reads a thread of the hidden staff room', plain, 'view', THREAD_IN.staffRoom, 'not_found'],
    ['staff reads a thread of the staff room', staff, 'view', THREAD_IN.staffRoom, 'allowed'],
    ['plain reads a locked thread', plain, 'view', THREAD_IN.locked, 'allowed'],
    ['plain writes in a locked thread', plain, 'write', THREAD_IN.locked, 'forbidden'],
    ['a root writes in a locked thread (manage_threads)', ROOT, 'write', THREAD_IN.locked, 'allowed'],
    ['root reads a deleted thread', ROOT, 'view', THREAD_IN.deleted, 'not_found'],
    [
      'root reads a thread that never existed',
      ROOT,
      'view',
      '0190a0b0-0000-7000-8000-0000000000ff',
      'not_found',
    ],
  ] as const)('decides on a thread by its channel: %s', async (_what, who, flag, threadId, expected) => {
    expect(await threadOutcome(who, flag === 'write' ? h.write : h.view, threadId)).toBe(expected);
  });

  it('refuses a thread of a hidden channel with the same error as a thread that does not exist', async () => {
    const refusal = async (threadId: string) => {
      try {
        await threadGuard.canActivate(
          wsContext(
            sessionOf(plain),
            Handlers,
            h.view,
            { channelId: `thread:${threadId}` },
            'messages.history',
          ),
        );
      } catch (error) {
        if (error instanceof ProtocolError) return JSON.stringify(error.toBody());
      }
      throw new Error('allowed');
    };
    expect(await refusal(THREAD_IN.staffRoom)).toBe(await refusal('0190a0b0-0000-7000-8000-0000000000ff'));
    expect(await refusal(THREAD_IN.staffRoom)).toBe(await refusal(THREAD_IN.deleted));
  });

  it('records the thread, its stream and its channel as the decision', async () => {
    const context = wsContext(sessionOf(plain), Handlers, h.write, {
      channelId: `thread:${THREAD_IN.lobby}`,
    });
    await threadGuard.canActivate(context);
    expect(decisionOf(context)).toMatchObject({
      streamId: `thread:${THREAD_IN.lobby}`,
      channelId: 'lobby',
      thread: { id: THREAD_IN.lobby, locked: false },
      permissions: { flags: { write: true, create_threads: false } },
    });
  });

  it('refuses before reading the channel when the member has not joined', () => {
    const context = wsContext(sessionOf(staff, false), Handlers, h.write, { channelId: 'staff-room' });
    expect(outcome(context)).toBe('not_joined');
  });
});

describe('AccessGuard over HTTP', () => {
  it('lets undecorated routes through: they are public', () => {
    expect(outcome(httpContext(Handlers, h.undecorated))).toBe('allowed');
    expect(outcome(httpContext(Handlers, h.beforeJoin))).toBe('allowed');
  });

  it('refuses a route that needs a right with forbidden (HTTP has no member session)', () => {
    expect(outcome(httpContext(Handlers, h.manageMembers))).toBe('forbidden');
    expect(outcome(httpContext(Handlers, h.write))).toBe('forbidden');
    expect(outcome(httpContext(AdminOnly, a.anything))).toBe('forbidden');
  });
});

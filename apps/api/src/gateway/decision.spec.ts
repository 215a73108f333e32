import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';

import { decisionOf, recordDecision } from '../policy/request-decision';
import { actor, noThreads, samplePolicy } from '../policy/testing/sample-community';
import { RequireChannel } from './access.decorators';
import { AccessGuard } from './access.guard';

class Handlers {
  @RequireChannel('write')
  write(): void {
    /* metadata only */
  }
}

const { policy } = samplePolicy();
const guard = new AccessGuard(new Reflector(), policy, noThreads());
const staff = actor('staff', 'staff');

function request(data: object) {
  const session = {
    publicKey: staff.publicKey,
    isRoot: false,
    member: { publicKey: staff.publicKey, displayName: 'staff', roles: staff.roles, joinedAt: new Date(0) },
  };
  const context = new ExecutionContextHost(
    [{ data: { session } }, data, () => undefined, 'messages.send'],
    Handlers,
    Object.getOwnPropertyDescriptor(Handlers.prototype, 'write')?.value as () => void,
  );
  context.setType('ws');
  return context;
}

describe('the request decision', () => {
  it('is what the AccessGuard resolved, readable from a copy of the args (as param decorators get)', () => {
    const context = request({ channelId: 'staff-room' });
    expect(guard.canActivate(context)).toBe(true);
    const copy = new ExecutionContextHost([...context.getArgs<unknown[]>()]);
    copy.setType('ws');
    expect(decisionOf(copy)).toEqual({
      streamId: 'staff-room',
      channelId: 'staff-room',
      thread: null,
      permissions: policy.requireChannel(staff, 'staff-room', 'write'),
    });
  });

  it('belongs to one request: another payload has none', () => {
    const first = request({ channelId: 'lobby' });
    expect(guard.canActivate(first)).toBe(true);
    expect(() => decisionOf(request({ channelId: 'lobby' }))).toThrow(/no channel decision/);
  });

  it('needs an object payload', () => {
    const context = new ExecutionContextHost([{}, 'lobby', () => undefined, 'messages.send']);
    context.setType('ws');
    expect(() => {
      recordDecision(context, {
        streamId: 'lobby',
        channelId: 'lobby',
        thread: null,
        permissions: policy.requireChannel(staff, 'lobby', 'view'),
      });
    }).toThrow(/object payload/);
  });
});

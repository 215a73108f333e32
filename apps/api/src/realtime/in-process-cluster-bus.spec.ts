import { InProcessClusterBus } from './in-process-cluster-bus';

describe('InProcessClusterBus', () => {
  it('delivers to every subscriber of the event, in subscription order, before publish returns', () => {
    const bus = new InProcessClusterBus();
    const seen: string[] = [];
    bus.subscribe('member.removed', ({ publicKey }) => seen.push(`first ${publicKey}`));
    bus.subscribe('member.removed', ({ publicKey }) => seen.push(`second ${publicKey}`));
    bus.subscribe('config.changed', ({ hash }) => seen.push(`config ${hash}`));
    bus.publish('member.removed', { publicKey: 'k1' });
    expect(seen).toEqual(['first k1', 'second k1']);
    bus.publish('config.changed', { hash: 'h' });
    expect(seen).toEqual(['first k1', 'second k1', 'config h']);
  });

  it('drops an event nobody subscribed to', () => {
    expect(() => {
      new InProcessClusterBus().publish('member.joined', { publicKey: 'k', displayName: 'n' });
    }).not.toThrow();
  });

  it('hands a subscriber error to the publisher, as a direct call would', () => {
    const bus = new InProcessClusterBus();
    bus.subscribe('member.removed', () => {
      throw new Error('boom');
    });
    expect(() => {
      bus.publish('member.removed', { publicKey: 'k' });
    }).toThrow('boom');
  });
});

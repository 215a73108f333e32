import { stampedContent, stampOf, stampOfBuffer } from './content';
import { connectPacket, engineIoUrl, eventPacket, parsePacket } from './sio-packets';

describe('Engine.IO / Socket.IO packets', () => {
  it('parses the Engine.IO packets a receiver sees', () => {
    expect(parsePacket('0{"sid":"a","pingInterval":25000}')).toEqual({
      kind: 'open',
      data: { sid: 'a', pingInterval: 25000 },
    });
    expect(parsePacket('2')).toEqual({ kind: 'ping' });
    expect(parsePacket('3')).toEqual({ kind: 'pong' });
    expect(parsePacket('1')).toEqual({ kind: 'close' });
    expect(parsePacket('6')).toEqual({ kind: 'noop' });
  });

  it('parses connect, connect error, events and acks of the main namespace', () => {
    expect(parsePacket('40{"sid":"x"}')).toEqual({ kind: 'connect', data: { sid: 'x' } });
    expect(parsePacket('44{"message":"no","data":{"code":"not_member"}}')).toEqual({
      kind: 'connect_error',
      data: { message: 'no', data: { code: 'not_member' } },
    });
    expect(parsePacket('42["message.created",{"id":1}]')).toEqual({
      kind: 'event',
      name: 'message.created',
      args: [{ id: 1 }],
    });
    expect(parsePacket('4217["ask",1,2]')).toEqual({ kind: 'event', name: 'ask', args: [1, 2], ackId: 17 });
    expect(parsePacket('43205[{"ok":true}]')).toEqual({ kind: 'ack', id: 205, args: [{ ok: true }] });
    expect(parsePacket('41')).toEqual({ kind: 'disconnect' });
  });

  it('leaves other namespaces and malformed events alone', () => {
    expect(parsePacket('42/admin,["x"]').kind).toBe('unknown');
    expect(parsePacket('42{"not":"an array"}').kind).toBe('unknown');
    expect(parsePacket('43[1]').kind).toBe('unknown');
  });

  it('encodes what the minimal client sends', () => {
    expect(connectPacket()).toBe('40');
    expect(connectPacket({ publicKey: 'k' })).toBe('40{"publicKey":"k"}');
    expect(eventPacket('member.join', [{ displayName: 'a' }], 3)).toBe(
      '423["member.join",{"displayName":"a"}]',
    );
    expect(eventPacket('x', [])).toBe('42["x"]');
    expect(engineIoUrl('http://127.0.0.1:3000', { room: 'bench' })).toBe(
      'ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket&room=bench',
    );
  });
});

describe('stamped content', () => {
  it('carries the step and the scheduled time at the requested size', () => {
    const content = stampedContent(7, 123456.789, 200);
    expect(content).toHaveLength(200);
    expect(stampOf(content)).toEqual({ step: 7, scheduledMs: 123456.789 });
    const frame = Buffer.from(`42["message.created",{"content":${JSON.stringify(content)}}]`);
    expect(stampOfBuffer(frame)).toEqual({ step: 7, scheduledMs: 123456.789 });
    expect(stampOfBuffer(Buffer.from('42["presence.updated",{"online":true}]'))).toBeUndefined();
  });
});

import type { IceServersDto } from './dtos';

describe('IceServersDto', () => {
  // The check that matters is the compiler's (`nx run protocol:typecheck` compiles the specs with
  // the DOM types): the list must stay assignable to WebRTC's `RTCIceServer[]` as it comes off the
  // wire, so that making `urls` readonly, or renaming a field, fails the build.
  it('is what RTCPeerConnection takes, without copying', () => {
    const dto: IceServersDto = {
      iceServers: [
        { urls: ['stun:turn.example.org:3478'] },
        {
          urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'],
          username: '1767247200:02a1633c',
          credential: 'UQg0E67h6l3kDWTALkovcKw3dLA=',
        },
      ],
      expiresAt: '2026-01-01T06:00:00.000Z',
    };
    const configuration: RTCConfiguration = { iceServers: dto.iceServers };
    expect(configuration.iceServers).toBe(dto.iceServers);
  });
});

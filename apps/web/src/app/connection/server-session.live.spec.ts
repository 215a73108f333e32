import { serverInfo } from '../testing/fake-socket';
import { onlineHarness, URL_A } from '../testing/fixtures';

describe('ServerConnection after a config.toml change on the server', () => {
  it('takes the new server info from server.updated (name, theme, limits)', async () => {
    const h = await onlineHarness();
    expect(h.session.info()?.name).toBe('Test server');
    h.socket.push('server.updated', serverInfo(URL_A, { name: 'Renamed', theme: { accent: '#123456' } }));
    expect(h.session.info()).toMatchObject({ name: 'Renamed', theme: { accent: '#123456' } });
  });
});

import { loadSavedPlace, saveActiveServer, saveServerPlaces } from './saved-place.storage';

const KEY_1 = '02' + '1'.repeat(64);
const KEY_2 = '03' + '2'.repeat(64);
const URL_A = 'https://chat.example.org';

describe('saved place', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the server and each server’s channel and anchor, per identity', () => {
    saveActiveServer(localStorage, KEY_1, URL_A);
    saveServerPlaces(
      localStorage,
      KEY_1,
      new Map([[URL_A, { channelId: 'history', anchor: { messageId: 'm40', offset: -8 } }]]),
    );
    saveActiveServer(localStorage, KEY_2, null);

    const one = loadSavedPlace(localStorage, KEY_1);
    expect(one.server).toBe(URL_A);
    expect(one.places.size).toBe(1);
    expect(one.places.get(URL_A)).toEqual({ channelId: 'history', anchor: { messageId: 'm40', offset: -8 } });
    expect(loadSavedPlace(localStorage, KEY_2)).toEqual({ server: null, places: new Map() });
  });

  it('reads nothing from what is not JSON, and skips entries of the wrong shape', () => {
    localStorage.setItem(`mpqcht.place.v1.${KEY_1}`, '{not json');
    expect(loadSavedPlace(localStorage, KEY_1)).toEqual({ server: null, places: new Map() });

    localStorage.setItem(
      `mpqcht.place.v1.${KEY_1}`,
      JSON.stringify({
        server: 42,
        places: [
          { url: URL_A, channelId: 'lobby', anchor: { messageId: 'm1', offset: 'far' } },
          { url: 7, channelId: 'lobby', anchor: null },
          'nonsense',
        ],
      }),
    );
    const place = loadSavedPlace(localStorage, KEY_1);
    expect(place.server).toBeNull();
    expect(place.places.size).toBe(1);
    expect(place.places.get(URL_A)).toEqual({ channelId: 'lobby', anchor: null });
  });
});

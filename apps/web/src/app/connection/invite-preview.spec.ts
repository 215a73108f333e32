import type { InvitePreviewDto } from '@mpqcht/protocol';

import { fetchInvitePreview } from './invite-preview';

const CODE = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXoxMjM0';
const PREVIEW: InvitePreviewDto = {
  serverName: 'Alpha',
  inviter: 'Ada',
  expiresAt: '2026-01-08T00:00:00.000Z',
  usesLeft: 4,
};

function answering(status: number, body: unknown) {
  const calls: string[] = [];
  const fetcher = (input: string) => {
    calls.push(input);
    return Promise.resolve({ status, ok: status < 300, json: () => Promise.resolve(body) });
  };
  return { calls, fetcher: fetcher as unknown as typeof fetch };
}

describe('fetchInvitePreview', () => {
  it("asks the invite's server, without a login, and returns the preview", async () => {
    const { calls, fetcher } = answering(200, { ok: true, data: PREVIEW });
    expect(await fetchInvitePreview('https://chat.example.org', CODE, fetcher)).toEqual({
      kind: 'valid',
      preview: PREVIEW,
    });
    expect(calls).toEqual([`https://chat.example.org/api/invites/${CODE}`]);
  });

  it('says invalid for not_found and validation_failed, and unknown otherwise', async () => {
    const notFound = answering(404, { ok: false, error: { code: 'not_found', message: 'no' } });
    expect(await fetchInvitePreview('https://a.example', CODE, notFound.fetcher)).toEqual({
      kind: 'invalid',
    });
    const malformed = answering(400, { ok: false, error: { code: 'validation_failed', message: 'no' } });
    expect(await fetchInvitePreview('https://a.example', CODE, malformed.fetcher)).toEqual({
      kind: 'invalid',
    });
    const limited = answering(429, { ok: false, error: { code: 'rate_limited', message: 'too many' } });
    expect(await fetchInvitePreview('https://a.example', CODE, limited.fetcher)).toEqual({
      kind: 'unknown',
      message: 'too many',
    });
    const down = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    expect(await fetchInvitePreview('https://a.example', CODE, down)).toEqual({
      kind: 'unknown',
      message: 'https://a.example cannot be reached right now',
    });
  });
});

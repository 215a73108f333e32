import { loginAuthCallback } from './auth-callback';
import type { LoginAuth } from './login-auth';

const AUTH: LoginAuth = { publicKey: '02ab', nonce: 'cd', signature: 'ef' };

describe('loginAuthCallback', () => {
  it('makes a new login for every handshake and sends it', async () => {
    let logins = 0;
    const callback = loginAuthCallback(
      () => Promise.resolve({ ...AUTH, nonce: String(++logins) }),
      () => undefined,
    );
    const sent: object[] = [];
    callback((auth) => sent.push(auth));
    callback((auth) => sent.push(auth));
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([
      { ...AUTH, nonce: '1' },
      { ...AUTH, nonce: '2' },
    ]);
  });

  it('sends nothing when no login can be made, and reports why', async () => {
    const why = new Error('no challenge');
    const errors: unknown[] = [];
    const sent: object[] = [];
    loginAuthCallback(
      () => Promise.reject(why),
      (error) => errors.push(error),
    )((auth) => sent.push(auth));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual([why]);
    expect(sent).toEqual([]);
  });
});

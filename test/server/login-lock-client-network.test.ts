/**
 * A security review found the login lock and limits keyed on the exact client address: an IPv6 client rotates
 * addresses inside its /64 and is never locked (50 wrong passwords for admin, 4 from each of 13 addresses, none
 * locked).
 * Now the address counted is the client's network (`clientNetwork`: an IPv6 address's /64, an IPv4-mapped address
 * its IPv4 one), for the lock, the per-user limit and the route's rate limit alike.
 */
import { describe, expect, it } from 'vitest';
import { clientNetwork } from '../../src/server/auth/client-network.js';
import { createLoginGuard } from '../../src/server/auth/login-guard.js';
import { passwordOf, useTestServers, type TestServer } from './server-fixture.js';

const open = useTestServers();

describe('clientNetwork', () => {
  it('is an IPv6 address’s /64 prefix, an IPv4-mapped address’s IPv4 address, an IPv4 address itself', () => {
    expect(clientNetwork('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(clientNetwork('::FFFF:1.2.3.4')).toBe('1.2.3.4');
    expect(clientNetwork('1.2.3.4')).toBe('1.2.3.4');
    expect(clientNetwork('2001:db8:1:3::1')).not.toBe(clientNetwork('2001:db8:1:2::1'));
  });
});

describe('the login lock counts by the client network', () => {
  it('failures from several addresses of one IPv6 /64 lock the user name (default policy)', async () => {
    const server = await open({ users: true });
    const attempt = createLoginGuard(server.context);
    for (let i = 1; i <= 5; i++) expect(await attempt('admin', 'wrong-password!', `2001:db8:1:2::${i.toString(16)}`)).toMatchObject({ ok: false, error: 'bad_credentials' });
    expect(await attempt('admin', passwordOf('admin'), '2001:db8:1:2:ffff::77')).toMatchObject({ ok: false, error: 'locked' });
    // another /64 is another client
    expect(await attempt('admin', passwordOf('admin'), '2001:db8:1:3::1')).toMatchObject({ ok: true });
  });

  it('::ffff:1.2.3.4 and 1.2.3.4 are one address', async () => {
    const server = await open();
    const attempt = createLoginGuard(server.context);
    for (let i = 0; i < 5; i++) expect(await attempt('analyst', 'wrong-password!', i % 2 ? '::ffff:1.2.3.4' : '1.2.3.4')).toMatchObject({ ok: false, error: 'bad_credentials' });
    expect(await attempt('analyst', passwordOf('analyst'), '::ffff:1.2.3.4')).toMatchObject({ ok: false, error: 'locked' });
    expect(await attempt('analyst', passwordOf('analyst'), '1.2.3.4')).toMatchObject({ ok: false, error: 'locked' });
  });

  it('the route’s rate limit counts by the /64 too', async () => {
    const server = await open({ loginsPerIpPerMinute: 3 });
    const codes: number[] = [];
    for (let i = 1; i <= 5; i++) codes.push((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: passwordOf('viewer') }, remoteAddress: `2001:db8:9:9::${i}` })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    // keyed by the same helper as the lock: another /64 (even inside the same /56) is another client
    expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: passwordOf('viewer') }, remoteAddress: '2001:db8:9:a::1' })).statusCode).toBe(200);
  });
});

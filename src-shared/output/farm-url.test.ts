import { describe, expect, it } from 'vitest';
import { farmUrlProblem, parseFarmUrl } from './farm-url.js';

describe('render farm address', () => {
  it('reads host, port, database and credentials, and never prints the password', () => {
    expect(parseFarmUrl('redis://127.0.0.1:6380')).toMatchObject({ host: '127.0.0.1', port: 6380, db: 0, tls: false, display: 'redis://127.0.0.1:6380' });
    expect(parseFarmUrl('redis://farm.local')).toMatchObject({ host: 'farm.local', port: 6379 });
    const a = parseFarmUrl('rediss://render:s%40cret@[::1]:7000/2');
    expect(a).toMatchObject({ host: '::1', port: 7000, db: 2, username: 'render', password: 's@cret', tls: true });
    expect(a.display).toBe('rediss://render:***@[::1]:7000/2');
    expect(parseFarmUrl('redis://:pw@h:1').display).toBe('redis://:***@h:1');
  });
  it('refuses what is not a redis address, saying what is expected', () => {
    expect(farmUrlProblem('redis://h:6379')).toBeNull();
    expect(farmUrlProblem('http://h:6379')).toMatch(/uses http, not redis.*expected redis:\/\/host:6379/);
    expect(farmUrlProblem('h:6379')).toMatch(/is not a URL/);
    expect(farmUrlProblem('redis://h:99999')).toMatch(/bad port/);
    expect(farmUrlProblem('redis://h:6379/x')).toMatch(/form redis:\/\/host:port/);
    expect(farmUrlProblem('redis://')).toMatch(/form/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSystemdVersion, readSystemdVersion } from './systemdVersion';

describe('the host\'s systemd version', () => {
  it('reads systemctl\'s and udevadm\'s ways of saying it', () => {
    expect(parseSystemdVersion('systemd 252 (252.30-1~deb12u2)\n+PAM +AUDIT +SELINUX')).toBe(252);
    expect(parseSystemdVersion('systemd 257 (257.7-1)\n')).toBe(257);
    expect(parseSystemdVersion('250\n')).toBe(250);
    expect(parseSystemdVersion('252.30-1~deb12u2\n')).toBe(252);
    expect(parseSystemdVersion('udevadm: command not found')).toBeNull();
  });
  it('asks udevadm when systemctl is missing, and says null when neither answers', async () => {
    const asked: string[] = [];
    const v = await readSystemdVersion(async (file) => {
      asked.push(file);
      if (file === 'systemctl') throw Object.assign(new Error('spawn systemctl ENOENT'), { code: 'ENOENT' });
      return '249\n';
    });
    expect([v, asked]).toEqual([249, ['systemctl', 'udevadm']]);
    expect(await readSystemdVersion(async () => 'garbage')).toBeNull();
  });
  it('reads this machine\'s, if it has systemd', async () => {
    const v = await readSystemdVersion();
    expect(v === null || v > 200).toBe(true);
  });
});

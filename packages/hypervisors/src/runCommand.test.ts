import { describe, expect, it } from 'vitest';
import { HypervisorError } from './hypervisor';
import { runCommand, showCommand, summarize } from './runCommand';

describe('runCommand', () => {
  it('passes arguments as they are, without a shell', async () => {
    const out = await runCommand(['printf', '%s|', 'a b', '$(id)', ';rm -rf /']);
    expect(out.stdout).toBe('a b|$(id)|;rm -rf /|');
  });
  it('reports a failing command with its exit status and stderr', async () => {
    const err = await runCommand(['sh', '-c', 'echo "error: Failed to start domain \'x\'" >&2; echo "error: it broke" >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'command-failed', exitStatus: 3, command: ['sh', '-c', expect.any(String)] });
    expect((err as HypervisorError).stderr).toContain('it broke');
    expect((err as HypervisorError).message).toContain("failed (exit status 3): Failed to start domain 'x': it broke");
  });
  it('reports a command that is not installed as missing', async () => {
    await expect(runCommand(['/nonexistent/vfmap-no-such-tool', 'list'])).rejects.toMatchObject({ code: 'command-missing', exitStatus: null });
  });
  it('kills a command that runs past its timeout', async () => {
    await expect(runCommand(['sleep', '5'], { timeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout' });
  });
  it('runs in the C locale so that tools do not translate their output', async () => {
    const out = await runCommand(['sh', '-c', 'echo "$LC_ALL"']);
    expect(out.stdout).toBe('C\n');
  });
});

describe('summarize and showCommand', () => {
  it('joins virsh error lines without their prefix', () => {
    expect(summarize("error: Failed to attach device from /tmp/x.xml\nerror: device is already in the domain configuration\n")).toBe(
      'Failed to attach device from /tmp/x.xml: device is already in the domain configuration',
    );
  });
  it('quotes only what needs quoting', () => {
    expect(showCommand(['virsh', '-c', 'qemu:///system', 'dumpxml', "my vm's"])).toBe("virsh -c qemu:///system dumpxml 'my vm'\\''s'");
  });
});

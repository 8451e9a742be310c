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

// Stand-ins for a qm or virsh that misbehaves: each call must end, with a clear error, in bounded time and memory.
describe('runCommand with a misbehaving tool', () => {
  it('kills a tool that hangs, with what it started: a child holding stdout open does not keep the call waiting', async () => {
    const err = await runCommand(['sh', '-c', 'sleep 30 & echo started; exit 0'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'timeout', message: expect.stringContaining('did not finish in time (300 ms)') });
  });

  it('reports a non-zero exit with odd text readably: control bytes replaced, the line cut', async () => {
    const err = (await runCommand(['sh', '-c', `printf 'error: \\033[31mboom\\000\\377\\n' >&2; head -c 5000 /dev/zero | tr '\\0' x >&2; exit 255`]).catch((e: unknown) => e)) as HypervisorError;
    expect(err).toMatchObject({ code: 'command-failed', exitStatus: 255 });
    expect(err.message).toMatch(/failed \(exit status 255\): \?\[31mboom\?\?: x{900,}…$/);
    expect(err.message.length).toBeLessThan(1200);
  });

  it('stops a tool that prints 10 MB once it passes the cap, and keeps at most the cap', async () => {
    const err = (await runCommand(['head', '-c', String(10 * 1024 * 1024), '/dev/zero'], { maxOutputBytes: 1024 * 1024 }).catch((e: unknown) => e)) as HypervisorError;
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'command-failed', message: expect.stringContaining('printed more than 1 MiB and was stopped') });
  });

  it('stops a tool that never stops printing (the default cap is 4 MiB)', async () => {
    await expect(runCommand(['yes', 'vfmap'])).rejects.toMatchObject({ code: 'command-failed', message: expect.stringContaining('printed more than 4 MiB') });
  });

  it('keeps only the first 64 kB of stderr', async () => {
    const err = (await runCommand(['sh', '-c', 'head -c 1000000 /dev/zero | tr "\\0" e >&2; exit 1']).catch((e: unknown) => e)) as HypervisorError;
    expect(err.stderr.length).toBe(64 * 1024);
  });

  it('reports a tool killed by a signal it did not get from us', async () => {
    await expect(runCommand(['sh', '-c', 'kill -SEGV $$'])).rejects.toMatchObject({ code: 'command-failed', exitStatus: null, message: expect.stringContaining('was killed by SIGSEGV') });
  });
});

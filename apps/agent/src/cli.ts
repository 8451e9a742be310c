import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseAgentConfig, parseDemoConfig, parseScanConfig } from './config';
import { scanCommand } from './scanCommand';
import { startAgent } from './startAgent';
import { startDemo } from './demo';
import { VERSION } from './version';

const USAGE = `vfmap ${VERSION} — SR-IOV topology of this host

Usage:
  vfmap scan  [--root DIR] [--json] [--hypervisor KIND]
        Print this host's cards, PFs, VFs, IOMMU groups and holders (or of the tree at DIR).
  vfmap agent [--root DIR] [--listen HOST:PORT] [--hypervisor proxmox|libvirt|simulated|none]
              [--host-id ID] [--state-dir DIR] [--read-only] [--token-file FILE] [--log-level LEVEL]
        Serve the topology over HTTP (default 127.0.0.1:7300) and the page at /.
  vfmap demo  [--profile demo|minimal|large|...] [--listen HOST:PORT]
        Generate a simulated host in a temporary directory and run the agent over it.

Environment: VFMAP_ROOT, VFMAP_LISTEN, VFMAP_HYPERVISOR, VFMAP_HOST_ID, VFMAP_STATE_DIR, VFMAP_READ_ONLY,
VFMAP_TOKEN_FILE, VFMAP_TOKEN, VFMAP_LOG_LEVEL (a flag wins over its variable).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan':
      process.stdout.write(await scanCommand(parseScanConfig(rest)));
      return 0;
    case 'agent': {
      const agent = await startAgent(parseAgentConfig(rest));
      process.stdout.write(`vfmap agent for host ${agent.hostId} listening on ${agent.url}\n`);
      onSignal(() => agent.close());
      return -1;
    }
    case 'demo': {
      const demo = await startDemo(parseDemoConfig(rest, mkdtempSync(join(tmpdir(), 'vfmap-state-'))));
      process.stdout.write(`vfmap demo: a simulated host in ${demo.root}\nOpen ${demo.url}\n`);
      onSignal(() => demo.close());
      return -1;
    }
    case '--version':
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`vfmap: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function onSignal(close: () => Promise<void>) {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`vfmap: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`vfmap: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitWith } from './cliExit';
import type { RunningAgent } from './startAgent';
import { VERSION } from './version';

// Each command loads only what it needs: `vfmap scan` has no use for Express, pino or the
// simulated host, and a 2.5 MB bundle parsed up front doubled its run time. Nor for zod: the
// agent's configuration (config.ts) is checked by schemas, and loading zod alone took about as
// long as the scan itself, so the scan's flags are checked by hand (scanConfig.ts).
const load = {
  config: () => import('./config'),
  scan: () => import('./scanCli'),
  agent: () => import('./startAgent'),
  demo: () => import('./demo'),
  hub: () => import('./hub'),
  applyDesired: () => import('./desired/applyDesiredCommand'),
  split: () => import('./helper/splitCommands'),
};

const USAGE = `vfmap ${VERSION} — SR-IOV topology of this host

Usage:
  vfmap scan  [--root DIR] [--json] [--hypervisor KIND]
        Print this host's cards, PFs, VFs, IOMMU groups and holders (or of the tree at DIR).
        With a hypervisor, holders from VM configs and running QEMUs, and the drift between them.
  vfmap agent [--root DIR] [--kernel real|simulated|none] [--listen HOST:PORT]
              [--hypervisor proxmox|libvirt|simulated|none] [--host-id ID] [--state-dir DIR]
              [--read-only] [--token-file FILE] [--log-level LEVEL] [--no-scan-worker] [--no-write-worker]
        Serve the topology over HTTP (default 127.0.0.1:7300) and the page at /. Changes need the
        write token: VFMAP_TOKEN, --token-file, or <state-dir>/token (default /var/lib/vfmap), made
        at the first start and printed then. The state directory also holds audit.jsonl and
        desired.json (what vfmap keeps per PF for the next boot).
        --kernel says what VF counts are written to: real (the running kernel, through ROOT/sys),
        simulated (the tree of a simulated host) or none (a captured tree: every count change is
        refused). Default real when ROOT is /; any other --root must say it.
        sysfs is read and written in worker threads, so a long scan or a VF count change (a second
        or more in the kernel) does not stall other requests; --no-scan-worker and --no-write-worker
        do either on the main thread instead.
        Fleet: --peers proxmox (the Proxmox cluster's nodes, from /etc/pve/.members) or
        --peers file:PATH (a Prometheus file_sd target list), repeatable, and --peer URL for one
        agent: the page and /api/v1 then show every host, and writes for another host go to its
        agent with the fleet credential. [--peer-port N] [--peer-timeout-ms MS] [--fleet-token-file FILE]
        Beyond 127.0.0.1 the agent speaks HTTPS: --tls-cert/--tls-key, else on Proxmox the node's
        pve-ssl.pem, else a certificate made in the state directory (its fingerprint is logged).
        As root it runs split (as Proxmox runs pveproxy as www-data and pvedaemon as root): the
        HTTP side as --user (default vfmap, else nobody), a root helper for the privileged steps
        only (sriov_numvfs, qm/virsh). --single-process keeps one root process.
        --helper-socket PATH: be the HTTP side of a helper started on its own (vfmap helper).
  vfmap helper [--socket PATH] [--user USER] [--root DIR] [--kernel KIND] [--hypervisor KIND]
        The root helper as a service of its own (packaging/vfmap-helper.service), on a Unix socket
        (default /run/vfmap/helper.sock, mode 0600, owned by --user).
  vfmap hub   --peers proxmox|file:PATH | --peer URL  [--listen HOST:PORT] [--state-dir DIR] [...]
        Serve the fleet's API and page with no host of its own.
  vfmap apply-desired [--root DIR] [--kernel KIND] [--state-dir DIR] [--hypervisor KIND] [--force]
        Set each PF's VF count kept in <state-dir>/desired.json again (at boot: the kernel
        forgets them). Exits 1 when a count could not be applied.
  vfmap demo  [--profile demo|minimal|large|...] [--listen HOST:PORT] [--split [--user USER]]
        Generate a simulated host in a temporary directory and run the agent over it (with the
        simulated kernel). --split runs it as the agent runs on a host: a helper and an HTTP side.

Environment: VFMAP_ROOT, VFMAP_KERNEL, VFMAP_LISTEN, VFMAP_HYPERVISOR, VFMAP_HOST_ID, VFMAP_STATE_DIR,
VFMAP_READ_ONLY, VFMAP_TOKEN_FILE, VFMAP_TOKEN, VFMAP_LOG_LEVEL, VFMAP_SCAN_WORKER=0, VFMAP_WRITE_WORKER=0,
VFMAP_PEERS and VFMAP_PEER (comma-separated), VFMAP_PEER_PORT, VFMAP_PEER_TIMEOUT_MS, VFMAP_TLS, VFMAP_TLS_CERT,
VFMAP_TLS_KEY, VFMAP_FLEET_TOKEN_FILE, VFMAP_SINGLE_PROCESS, VFMAP_USER, VFMAP_HELPER_SOCKET, VFMAP_DEMO_SPLIT
(a flag wins over its variable).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan': {
      return (await load.scan()).runScan(rest, () => import('@vfmap/hypervisors'));
    }
    case 'agent': {
      const config = (await load.config()).parseAgentConfig(rest);
      // As root, the agent splits unless told not to: it stays root as the helper and runs the HTTP side as --user.
      if (!config.singleProcess && !config.helperSocket && process.getuid?.() === 0) {
        const split = await (await load.split()).splitAgentCommand(config, rest);
        process.stdout.write(`vfmap agent (split): the root helper is pid ${process.pid}, the HTTP side pid ${split.child.pid}\n`);
        onSignal(() => split.close());
        void split.exited.then((code) => process.exit(code));
        return -1;
      }
      const { startAgent } = await load.agent();
      const agent = await startAgent(config);
      process.stdout.write(`vfmap agent for host ${agent.hostId} listening on ${agent.url}\n${agent.tls ? `TLS certificate fingerprint (SHA-256): ${agent.tls.fingerprint}\n` : ''}${tokenNotice(agent)}`);
      onSignal(() => agent.close());
      return -1;
    }
    case 'demo': {
      // Without --state-dir the demo's token, audit log and desired counts live as long as the demo.
      const tmpState = mkdtempSync(join(tmpdir(), 'vfmap-state-'));
      const config = (await load.config()).parseDemoConfig(rest, tmpState);
      const ownState = config.stateDir === tmpState;
      if (!ownState) rmSync(tmpState, { recursive: true, force: true });
      if (config.split) {
        const demo = (await load.demo()).startSplitDemo(config, rest);
        process.stdout.write(`vfmap demo (split): a simulated host in ${demo.root}; the root helper is pid ${process.pid}, the HTTP side pid ${demo.split.child.pid}\n`);
        const stop = async () => {
          await demo.close();
          if (ownState) rmSync(tmpState, { recursive: true, force: true });
        };
        onSignal(stop);
        void demo.split.exited.then(async (code) => {
          await stop();
          process.exit(code);
        });
        return -1;
      }
      const { startDemo } = await load.demo();
      const demo = await startDemo(config);
      process.stdout.write(`vfmap demo: a simulated host in ${demo.root}\nOpen ${demo.url}\n${tokenNotice(demo)}`);
      onSignal(async () => {
        await demo.close();
        if (ownState) rmSync(tmpState, { recursive: true, force: true });
      });
      return -1;
    }
    case 'hub': {
      const config = (await load.config()).parseHubConfig(rest);
      const hub = await (await load.hub()).startHub(config);
      process.stdout.write(`vfmap hub ${hub.id} listening on ${hub.url}\n${hub.tls ? `TLS certificate fingerprint (SHA-256): ${hub.tls.fingerprint}\n` : ''}${tokenNotice(hub)}`);
      onSignal(() => hub.close());
      return -1;
    }
    case 'helper': {
      const config = (await load.config()).parseHelperConfig(rest);
      const helper = await (await load.split()).runHelper(config);
      onSignal(() => helper.close());
      return -1;
    }
    case 'http-side': {
      // Started by the split agent (helper/splitAgent.ts), never by hand: fd 3 is its socket to the root helper.
      const side = await (await load.split()).startHttpSide(rest);
      process.stdout.write(`vfmap agent for host ${side.agent.hostId} listening on ${side.agent.url} (HTTP side, uid ${process.getuid?.()})\n${side.agent.tls ? `TLS certificate fingerprint (SHA-256): ${side.agent.tls.fingerprint}\n` : ''}${tokenNotice(side.agent)}`);
      onSignal(() => side.agent.close());
      return -1;
    }
    case 'apply-desired': {
      const config = (await load.config()).parseApplyDesiredConfig(rest);
      const { applyDesiredCommand } = await load.applyDesired();
      return applyDesiredCommand(config, process.stdout);
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

/**
 * The token is printed once, when it is made: on stdout for the person who started the agent,
 * never in the log. Later starts read it from the file.
 */
function tokenNotice(agent: Pick<RunningAgent, 'writeToken'>): string {
  const token = agent.writeToken;
  if (!token?.created) return '';
  return `Write token (made now in ${token.path}, shown only this once; the page asks for it): ${token.value}\n`;
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

exitWith(main(process.argv.slice(2)));

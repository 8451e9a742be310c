import { parseScanConfig } from './scanConfig';
import { type HypervisorsModule, scanCommand } from './scanCommand';

/** `vfmap scan ARGS`: prints the topology; 0, or throws (ConfigError for bad flags). */
export async function runScan(args: string[], loadHypervisors: () => Promise<HypervisorsModule>): Promise<number> {
  const config = parseScanConfig(args);
  process.stdout.write(await scanCommand(config, loadHypervisors));
  return 0;
}

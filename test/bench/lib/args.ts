// Command line: `pnpm bench [--quick] [--only S1,S3] [--no-relay]`.
import type { ScenarioId } from '../scenarios/registry';

export interface BenchArgs {
  quick: boolean;
  only: Set<ScenarioId> | null;
  relay: boolean;
}

const ALL: ScenarioId[] = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'];

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: null, relay: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--no-relay') args.relay = false;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice('--only='.length) : (argv[++i] ?? '');
      const ids = value.split(',').map((s) => s.trim().toUpperCase());
      const unknown = ids.filter((id) => !ALL.includes(id as ScenarioId));
      if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
      args.only = new Set(ids as ScenarioId[]);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: pnpm bench [--quick] [--only S1,S2,…] [--no-relay]\n');
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  return args;
}

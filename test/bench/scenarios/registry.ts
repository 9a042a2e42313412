// Scenario id → the function the load-generator process runs for it.
import type { ServerEndpoint } from '../load/targets';
import type { LocalContext, ScenarioContext } from './context';
import { runS1 } from './s1-one-board';
import { runS2 } from './s2-ramp';
import { runS3 } from './s3-many-boards';
import { runS4 } from './s4-joins';
import { runS5Compaction } from './s5-compaction';
import { runS6 } from './s6-socketio';
import { runS8 } from './s8-timeline';

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7' | 'S8';

export interface LoadSpec {
  scenario: ScenarioId;
  /** Absent for scenarios that need no server. */
  server?: ServerEndpoint;
  quick: boolean;
}

export const SERVER_LOADS: Partial<Record<ScenarioId, (ctx: ScenarioContext) => Promise<unknown>>> = {
  S1: runS1,
  S2: runS2,
  S3: runS3,
  S4: runS4,
  S5: runS5Compaction,
  S6: runS6,
};

export const LOCAL_LOADS: Partial<Record<ScenarioId, (ctx: LocalContext) => Promise<unknown>>> = {
  S8: runS8,
};

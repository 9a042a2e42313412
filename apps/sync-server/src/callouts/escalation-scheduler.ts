// Fires escalations when acknowledgement deadlines pass. Deadlines live in storage, so one timer aimed
// at the earliest one is enough, and a restart simply runs once at start: overdue callouts escalate
// immediately. Escalation itself is a compare-and-set in storage, so it never happens twice.
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Storage } from '../storage/storage';
import type { CalloutService } from './callout-service';

/** setTimeout cannot wait longer than ~24.8 days; re-check at least this often anyway. */
const MAX_WAIT_MS = 60 * 60 * 1000;
const RETRY_AFTER_ERROR_MS = 1_000;

export class EscalationScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private rerun = false;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: CalloutService,
    private readonly storage: Storage,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.poke();
  }

  /** Escalate what is due now and aim the timer at the next deadline. Safe to call any time. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    this.current = this.run().finally(() => {
      this.running = false;
      if (this.rerun) {
        this.rerun = false;
        this.poke();
      }
    });
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.service.escalateOverdue();
      const next = await this.storage.nextCalloutDeadline();
      if (next !== null) this.arm(Math.max(0, next - this.clock()));
    } catch (error) {
      this.log.error('escalation check failed; retrying', { step: 'escalateOverdue', ...errorFields(error) });
      this.arm(RETRY_AFTER_ERROR_MS);
    }
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.poke();
    }, Math.min(delayMs, MAX_WAIT_MS));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current.catch(() => {});
  }
}

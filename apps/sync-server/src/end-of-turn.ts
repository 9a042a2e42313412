// Work that waits until the event loop has run every I/O callback of the current turn (setImmediate).
// Two stages, in order: first what collects a turn's output (a board's fan-out of every edit read this
// turn), then what releases it (sockets corked during the turn are uncorked). With a setImmediate each,
// a fan-out scheduled after the release would leave one turn late. Output that should not wait for the
// turn's end is sent inside `now`, where holders (the write coalescer) let writes through.

type Task = () => void;

export class EndOfTurn {
  private collecting: Task[] = [];
  private releasing: Task[] = [];
  private scheduled = false;
  private sendingNowDepth = 0;

  /** Runs `task` at the end of this turn, before every release. */
  collect(task: Task): void {
    this.collecting.push(task);
    this.schedule();
  }

  /** Runs `task` at the end of this turn, after every collect task (also those queued by collect tasks). */
  release(task: Task): void {
    this.releasing.push(task);
    this.schedule();
  }

  /** Runs `task` at once; what it writes leaves at once too (see `sendingNow`). */
  now(task: Task): void {
    this.sendingNowDepth++;
    try {
      task();
    } finally {
      this.sendingNowDepth--;
    }
  }

  /** True inside `now`: writes are not held for the end of the turn. */
  get sendingNow(): boolean {
    return this.sendingNowDepth > 0;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    let failure: { error: unknown } | null = null;
    const runAll = (tasks: Task[]) => {
      for (const task of tasks) {
        try {
          task();
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    while (this.collecting.length > 0) {
      const tasks = this.collecting;
      this.collecting = [];
      runAll(tasks);
    }
    const releases = this.releasing;
    this.releasing = [];
    runAll(releases);
    // Every task ran (no socket stays corked); a failure is still a bug and surfaces as one.
    if (failure) throw (failure as { error: unknown }).error;
  };
}

/** The process has one event loop, so one end of turn. */
export const endOfTurn = new EndOfTurn();

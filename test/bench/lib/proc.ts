// Reads a process's CPU time and memory from /proc (Linux). The server is measured from the outside, so
// the measurement costs it nothing.
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second for utime/stime in /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time consumed so far by one process, in milliseconds; null once it has exited. */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it are counted from the closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size in MiB (VmRSS); null once the process has exited. */
export function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Measures a process's CPU share (1.0 = one full core) between start() and stop(). */
export class CpuMeter {
  private startCpu = 0;
  private startWall = 0;
  constructor(private readonly pid: number) {}

  start(): void {
    this.startCpu = cpuTimeMs(this.pid) ?? 0;
    this.startWall = performance.now();
  }

  /** Fraction of one core used since start(). */
  read(): number {
    const cpu = cpuTimeMs(this.pid) ?? this.startCpu;
    const wall = performance.now() - this.startWall;
    return wall > 0 ? (cpu - this.startCpu) / wall : 0;
  }
}

/** Measures this process's own CPU share with process.cpuUsage (finer than /proc ticks). */
export class SelfCpuMeter {
  private startUsage = process.cpuUsage();
  private startWall = performance.now();

  start(): void {
    this.startUsage = process.cpuUsage();
    this.startWall = performance.now();
  }

  read(): number {
    const used = process.cpuUsage(this.startUsage);
    const wallMs = performance.now() - this.startWall;
    return wallMs > 0 ? (used.user + used.system) / 1000 / wallMs : 0;
  }
}

/** Busy CPU time of the whole machine (all cores) so far, in milliseconds, from /proc/stat. */
function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * How many cores' worth of work other processes did during a window: the machine's busy time minus the
 * processes we measure. Other engineers' builds and tests share this machine; this says how much.
 */
export class OtherLoadMeter {
  private startBusy = 0;
  private startWall = 0;
  private readonly ownStart = new Map<number, number>();
  constructor(private readonly pids: number[]) {}

  start(): void {
    this.startBusy = machineBusyMs();
    this.startWall = performance.now();
    for (const pid of this.pids) this.ownStart.set(pid, cpuTimeMs(pid) ?? 0);
  }

  /** Cores used by everything else since start(). */
  read(): number {
    const wall = performance.now() - this.startWall;
    if (wall <= 0) return 0;
    let own = 0;
    for (const pid of this.pids) own += (cpuTimeMs(pid) ?? this.ownStart.get(pid) ?? 0) - (this.ownStart.get(pid) ?? 0);
    return Math.max(0, (machineBusyMs() - this.startBusy - own) / wall);
  }
}

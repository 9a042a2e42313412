// What the benchmark ran on, recorded with every result so figures from different runs can be compared.
import { cpus, totalmem, loadavg, hostname, release } from 'node:os';
import { existsSync } from 'node:fs';

export interface MachineInfo {
  date: string;
  hostname: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  loadAverageAtStart: number[];
  pinning: boolean;
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    hostname: hostname(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: release(),
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    pinning: canPin(),
  };
}

/** taskset pins server and load generator to different cores; it needs the binary and two cores. */
export function canPin(): boolean {
  return cpus().length >= 2 && existsSync('/usr/bin/taskset');
}

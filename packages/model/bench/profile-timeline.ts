// Profiling driver (not a test): builds the large board's timeline and Markdown repeatedly, so
// `node --cpu-prof --import tsx bench/profile-timeline.ts [rounds]` shows where the time goes (read the
// profile with bench/cpuprofile-top.mjs).
import { buildTimeline } from '../src/timeline/build';
import { exportMarkdown } from '../src/timeline/markdown';
import { generateBoard, LARGE } from './generate-board';

declare const process: { argv: string[] };

const rounds = Number(process.argv[2] ?? 20);
const large = generateBoard(LARGE, 42);
for (let i = 0; i < rounds; i++) exportMarkdown(buildTimeline(large));

// Prints the functions with the most self time in a V8 .cpuprofile (plain Node, no dependencies):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-timeline.ts 25
//   node bench/cpuprofile-top.mjs /tmp/prof/*.cpuprofile
// tsx runs a loader thread that writes its own, nearly idle profile: the busy one is the main thread's.
import { readFileSync } from 'node:fs';

const [, , ...files] = process.argv;
const TOP = 30;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const selfMs = new Map();
  const byNode = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  let total = 0;
  for (const node of profile.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    total += ms;
    const { functionName, url } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
  }
  console.log(`${file}: ${total.toFixed(0)} ms sampled`);
  for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
}

/*
 * Preloaded into a backend process by the two-replica DORA bench when BENCH_CPU_PROF is set (`node --cpu-prof` cannot
 * be passed through NODE_OPTIONS): SIGUSR2 starts the V8 CPU profiler, the next SIGUSR2 stops it and writes
 * `<BENCH_CPU_PROF_DIR>/<BENCH_CPU_PROF_NAME>-<n>.cpuprofile`, n counting from 1 (open it in Chrome DevTools or VS Code).
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const session = new inspector.Session();
session.connect();
fs.mkdirSync(process.env.BENCH_CPU_PROF_DIR, { recursive: true });
let running = false;
let written = 0;

process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  running = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) {
      process.stderr.write(`CPU profile: ${error}\n`);
      return;
    }
    written += 1;
    const file = path.join(
      process.env.BENCH_CPU_PROF_DIR,
      `${process.env.BENCH_CPU_PROF_NAME}-${written}.cpuprofile`,
    );
    fs.writeFileSync(file, JSON.stringify(result.profile));
  });
});

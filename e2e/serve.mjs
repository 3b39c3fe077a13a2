// Starts one portal for every browser journey (scripts/test-all.sh runs this in the background), prints "ready" when
// both the backend and the frontend answer, and stops the portal on SIGTERM or SIGINT. The journeys' own startPortal
// calls then find it running and leave it alone, so the files cannot stop a portal another file is still using.
import { startPortal } from './portal.mjs';

const stop = await startPortal();
process.stdout.write('ready\n');
const shutDown = async () => {
  await stop();
  process.exit(0);
};
process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
setInterval(() => {}, 1 << 30);

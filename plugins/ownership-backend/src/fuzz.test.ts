import { describeOpenApiFuzz, mockScheduler } from '@vitals/backend-test-utils';
import ownershipPlugin from './index';
import { SNAPSHOT_TASK_ID } from './plugin';

const scheduler = mockScheduler();

// Every operation of the spec, as it says and broken a field at a time, against the real backend with real tokens,
// over the example org's snapshot.
describeOpenApiFuzz({
  title: 'ownership',
  srcDir: __dirname,
  basePath: '/api/ownership',
  features: [ownershipPlugin],
  scheduler,
  prepare: () => scheduler.triggerTask(SNAPSHOT_TASK_ID),
});

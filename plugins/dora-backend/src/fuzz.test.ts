import { describeOpenApiFuzz } from '@vitals/backend-test-utils';
import doraPlugin from './index';

// Every operation of the spec, as it says and broken a field at a time, against the real backend with real tokens.
describeOpenApiFuzz({
  title: 'DORA',
  srcDir: __dirname,
  basePath: '/api/dora',
  features: [doraPlugin],
  // With a secret the PagerDuty webhook route exists, so the fuzzer reaches it (unsigned: 401).
  config: { dora: { webhooks: { pagerduty: { secret: 'fuzz-secret' } } } },
});

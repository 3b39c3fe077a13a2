import { describeOpenApiFuzz } from '@vitals/backend-test-utils';
import techDebtPlugin from './index';

// Every operation of the spec, as it says and broken a field at a time, against the real backend with real tokens.
describeOpenApiFuzz({
  title: 'tech-debt',
  srcDir: __dirname,
  basePath: '/api/tech-debt',
  features: [techDebtPlugin],
});

import { describeOpenApiFuzz } from '@vitals/backend-test-utils';
import scorecardsPlugin from './index';

// Every operation of the spec, as it says and broken a field at a time, against the real backend with real tokens.
describeOpenApiFuzz({
  title: 'scorecards',
  srcDir: __dirname,
  basePath: '/api/scorecards',
  features: [scorecardsPlugin],
});

import { describeOpenApiFuzz } from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import doraPlugin from '@vitals/plugin-dora-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import postmortemsPlugin from './index';

// Every operation of the spec, as it says and broken a field at a time, against the real backend with real tokens
// (and the real DORA and tech-debt backends it calls).
describeOpenApiFuzz({
  title: 'postmortems',
  srcDir: __dirname,
  basePath: '/api/postmortems',
  features: [postmortemsPlugin, doraPlugin, techDebtPlugin],
});

import { describeOpenApiFuzz } from '@vitals/backend-test-utils';
import onboardingPlugin from './index';

// Every operation of the spec, as it says and broken a field at a time, against the real backend with real tokens.
describeOpenApiFuzz({
  title: 'onboarding',
  srcDir: __dirname,
  basePath: '/api/onboarding',
  features: [onboardingPlugin],
});

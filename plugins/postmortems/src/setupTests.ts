import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The first render of a page pulls in Material UI and the app shell; on a busy 2-core CI machine that alone can take
// several seconds, so give async queries and tests room rather than fail on load.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

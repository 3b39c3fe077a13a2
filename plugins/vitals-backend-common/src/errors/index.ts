export { hideInternalErrors } from './hideInternalErrors';
export { nameUnknownBodyFields } from './nameUnknownBodyFields';
export { errorForStatus } from './errorForStatus';

export { hideInternalErrors } from './hideInternalErrors';
export { nameUnknownBodyFields } from './nameUnknownBodyFields';

export { hideInternalErrors } from './hideInternalErrors';

export { entityRefOf, fullEntityRef } from './entityRefs';

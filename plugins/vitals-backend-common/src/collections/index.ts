export { chunks } from './chunks';

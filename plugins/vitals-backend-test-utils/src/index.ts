/**
 * Test and benchmark helpers shared by the Vitals backends. A development dependency only: nothing here ships.
 *
 * @packageDocumentation
 */
export * from './databases';
export * from './examples';
export * from './migrations';
export * from './routerApp';
export * from './testBackend';
export * from './bench/database';
export * from './bench/random';
export * from './bench/report';
export * from './bench/run';
export * from './bench/server';
export * from './bench/stats';
export * from './bench/timing';
export * from './trustBackend';
export * from './openApi';
export * from './openApiFuzz';
export * from './openApiFuzzSuite';

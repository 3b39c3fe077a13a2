import { mockServices } from '@backstage/backend-test-utils';
import { readMaxConcurrentWrites } from './flowConfig';

const config = (maxConcurrentWrites?: number) =>
  mockServices.rootConfig({
    data:
      maxConcurrentWrites === undefined
        ? {}
        : { dora: { ingest: { maxConcurrentWrites } } },
  });

describe('readMaxConcurrentWrites', () => {
  it('sets no limit unless configured, and takes a whole number from 1', () => {
    expect(readMaxConcurrentWrites(config())).toBeUndefined();
    expect(readMaxConcurrentWrites(config(2))).toBe(2);
  });

  it.each([0, 1.5, -1])('refuses %s at start-up, naming the key', value => {
    expect(() => readMaxConcurrentWrites(config(value))).toThrow(
      `Invalid dora.ingest.maxConcurrentWrites: ${value}`,
    );
  });
});

import { errorForStatus } from './errorForStatus';

describe('errorForStatus', () => {
  it.each([
    [400, 'InputError'],
    [403, 'NotAllowedError'],
    [404, 'NotFoundError'],
    [409, 'ConflictError'],
  ])('passes %s on as %s with the message', (status, name) => {
    const error = errorForStatus(status, 'Scorecards: no such level');
    expect(error?.name).toBe(name);
    expect(error?.message).toBe('Scorecards: no such level');
  });

  it.each([[401], [500], [503], [undefined]])(
    'leaves %s to the caller',
    status => {
      expect(errorForStatus(status, 'x')).toBeUndefined();
    },
  );
});

import { describeZodError } from './validation';
import {
  entityRefOfKindSchema,
  entityRefSchema,
  normalizeEntityRef,
} from './entityRefs';

describe('entity refs', () => {
  it('normalises full and shorthand refs to lower-case kind:namespace/name', () => {
    expect(normalizeEntityRef('Component:default/Payments-API')).toBe(
      'component:default/payments-api',
    );
    expect(normalizeEntityRef('jane', { defaultKind: 'user' })).toBe(
      'user:default/jane',
    );
    expect(normalizeEntityRef('no-kind')).toBeUndefined();
  });

  it('rejects a ref without a kind with a message that shows the expected form', () => {
    const result = entityRefSchema.safeParse('payments-api');
    expect(result.success).toBe(false);
    expect(describeZodError(result.error!)).toContain(
      "'payments-api' is not an entity ref like component:default/my-service",
    );
  });

  it('refuses control characters, which PostgreSQL would refuse with a 500', () => {
    for (const schema of [
      entityRefSchema,
      entityRefOfKindSchema('component'),
    ]) {
      const result = schema.safeParse('component:default/a\u0000b');
      expect(result.success).toBe(false);
      expect(describeZodError(result.error!)).toContain(
        'must not contain control characters',
      );
    }
  });

  it('answers the same when asked again, with or without defaults, whatever it answered before', () => {
    expect(normalizeEntityRef('Jane')).toBeUndefined();
    expect(normalizeEntityRef('Jane', { defaultKind: 'user' })).toBe(
      'user:default/jane',
    );
    expect(normalizeEntityRef('Jane')).toBeUndefined();
    expect(normalizeEntityRef('Group:Payments')).toBe('group:default/payments');
    expect(
      normalizeEntityRef('Group:Payments', { defaultNamespace: 'other' }),
    ).toBe('group:other/payments');
    expect(normalizeEntityRef('Group:Payments')).toBe('group:default/payments');
  });

  it('accepts only the requested kind', () => {
    expect(entityRefOfKindSchema('group').parse('payments')).toBe(
      'group:default/payments',
    );
    expect(
      entityRefOfKindSchema('group').safeParse('user:default/jane').success,
    ).toBe(false);
  });
});

import { entityRefOf, fullEntityRef } from './entityRefs';

describe('entity refs', () => {
  it('gives an entity its normalised ref whatever the catalog spelling', () => {
    expect(
      entityRefOf({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'Payments-API', namespace: 'Default' },
      }),
    ).toBe('component:default/payments-api');
  });

  it('completes shorthand refs and refuses what is not one', () => {
    expect(fullEntityRef('payments', 'group', 'default')).toBe(
      'group:default/payments',
    );
    expect(fullEntityRef(' User:Ops/Ann ', 'group', 'default')).toBe(
      'user:ops/ann',
    );
    expect(fullEntityRef('', 'group', 'default')).toBeNull();
    expect(fullEntityRef(42, 'group', 'default')).toBeNull();
  });
});

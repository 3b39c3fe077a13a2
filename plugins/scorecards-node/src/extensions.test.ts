import { scorecardsFactProvidersExtensionPoint } from './extensions';

describe('scorecardsFactProvidersExtensionPoint', () => {
  it('keeps the id that modules are written against', () => {
    // Modules resolve the extension point by this id; changing it would leave every installed provider unregistered.
    expect(scorecardsFactProvidersExtensionPoint.id).toBe(
      'scorecards.fact-providers',
    );
  });
});

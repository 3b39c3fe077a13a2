import { FACT_UNIT_RULES, factUnit } from './factUnits';

describe('factUnit', () => {
  it.each([
    ['dora.leadTimeMedianMinutes', 'minutes'],
    ['dora.timeToRestoreMedianMinutes', 'minutes'],
    ['dora.changeFailureRate', 'fraction'],
    ['dora.weeklyMedianDeploymentDays', 'daysPerWeek'],
    ['dora.monthlyMedianDeploymentDays', 'daysPerMonth'],
    ['dora.deploymentCount', 'count'],
    ['ownership.confirmationAgeDays', 'days'],
    ['ownership.problemCount', 'count'],
    ['onboarding.teamMedianDaysToFirstChange', 'days'],
    ['onboarding.teamMedianDaysToFirstDeploy', 'days'],
    ['techDebt.openEffortDays', 'days'],
    ['techDebt.ownerBudgetUsePercent', 'percent'],
    ['techDebt.openCount', 'count'],
    ['catalog.linkCount', 'count'],
    ['flow.codingMedianHours', 'hours'],
    ['flow.pickupMedianHours', 'hours'],
    ['flow.reviewMedianHours', 'hours'],
    ['flow.deployMedianHours', 'hours'],
    ['flow.unreviewedShare', 'fraction'],
    ['flow.largePrShare', 'fraction'],
    ['flow.waitingForReviewCount', 'count'],
    ['flow.overdueReviewCount', 'count'],
    ['ci.durationMedianMinutes', 'minutes'],
    ['ci.durationP90Minutes', 'minutes'],
    ['ci.queueMedianMinutes', 'minutes'],
    ['ci.defaultBranchSuccessRate', 'fraction'],
    ['ci.flakyRate', 'fraction'],
    ['ci.timeToGreenMedianHours', 'hours'],
  ])('reads %s as %s', (factId, unit) => {
    expect(factUnit(factId)).toBe(unit);
  });

  it('gives no unit to facts whose names follow no convention', () => {
    expect(factUnit('catalog.descriptionLength')).toBeUndefined();
    expect(factUnit('dora.leadTimeTier')).toBeUndefined();
    expect(factUnit('catalog.hasTechDocs')).toBeUndefined();
    // A unit word inside the name is not its ending.
    expect(factUnit('flow.hoursLogged')).toBeUndefined();
    expect(factUnit('flow.shareholders')).toBeUndefined();
    expect(factUnit('')).toBeUndefined();
  });

  it('reads the fact’s own name, not the provider prefix', () => {
    expect(factUnit('minutes.deploymentTier')).toBeUndefined();
    expect(factUnit('leadTimeMinutes')).toBe('minutes');
  });

  it('names an example each rule is for, and the example gets that rule’s unit', () => {
    for (const rule of FACT_UNIT_RULES) {
      expect(factUnit(rule.example)).toBe(rule.unit);
    }
  });
});

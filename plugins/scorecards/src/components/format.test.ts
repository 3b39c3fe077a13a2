import { failureMessage, formatFactValue } from './format';

describe('formatFactValue', () => {
  it('shows whole numbers as they are and rounds the others for reading', () => {
    expect(formatFactValue(5)).toBe('5');
    expect(formatFactValue(10080)).toBe('10080');
    expect(formatFactValue(0.029850746268656716)).toBe('0.0299');
    expect(formatFactValue(48.16869166666667)).toBe('48.17');
    expect(formatFactValue(586.40625)).toBe('586.41');
    expect(formatFactValue(3918.5)).toBe('3918.5');
    expect(formatFactValue(-0.5)).toBe('-0.5');
  });

  it('names no data, booleans and lists in words', () => {
    expect(formatFactValue(null)).toBe('no data');
    expect(formatFactValue(true)).toBe('yes');
    expect(formatFactValue([])).toBe('(empty list)');
    expect(formatFactValue(['a', 'b'])).toBe('a, b');
  });
});

describe('formatFactValue in the fact’s unit', () => {
  it('reads durations, rates, days and percentages from the fact id', () => {
    expect(formatFactValue(4219, 'dora.leadTimeMedianMinutes')).toBe(
      '2 days 22 h',
    );
    expect(formatFactValue(586.40625, 'dora.timeToRestoreMedianMinutes')).toBe(
      '9 h 46 min',
    );
    expect(formatFactValue(0.037, 'dora.changeFailureRate')).toBe('3.7%');
    expect(formatFactValue(21.833333333333332, 'flow.pickupMedianHours')).toBe(
      '21 h 50 min',
    );
    expect(formatFactValue(30.5, 'ci.timeToGreenMedianHours')).toBe(
      '1 day 7 h',
    );
    expect(formatFactValue(0.2222, 'flow.largePrShare')).toBe('22.2%');
    expect(
      formatFactValue(14.017433333333333, 'ci.durationMedianMinutes'),
    ).toBe('14 min');
    expect(formatFactValue(2.5, 'dora.weeklyMedianDeploymentDays')).toBe(
      '2.5 days / week',
    );
    expect(formatFactValue(9, 'dora.monthlyMedianDeploymentDays')).toBe(
      '9 days / month',
    );
    expect(formatFactValue(1, 'ownership.confirmationAgeDays')).toBe('1 day');
    expect(
      formatFactValue(3.25, 'onboarding.teamMedianDaysToFirstDeploy'),
    ).toBe('3.3 days');
    expect(formatFactValue(87.5, 'techDebt.ownerBudgetUsePercent')).toBe(
      '87.5%',
    );
    expect(formatFactValue(12, 'techDebt.openCount')).toBe('12');
  });

  it('shows values of facts without a unit, and non-numbers, as before', () => {
    expect(
      formatFactValue(48.16869166666667, 'catalog.descriptionLength'),
    ).toBe('48.17');
    expect(formatFactValue('elite', 'dora.changeFailureRate')).toBe('elite');
    expect(formatFactValue(null, 'dora.leadTimeMedianMinutes')).toBe('no data');
  });
});

describe('failureMessage', () => {
  const leadTime = {
    fact: 'dora.leadTimeMedianMinutes',
    operator: '<=' as const,
    threshold: 1440,
  };

  it('words a failed comparison in the fact’s unit', () => {
    expect(
      failureMessage(leadTime, { value: 4219, message: '4219 is not <= 1440' }),
    ).toBe('2 days 22 h is not <= 1 day');
    expect(
      failureMessage(
        { fact: 'dora.changeFailureRate', operator: '<', threshold: 0.15 },
        { value: 0.4, message: '0.4 is not < 0.15' },
      ),
    ).toBe('40% is not < 15%');
    expect(
      failureMessage(
        { fact: 'flow.pickupMedianHours', operator: '<=', threshold: 24 },
        { value: 25.5, message: '25.5 is not <= 24' },
      ),
    ).toBe('1 day 2 h is not <= 1 day');
    expect(
      failureMessage(
        { fact: 'ci.flakyRate', operator: '<=', threshold: 0.1 },
        {
          value: 0.6226415094339622,
          message: '0.6226415094339622 is not <= 0.1',
        },
      ),
    ).toBe('62.3% is not <= 10%');
  });

  it('leaves other messages as the evaluation wrote them', () => {
    expect(failureMessage(leadTime, { value: null, message: 'no data' })).toBe(
      'no data',
    );
    expect(failureMessage(leadTime, { value: 10, message: null })).toBeNull();
    expect(
      failureMessage(
        { fact: 'techDebt.openCount', operator: '<=', threshold: 5 },
        { value: 8, message: '8 is not <= 5' },
      ),
    ).toBe('8 is not <= 5');
  });
});

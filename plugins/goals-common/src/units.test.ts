import { formatWithUnit } from './units';

describe('formatWithUnit', () => {
  it.each([
    [36, 'hours', '36 hours'],
    [1, 'hours', '1 hour'],
    [1.04, 'days', '1 day'],
    [1.5, 'days', '1.5 days'],
    [0, 'points', '0 points'],
    [1, 'deployment days/week', '1 deployment day/week'],
    [2.46, 'deployment days/week', '2.5 deployment days/week'],
    [1, 'deployments a week', '1 deployment a week'],
    [66.66, '%', '66.7%'],
    [1234.5, '', '1,234.5'],
    [1, 'incidents', '1 incidents'],
  ])('%p %p reads %p', (value, unit, expected) => {
    expect(formatWithUnit(value, unit)).toBe(expected);
  });
});

import { formatFactValue } from './format';

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

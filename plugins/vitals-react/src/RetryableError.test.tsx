import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RetryableError } from './RetryableError';

describe('RetryableError', () => {
  it('names what failed, shows the error and loads again on "Try again"', async () => {
    const onRetry = jest.fn();
    await renderInTestApp(
      <RetryableError
        title="Could not load the campaign"
        error={new Error('The goals backend did not answer')}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByText(/Could not load the campaign/)).toBeInTheDocument();
    expect(
      screen.getAllByText(/The goals backend did not answer/).length,
    ).toBeGreaterThan(0);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});

import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Line, LineChart } from 'recharts';
import { ChartFrame } from './ChartFrame';

const chart = (
  <LineChart data={[{ x: 1 }, { x: 2 }]}>
    <Line dataKey="x" />
  </LineChart>
);

describe('ChartFrame', () => {
  it('is a figure named by its label, holding the chart', async () => {
    await renderInTestApp(
      <ChartFrame label="Deployments per week" height={240}>
        {chart}
      </ChartFrame>,
    );
    const figure = screen.getByRole('figure', { name: 'Deployments per week' });
    expect(
      figure.querySelector('.recharts-responsive-container'),
    ).not.toBeNull();
  });

  it('says there is nothing to plot instead of drawing an empty chart', async () => {
    await renderInTestApp(
      <ChartFrame
        label="Lead time trend"
        height={240}
        hasData={false}
        emptyMessage="No data in this window"
      >
        {chart}
      </ChartFrame>,
    );
    const figure = screen.getByRole('figure', { name: 'Lead time trend' });
    expect(figure).toHaveTextContent('No data in this window');
    expect(figure.querySelector('.recharts-responsive-container')).toBeNull();
  });

  it('can be a picture only', async () => {
    await renderInTestApp(
      <ChartFrame label="Score trend" height={220} role="img">
        {chart}
      </ChartFrame>,
    );
    expect(
      screen.getByRole('img', { name: 'Score trend' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('figure')).toBeNull();
  });
});

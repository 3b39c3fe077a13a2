import { render, screen } from '@testing-library/react';
import { EllipsisText, nameColumn, nowrapColumn } from './tableColumns';

describe('nameColumn', () => {
  it('never breaks a name inside a word and keeps the column at its minimum width', () => {
    const { cellStyle, headerStyle } = nameColumn(140);
    for (const style of [cellStyle, headerStyle]) {
      expect(style).toMatchObject({
        wordBreak: 'keep-all',
        overflowWrap: 'normal',
        minWidth: 140,
      });
    }
  });

  it('overrides the theme’s break-anywhere in the rendered cell', () => {
    render(
      <table>
        <tbody>
          <tr>
            <td style={{ wordBreak: 'break-word', ...nameColumn().cellStyle }}>
              Documentation
            </td>
          </tr>
        </tbody>
      </table>,
    );
    const cell = screen.getByRole('cell', { name: 'Documentation' });
    expect(cell).toHaveStyle({ wordBreak: 'keep-all', minWidth: '120px' });
    expect(cell.style.overflowWrap).toBe('normal');
  });
});

describe('nowrapColumn', () => {
  it('keeps short values on one line', () => {
    expect(nowrapColumn().cellStyle).toEqual({ whiteSpace: 'nowrap' });
  });
});

describe('EllipsisText', () => {
  it('shows a long sentence on one line, cut with an ellipsis, with the whole sentence as its tooltip', () => {
    const sentence =
      'The owner group:default/billing-platform is not in the catalog: the entity has no reachable owner';
    render(<EllipsisText text={sentence} maxWidth={300} />);
    const text = screen.getByText(sentence);
    expect(text).toHaveAttribute('title', sentence);
    expect(text).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      maxWidth: '300px',
    });
  });
});

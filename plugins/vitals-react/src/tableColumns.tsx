import type { CSSProperties } from 'react';

/**
 * Style of a table column whose cells hold names (entities, teams, categories, titles). The Backstage theme lets table
 * cells break anywhere inside a word (`word-break: break-word`), which turns a narrow "payments" column into
 * "paymen / ts"; here a name wraps only between words, and the column is at least `minWidth` pixels wide. Spread it
 * into a column of a Backstage `Table`: `{ title: 'Team', ...nameColumn(140), render }`.
 *
 * @public
 */
export function nameColumn(minWidth = 120): {
  cellStyle: CSSProperties;
  headerStyle: CSSProperties;
} {
  const style: CSSProperties = {
    wordBreak: 'keep-all',
    overflowWrap: 'normal',
    hyphens: 'manual',
    minWidth,
  };
  return { cellStyle: style, headerStyle: { ...style } };
}

/**
 * Style of a table column of short values that read badly over two lines: numbers with a unit, dates, statuses
 * ("3 h/mo", "In progress", "12 Nov 2026"). The cells never wrap.
 *
 * @public
 */
export function nowrapColumn(): {
  cellStyle: CSSProperties;
  headerStyle: CSSProperties;
} {
  return {
    cellStyle: { whiteSpace: 'nowrap' },
    headerStyle: { whiteSpace: 'nowrap' },
  };
}

/**
 * A sentence that may be long (a problem description, a reason) shown on one line in a table cell and cut with an
 * ellipsis at `maxWidth` pixels, so that rows stay one line tall; the whole text is the element's tooltip (`title`)
 * and stays in the page for screen readers and search.
 *
 * @public
 */
export function EllipsisText(props: {
  text: string;
  maxWidth?: number | string;
}) {
  return (
    <div
      title={props.text}
      style={{
        maxWidth: props.maxWidth ?? 360,
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
      }}
    >
      {props.text}
    </div>
  );
}

import { nameColumn, nowrapColumn } from '@vitals/react';
import type { CSSProperties } from 'react';

/**
 * A column of figures with units ("3 h 20 min", "62.5%"): the values stay on one line, and a header of several words
 * ("Success on default branch") wraps between its words only.
 */
export function figureColumn(): {
  cellStyle: CSSProperties;
  headerStyle: CSSProperties;
} {
  return {
    cellStyle: nowrapColumn().cellStyle,
    headerStyle: nameColumn(0).headerStyle,
  };
}

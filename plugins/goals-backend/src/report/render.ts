import { toCsv } from '@vitals/common';
import { StakeholderReport } from '@vitals/plugin-goals-common';
import { STATUS_WORDS } from './plainLanguage';

/** The file name of an export: `stakeholder-report-payments-2026-Q4.md`. */
export function reportFileName(
  report: Pick<StakeholderReport, 'team' | 'quarter'>,
  extension: 'md' | 'csv',
): string {
  const name =
    report.team === 'org'
      ? 'org'
      : report.team.replace(/^group:/, '').replace(/^default\//, '');
  return `stakeholder-report-${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}-${
    report.quarter
  }.${extension}`;
}

/** Markdown text is written as is, except what would start markup or break a table. */
const md = (text: string) => text.replace(/([\\`*_[\]|<>])/g, '\\$1');

/** The report as one Markdown page: headline, goals, campaigns, delivery, flow, debt. */
export function renderMarkdown(report: StakeholderReport): string {
  const lines: string[] = [
    `# ${md(report.title)}: ${report.quarter}`,
    '',
    `From ${report.from.slice(0, 10)} to ${report.to.slice(
      0,
      10,
    )}, compared with ${report.previousQuarter}. Generated ${report.generatedAt
      .slice(0, 16)
      .replace('T', ' ')} UTC.`,
    '',
    '## In short',
    '',
    ...report.summary.map(s => `- ${md(s)}`),
    '',
    '## Goals',
    '',
  ];
  if (!report.goals.length) lines.push('No goals set for the quarter.', '');
  for (const goal of report.goals) {
    lines.push(`### ${md(goal.objective)}`, '', md(goal.sentence), '');
    for (const kr of goal.keyResults) lines.push(`- ${md(kr.sentence)}`);
    lines.push('');
  }
  lines.push('## Campaigns', '');
  if (!report.campaigns.length)
    lines.push('No campaigns ran in the quarter.', '');
  else {
    lines.push(
      '| Campaign | Done | Due | Standing |',
      '| --- | --- | --- | --- |',
    );
    for (const c of report.campaigns) {
      let standing = c.status === 'ended' ? 'ended' : 'on course';
      if (c.done >= c.entities && c.entities > 0) standing = 'complete';
      else if (c.atRisk) standing = `at risk: ${c.riskReasons.join('; ')}`;
      lines.push(
        `| ${md(c.name)} | ${c.done} of ${c.entities} | ${c.deadline} | ${md(
          standing,
        )} |`,
      );
    }
    lines.push('');
  }
  for (const [heading, section] of [
    ['Delivery (DORA)', report.delivery],
    ['Flow', report.flow],
  ] as const) {
    lines.push(`## ${heading}`, '');
    if (!section.available)
      lines.push(`Not available: ${md(section.reason ?? 'unknown')}.`, '');
    else {
      for (const t of section.trends) lines.push(`- ${md(t.sentence)}`);
      lines.push('');
    }
  }
  lines.push('## Debt', '', md(report.debt.sentence), '');
  return `${lines.join('\n')}`;
}

interface CsvRow {
  section: string;
  item: string;
  status: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  target: number | null;
  previous: number | null;
  progress: number | null;
  sentence: string;
}

/** The report as CSV: one row per key result, campaign, DORA and flow figure, and the debt line. */
export function renderCsv(report: StakeholderReport): string {
  const rows: CsvRow[] = [];
  const empty = {
    baseline: null,
    target: null,
    previous: null,
    progress: null,
  };
  for (const goal of report.goals) {
    rows.push({
      ...empty,
      section: 'goal',
      item: goal.objective,
      status: STATUS_WORDS[goal.status],
      value: goal.progress,
      unit: '% done',
      sentence: goal.sentence,
    });
    for (const kr of goal.keyResults)
      rows.push({
        section: 'key result',
        item: `${goal.objective} / ${kr.title}`,
        status: STATUS_WORDS[kr.status],
        value: kr.current,
        unit: kr.unit,
        baseline: kr.baseline,
        target: kr.target,
        previous: null,
        progress: kr.progress,
        sentence: kr.sentence,
      });
  }
  for (const c of report.campaigns)
    rows.push({
      ...empty,
      section: 'campaign',
      item: c.name,
      status: c.atRisk ? 'at risk' : c.status,
      value: c.done,
      unit: `of ${c.entities} entities, due ${c.deadline}`,
      target: c.entities,
      sentence: c.sentence,
    });
  for (const [section, trends] of [
    ['delivery', report.delivery],
    ['flow', report.flow],
  ] as const)
    for (const t of trends.trends)
      rows.push({
        ...empty,
        section,
        item: t.label,
        status: t.verdict ?? '',
        value: t.current,
        unit: t.unit,
        previous: t.previous,
        sentence: t.sentence,
      });
  rows.push({
    ...empty,
    section: 'debt',
    item: 'Debt paid down',
    status: report.debt.available ? '' : 'not available',
    value: report.debt.paidDownDays,
    unit: 'days',
    target: report.debt.reservedDays,
    sentence: report.debt.sentence,
  });
  return toCsv(rows, [
    { header: 'Section', value: r => r.section },
    { header: 'Item', value: r => r.item },
    { header: 'Status', value: r => r.status },
    { header: 'Value', value: r => r.value },
    { header: 'Unit', value: r => r.unit },
    { header: 'Baseline', value: r => r.baseline },
    { header: 'Target', value: r => r.target },
    { header: 'Previous quarter', value: r => r.previous },
    { header: 'Progress %', value: r => r.progress },
    { header: 'In words', value: r => r.sentence },
  ]);
}

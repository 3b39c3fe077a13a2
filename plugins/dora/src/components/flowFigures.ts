import { DoraFlowFigure, DoraFlowPart } from '@vitals/plugin-dora-common';
import { formatMinutes, plural } from './format';

export const FLOW_PART_TITLES: Record<DoraFlowPart, string> = {
  coding: 'Coding',
  pickup: 'Pickup',
  review: 'Review',
  deploy: 'Deploy',
};

/** Where each part's clock starts and stops. */
export const FLOW_PART_SPANS: Record<DoraFlowPart, string> = {
  coding: 'First commit to pull request opened',
  pickup: 'Opened to first review',
  review: 'First review to merged',
  deploy: 'Merged to running in production',
};

/** What the flow drill-down lists: every merged pull request, those behind one part, or those of a count. */
export type FlowFilter = 'all' | DoraFlowPart | 'unreviewed' | 'large';

/** "median of 7 pull requests", or why there is no median. */
export function partBasis(figure: DoraFlowFigure): string {
  return figure.pullRequests === 0
    ? 'no pull request has this part yet'
    : `median of ${plural(figure.pullRequests, 'pull request')}`;
}

/** "p75 1 day 5 h"; an em dash without pull requests. */
export function partP75(figure: DoraFlowFigure): string {
  return `p75 ${formatMinutes(figure.p75Minutes)}`;
}

/** "2 of 9 pull requests (22.2%)". */
export function shareOf(count: number, total: number, noun: string): string {
  if (total === 0) return `0 ${noun}s`;
  const percent = Math.round((count / total) * 1000) / 10;
  return `${count.toLocaleString('en-US')} of ${plural(
    total,
    noun,
  )} (${percent}%)`;
}

/** "#431" for a GitHub pull request (id `github:<repo>:pull:431`), else the id CI sent (`payments-api-pr-12`). */
export function pullRequestLabel(pr: { id: string }): string {
  const number = /:pull:(\d+)$/.exec(pr.id)?.[1];
  return number ? `#${number}` : pr.id;
}

/** What to do when no pull request was merged in the window; the card and the tab say the same. */
export function noPullRequestsText(days: number): string {
  return `No pull requests merged in the last ${days} days — send change events with createdAt and firstReviewAt (and additions and deletions for the size), or connect the GitHub webhook (pull_request and pull_request_review). If this service has sent some before, pick a longer window.`;
}

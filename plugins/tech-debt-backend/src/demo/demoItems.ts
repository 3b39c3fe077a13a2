import { Entity } from '@backstage/catalog-model';
import { DebtCategory, DebtStatus } from '@vitals/plugin-tech-debt-common';

/** One demo debt item, before it is placed on its entity. */
export interface DemoItem {
  title: string;
  description: string;
  category: DebtCategory;
  impact: number;
  effortDays: number;
  interestHoursPerMonth: number | null;
  status: DebtStatus;
  tags: string[];
}

const item = (
  title: string,
  description: string,
  category: DebtCategory,
  [impact, effortDays, interestHoursPerMonth]: [number, number, number | null],
  status: DebtStatus,
  tags: string[],
): DemoItem => ({
  title,
  description,
  category,
  impact,
  effortDays,
  interestHoursPerMonth,
  status,
  tags,
});

/**
 * The debt of each service of the example catalog (`examples/entities.yaml`), by component name: what that service,
 * with its own stack and history, would plausibly carry. Severity varies on purpose, so the services land on different
 * scorecard levels.
 */
export const EXAMPLE_DEBT: Record<string, DemoItem[]> = {
  'payments-api': [
    item(
      'Move the Payments API off Java 11',
      'Java 11 is out of premium support; the card-network SDK we need for 3-D Secure 2.3 requires 17.\n\n- bump the Gradle toolchain\n- replace the removed `javax.xml.bind` usages',
      'dependency',
      [4, 5, 6],
      'in_progress',
      ['java', 'runtime'],
    ),
    item(
      'Card capture retries are not idempotent',
      'A timeout from the acquirer followed by our retry has captured the same card twice (twice last quarter, both refunded by hand). Send an idempotency key with every capture.',
      'architecture',
      [5, 6, 10],
      'open',
      ['payments', 'incident'],
    ),
    item(
      'Acquirer API keys live in the deployment manifest',
      'The production acquirer key is a plain environment variable in the Helm values. Move it to the secrets manager and rotate it; PCI DSS finding from the last audit.',
      'security',
      [5, 2, null],
      'planned',
      ['pci', 'security'],
    ),
    item(
      'Runbook still describes the old acquirer failover',
      'The runbook linked from the catalog walks through failing over to the acquirer we dropped in spring.',
      'documentation',
      [2, 0.5, 1],
      'resolved',
      ['runbook', 'on-call'],
    ),
  ],
  'ledger-service': [
    item(
      'Nightly ledger reconciliation job runs past its window',
      'Reconciliation against the bank statements now takes 5 hours and overlaps the morning settlement run. Partition it by account range and run the partitions in parallel.',
      'infrastructure',
      [4, 8, 8],
      'open',
      ['reconciliation', 'batch'],
    ),
    item(
      'Ledger balances are recomputed from every entry on read',
      'Balance reads sum all journal entries of the account; the largest merchant accounts take 900 ms. Keep running balances in a snapshot table.',
      'architecture',
      [3, 10, 4],
      'planned',
      ['performance', 'postgres'],
    ),
    item(
      'Go 1.20 toolchain and a pinned fork of the decimal library',
      'We pin our own fork of the decimal package for a rounding fix that is upstream since v1.4. Drop the fork and move to the current Go release.',
      'dependency',
      [2, 1.5, 1],
      'open',
      ['go'],
    ),
    item(
      'No property tests for double-entry invariants',
      'Nothing checks that every posting balances to zero across currencies; a bug in FX postings went unnoticed for two weeks.',
      'testing',
      [4, 3, 3],
      'resolved',
      ['testing', 'fx'],
    ),
  ],
  'fraud-detector': [
    item(
      'Fraud model retraining is a notebook run by hand',
      'The model is retrained monthly from a Jupyter notebook on one laptop. Move training into a scheduled pipeline with a recorded dataset and metrics.',
      'process',
      [4, 8, 10],
      'open',
      ['ml', 'mlops'],
    ),
    item(
      'Scoring falls back to "approve" when the feature store times out',
      'A feature-store timeout returns a default score of 0, which lets the payment through. Decide a safe fallback with Payments and alert on it.',
      'architecture',
      [5, 3, null],
      'open',
      ['ml', 'risk'],
    ),
    item(
      'Python 3.8 and an unpinned scikit-learn',
      'Python 3.8 is end-of-life and scikit-learn floats to the latest minor, so a rebuild can change model output. Pin it and move to 3.12.',
      'dependency',
      [3, 2, 2],
      'in_progress',
      ['python'],
    ),
    item(
      'Feature definitions still documented in the Data wiki',
      'Since the move to Payments nobody updates the Data team wiki page that explains the features. Move it into the repository docs.',
      'documentation',
      [2, 1, 1],
      'open',
      ['docs'],
    ),
  ],
  'storefront-web': [
    item(
      'Product images served from the origin instead of the image CDN',
      'Category pages load full-size JPEGs from the origin bucket; Largest Contentful Paint is 4.1 s on mobile. Route them through the image CDN with width-based variants.',
      'infrastructure',
      [4, 4, 6],
      'in_progress',
      ['performance', 'cdn'],
    ),
    item(
      'Still on React 16 class components in checkout pages',
      'The checkout pages cannot use the design system hooks. Migrate them to function components and React 18.',
      'dependency',
      [3, 8, 4],
      'planned',
      ['react', 'typescript'],
    ),
    item(
      'Visual regression tests are skipped in CI',
      'The screenshot tests were disabled in March after a font change made them flaky; layout regressions reach production.',
      'testing',
      [3, 2, 5],
      'open',
      ['ci', 'flaky'],
    ),
    item(
      'Internet Explorer polyfill bundle',
      '60 kB of polyfills for browsers we dropped a year ago are still shipped to every visitor.',
      'code',
      [2, 0.5, 1],
      'resolved',
      ['bundle-size'],
    ),
    item(
      'Server-side rendering for the whole storefront',
      'Suggested in the performance review; static pages and the image CDN cover most of the gain. Not worth a rewrite now.',
      'architecture',
      [2, 30, null],
      'wont_fix',
      ['performance'],
    ),
  ],
  'checkout-api': [
    item(
      'Order placement calls the Payments API synchronously',
      'Every order waits on card authorisation inside the request; a slow acquirer shows up as checkout timeouts. Place the order, then authorise from an event.',
      'architecture',
      [5, 15, 12],
      'open',
      ['latency', 'payments'],
    ),
    item(
      'Promotion pricing rules have no unit tests',
      'Discount stacking is only verified by hand in staging; the Black Friday double discount came from here.',
      'testing',
      [4, 5, 6],
      'open',
      ['pricing'],
    ),
    item(
      'Kotlin coroutines mixed with blocking JDBC calls',
      'Cart queries block the coroutine dispatcher under load. Move them to the IO dispatcher or to R2DBC.',
      'code',
      [3, 4, 3],
      'planned',
      ['kotlin'],
    ),
    item(
      'Abandoned-cart cleanup is a cron job on a VM',
      'A crontab on a long-lived VM deletes old carts. Move it to a scheduled job in the cluster.',
      'infrastructure',
      [2, 1, 2],
      'open',
      ['cleanup'],
    ),
  ],
  'catalog-search': [
    item(
      'Elasticsearch 6 cluster past end of life',
      'The search cluster runs Elasticsearch 6.8; no more security fixes. Reindex into 8.x and switch the Java client.',
      'dependency',
      [4, 10, 4],
      'planned',
      ['elasticsearch', 'java'],
    ),
    item(
      'Full reindex every night instead of incremental updates',
      'Price and stock changes show in search up to a day late. Index product changes from the catalog events as they happen.',
      'architecture',
      [3, 6, 5],
      'open',
      ['indexing'],
    ),
    item(
      'Synonym lists edited by hand in production',
      'Merchandisers send synonym changes by chat and someone edits the file on the cluster. Keep them in the repository and deploy them.',
      'process',
      [2, 1, 3],
      'open',
      ['search-quality'],
    ),
    item(
      'Facet counts computed in the application',
      'Facets were counted in Java after the query; moved to aggregations.',
      'code',
      [2, 2, 1],
      'resolved',
      ['performance'],
    ),
  ],
  recommendations: [
    item(
      'Recommendations read straight from the orders replica',
      'The "customers also bought" job queries the orders read replica for hours and slows checkout reporting. Read from the data warehouse export instead.',
      'architecture',
      [4, 5, 4],
      'open',
      ['data', 'database'],
    ),
    item(
      'One person knows how the similarity model is built',
      'Since the reorg the Data team is one person. Write down how the co-purchase model is built, evaluated and deployed.',
      'documentation',
      [4, 2, 3],
      'in_progress',
      ['bus-factor'],
    ),
    item(
      'No offline evaluation before model releases',
      'Models ship without a holdout comparison; click-through dropped 8% after the last release before anyone noticed.',
      'testing',
      [3, 4, 2],
      'open',
      ['ml'],
    ),
  ],
  'ci-pipelines': [
    item(
      'Shared runners on an unsupported Ubuntu image',
      'The self-hosted runners use Ubuntu 18.04; several toolchains no longer install. Rebuild the runner image on 22.04.',
      'infrastructure',
      [4, 3, 6],
      'in_progress',
      ['runners', 'security'],
    ),
    item(
      'Pipeline templates copy-pasted per language',
      'Java, Go, Python and Node templates each carry their own copy of the caching and deploy steps; a fix lands in one and not the others.',
      'code',
      [3, 5, 8],
      'open',
      ['templates'],
    ),
    item(
      'No cache for dependency downloads on the runners',
      'Every build downloads Maven and npm dependencies from scratch; about 4 minutes per build.',
      'infrastructure',
      [3, 2, 10],
      'resolved',
      ['performance'],
    ),
    item(
      'Template changes are not tested before release',
      'A template change goes straight to every repository; the broken Go cache step stopped 40 builds in June.',
      'testing',
      [3, 2, 4],
      'open',
      ['templates', 'ci'],
    ),
  ],
  'legacy-reporting': [
    item(
      'Nightly sales report is a 4,000-line Perl script',
      'Nobody who wrote it is still here. Either move the report to the data warehouse or decommission it with Finance.',
      'code',
      [4, 15, 6],
      'open',
      ['perl', 'decommission'],
    ),
    item(
      'Report runs with a shared database superuser',
      'The script connects to the orders database as a superuser whose password is in the script.',
      'security',
      [5, 1, null],
      'open',
      ['security', 'credentials'],
    ),
    item(
      'No owner since the Analytics team was disbanded',
      'The report still mails Finance every night; no team is on call for it.',
      'process',
      [4, 0.5, 2],
      'open',
      ['ownership'],
    ),
    item(
      'Port the sales report to Python',
      'Rejected: the report is to be retired, not rewritten.',
      'code',
      [2, 10, null],
      'wont_fix',
      ['perl'],
    ),
  ],
  'promo-engine': [
    item(
      'Discount codes validated with an in-memory list',
      'Active codes are loaded into each instance at start-up; a new campaign needs a restart of every pod.',
      'architecture',
      [3, 4, 5],
      'open',
      ['campaigns'],
    ),
    item(
      'Catalog owner points at a team that does not exist',
      'The service names group:growth as its owner. Find the team that runs campaigns and fix the catalog entry.',
      'process',
      [3, 0.5, null],
      'open',
      ['ownership', 'catalog'],
    ),
    item(
      'Node.js 14 and an abandoned date library',
      'Campaign windows are computed with moment-timezone on Node 14. Move to the supported Node LTS and Temporal or date-fns-tz.',
      'dependency',
      [3, 3, 2],
      'planned',
      ['node', 'runtime'],
    ),
  ],
};

/** A language or stack named in an entity's tags, for the generic items: the first tag we know. */
const STACKS: Record<string, string> = {
  java: 'Java',
  kotlin: 'Kotlin',
  go: 'Go',
  python: 'Python',
  node: 'Node.js',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  ruby: 'Ruby',
  perl: 'Perl',
  php: 'PHP',
  dotnet: '.NET',
  rust: 'Rust',
};

const hasOwn = (record: object, key: string) =>
  Object.prototype.hasOwnProperty.call(record, key);

function nameOf(entity: Entity): string {
  return entity.metadata.title ?? entity.metadata.name;
}

function stackOf(entity: Entity): string | undefined {
  const tag = (entity.metadata.tags ?? []).find(t => hasOwn(STACKS, t));
  return tag ? STACKS[tag] : undefined;
}

/**
 * Debt for an entity that is not in the example catalog: the common kinds of debt, each naming the entity (and its
 * language, from its tags), so that no two entities share a title.
 */
export function genericDebtOf(entity: Entity): DemoItem[] {
  const name = nameOf(entity);
  const stack = stackOf(entity);
  return [
    item(
      stack
        ? `Upgrade ${name} to the supported ${stack} release`
        : `Upgrade the runtime of ${name} to a supported release`,
      'The runtime is past its end of life: security fixes stopped and CI images need an override.',
      'dependency',
      [4, 3, 6],
      'open',
      ['runtime', 'security'],
    ),
    item(
      `Flaky integration tests in ${name}`,
      'About one CI run in eight fails in the integration suite and is re-run by hand.',
      'testing',
      [3, 2, 10],
      'in_progress',
      ['ci', 'flaky'],
    ),
    item(
      `No on-call runbook for ${name}`,
      'Incidents take longer because nobody knows the restart order. Write a runbook and link it from the catalog.',
      'documentation',
      [4, 1, 3],
      'open',
      ['on-call'],
    ),
    item(
      `${name} is deployed by a hand-rolled script`,
      'Deploys are a shell script on a jump host. Move to the standard pipeline.',
      'infrastructure',
      [3, 5, 8],
      'planned',
      ['ci', 'deploy'],
    ),
    item(
      `Secrets of ${name} baked into its image`,
      'Move them to the secrets manager and rotate the staging key that leaked.',
      'security',
      [5, 4, null],
      'open',
      ['security'],
    ),
    item(
      `Logging library of ${name} three majors behind`,
      'The structured logging fields we need are missing.',
      'dependency',
      [2, 1.5, 1],
      'resolved',
      ['logging'],
    ),
  ];
}

/** The demo debt of an entity of the example catalog, or undefined for any other entity. */
export function exampleDebtOf(entity: Entity): DemoItem[] | undefined {
  const { name, namespace = 'default' } = entity.metadata;
  return namespace === 'default' && hasOwn(EXAMPLE_DEBT, name)
    ? EXAMPLE_DEBT[name]
    : undefined;
}

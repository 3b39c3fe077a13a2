import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** What the snapshot needs from the catalog; the benchmark feeds a fake with the same paging behaviour. */
export type CatalogPageSource = Pick<
  CatalogService,
  'queryEntities' | 'getEntitiesByRefs'
>;

export const DEFAULT_PAGE_SIZE = 500;

/**
 * Yields the entities matching a filter one page at a time, following the catalog's cursor, so that no single response
 * holds the whole catalog.
 */
export async function* catalogPages(
  catalog: CatalogPageSource,
  request: { filter: Record<string, string | string[]>; fields: string[] },
  credentials: BackstageCredentials,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<Entity[]> {
  let response = await catalog.queryEntities(
    { filter: request.filter, fields: request.fields, limit: pageSize },
    { credentials },
  );
  yield response.items;
  while (response.pageInfo.nextCursor) {
    response = await catalog.queryEntities(
      {
        cursor: response.pageInfo.nextCursor,
        fields: request.fields,
        limit: pageSize,
      },
      { credentials },
    );
    yield response.items;
  }
}

import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';
import { POSTMORTEMS_TAB_PATH } from '../routes';

/** Paths of entity pages and their tabs in this app, built from the catalog's entity route. */
export interface EntityPaths {
  entity(entityRef: string): string;
  /** The entity's Postmortems tab, opened on a postmortem or an incident. */
  postmortems(
    entityRef: string,
    open?: { postmortem?: string; incident?: string },
  ): string;
  /** The entity's Tech debt tab: its register. */
  techDebt(entityRef: string): string;
  /** The entity's DORA tab: its deployments, changes and incidents. */
  dora(entityRef: string): string;
}

export function useEntityPaths(): EntityPaths {
  const entityRoute = useRouteRef(entityRouteRef);
  return useMemo(() => {
    const entity = (entityRef: string) =>
      entityRoute(entityRouteParams(entityRef));
    return {
      entity,
      postmortems: (entityRef, open) => {
        const query = new URLSearchParams();
        if (open?.postmortem) query.set('postmortem', open.postmortem);
        if (open?.incident) query.set('incident', open.incident);
        const search = query.toString();
        return `${entity(entityRef)}/${POSTMORTEMS_TAB_PATH}${
          search ? `?${search}` : ''
        }`;
      },
      techDebt: entityRef => `${entity(entityRef)}/tech-debt`,
      dora: entityRef => `${entity(entityRef)}/dora`,
    };
  }, [entityRoute]);
}

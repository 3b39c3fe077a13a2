import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { BlamelessPerson } from '@vitals/plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';

const FIELDS = ['kind', 'metadata.name', 'spec.profile.displayName'];

interface UserLike {
  metadata: { name: string };
  spec?: { profile?: { displayName?: string } };
}

const personOf = (user: UserLike | undefined): BlamelessPerson[] =>
  user
    ? [
        {
          name: user.metadata.name,
          displayName: user.spec?.profile?.displayName,
        },
      ]
    : [];

/**
 * The people whose names the blameless check looks for: the members of the owning team and the authors, as the catalog
 * has them. When the catalog cannot be read the check still flags handles, pronouns and words of blame.
 */
export function usePeople(
  ownerRef: string | null,
  authors: string[],
): { people: BlamelessPerson[]; error?: Error } {
  const catalogApi = useApi(catalogApiRef);
  const key = [...authors].sort().join(',');
  const state = useAsync(async () => {
    const [members, byRef] = await Promise.all([
      ownerRef?.startsWith('group:')
        ? catalogApi.getEntities({
            filter: { kind: 'User', 'relations.memberof': ownerRef },
            fields: FIELDS,
          })
        : Promise.resolve({ items: [] }),
      authors.length
        ? catalogApi.getEntitiesByRefs({ entityRefs: authors, fields: FIELDS })
        : Promise.resolve({ items: [] }),
    ]);
    return [
      ...members.items.flatMap(u => personOf(u as UserLike)),
      ...byRef.items.flatMap(u => personOf(u as UserLike | undefined)),
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, ownerRef, key]);
  return { people: state.value ?? [], error: state.error };
}

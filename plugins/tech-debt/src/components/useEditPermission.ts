import { usePermission } from '@backstage/plugin-permission-react';
import { ResourcePermission } from '@backstage/plugin-permission-common';

/** Whether the signed-in user may make a change to an entity's tech-debt data, and why not when they may not. */
export function useEditPermission(
  permission: ResourcePermission<'catalog-entity'>,
  entityRef: string,
  ownerLabel: string | undefined,
): { loading: boolean; allowed: boolean; reason?: string } {
  const { loading, allowed } = usePermission({
    permission,
    resourceRef: entityRef,
  });
  return {
    loading,
    allowed,
    reason: allowed
      ? undefined
      : `Read only: only the owners of ${entityRef}${
          ownerLabel ? ` (${ownerLabel})` : ''
        } can change its tech-debt data.`,
  };
}

export interface Config {
  /** Settings shared by every Vitals plugin, declared once here. */
  vitals?: {
    demo?: {
      /**
       * Seed demo data (debt items, DORA events, ownership confirmations, onboarding progress) for the entities of the
       * catalog, once, on an empty database. On in the example portal's app-config.yaml, off in production.
       */
      enabled?: boolean;
    };
    /**
     * Groups (entity refs, e.g. `group:default/platform`) whose members are Vitals admins. The Vitals permission policy
     * lets them delete and refresh any catalog entity, register and remove catalog locations, reset or start anyone's
     * onboarding, and nothing more.
     */
    adminGroups?: string[];
  };
}

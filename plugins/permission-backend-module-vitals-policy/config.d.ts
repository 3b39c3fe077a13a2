export interface Config {
  vitals?: {
    /**
     * Groups (entity refs, e.g. `group:default/platform`) whose members are Vitals admins. The Vitals permission policy
     * lets them delete and refresh any catalog entity, register and remove catalog locations, reset or start anyone's
     * onboarding, and nothing more.
     */
    adminGroups?: string[];
  };
}

import { assignmentRoutes } from './assignmentRoutes';
import { auditRoutes } from './auditRoutes';
import { eventsRoutes } from './eventsRoutes';
import { fleetRoutes } from './fleetRoutes';
import { healthRoutes } from './healthRoutes';
import { hostsRoutes } from './hostsRoutes';
import { numVfsRoutes } from './numVfsRoutes';
import { openapiRoutes } from './openapiRoutes';
import { persistenceRoutes } from './persistenceRoutes';
import { topologyRoutes } from './topologyRoutes';

/**
 * Every route the agent serves besides the page, by name: createApp mounts exactly these, the
 * OpenAPI document and docs/api.md are written from them.
 */
export const apiRoutes = {
  ...hostsRoutes,
  ...topologyRoutes,
  ...numVfsRoutes,
  ...assignmentRoutes,
  ...persistenceRoutes,
  ...auditRoutes,
  ...eventsRoutes,
  ...fleetRoutes,
  ...healthRoutes,
  ...openapiRoutes,
};
export type ApiRoutes = typeof apiRoutes;

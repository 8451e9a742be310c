import { assignmentRoutes } from './assignmentRoutes';
import { auditRoutes } from './auditRoutes';
import { checksRoutes } from './checksRoutes';
import { eventsRoutes } from './eventsRoutes';
import { fleetRoutes } from './fleetRoutes';
import { healthRoutes } from './healthRoutes';
import { hostsRoutes } from './hostsRoutes';
import { numVfsRoutes } from './numVfsRoutes';
import { openapiRoutes } from './openapiRoutes';
import { pfWriteRoutes } from './pfWriteRoutes';
import { persistenceRoutes } from './persistenceRoutes';
import { topologyRoutes } from './topologyRoutes';
import { vfConfigRoutes } from './vfConfigRoutes';
import { vfDriverRoutes } from './vfDriverRoutes';

/**
 * Every route the agent serves besides the page, by name: createApp mounts exactly these, the
 * OpenAPI document and docs/api.md are written from them.
 */
export const apiRoutes = {
  ...hostsRoutes,
  ...topologyRoutes,
  ...numVfsRoutes,
  ...pfWriteRoutes,
  ...assignmentRoutes,
  ...vfConfigRoutes,
  ...vfDriverRoutes,
  ...persistenceRoutes,
  ...checksRoutes,
  ...auditRoutes,
  ...eventsRoutes,
  ...fleetRoutes,
  ...healthRoutes,
  ...openapiRoutes,
};
export type ApiRoutes = typeof apiRoutes;

export interface HostProfile {
  name: string;
}
export const profiles: Record<string, HostProfile> = {};
export const profileNames: string[] = [];

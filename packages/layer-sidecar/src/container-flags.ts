/** The flag prefix of this layer; a container's flags are `container.<name>.<state>`. */
export const PREFIX = 'container';

/** What a container flag says: its Pebble answers, or the last replan changed its plan. */
export type ContainerState = 'available' | 'changed';

/** The flag `container.<name>.<state>`. */
export function containerFlag(name: string, state: ContainerState): string {
  return `${PREFIX}.${name}.${state}`;
}

import type { HookTools } from '@charms/hooktools';

/** What a relation needs to read its bags: the tools and who this unit is. Internal. */
export interface RelationAccess {
  readonly tools: HookTools;
  /** This unit, e.g. `mysql/0`. */
  readonly unitName: string;
  /** This application, e.g. `mysql`. */
  readonly appName: string;
  /** A peer relation: the application bag is this application's own, readable by every unit. */
  readonly peer: boolean;
}

/** Internal members, reached by symbol so they stay off the public surface. */
export const LOAD = Symbol('load');
export const LOAD_UNITS = Symbol('loadUnits');
export const FLUSH = Symbol('flush');

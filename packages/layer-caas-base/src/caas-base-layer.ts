import { defineLayer } from '@charms/reactive';
import type { CharmContext } from '@charms/runtime';

/**
 * layer:caas-base registers no handler: charms include it for `podSpecSet`, and the
 * build and the local model read it as the mark of a podspec charm.
 */
export const caasBaseLayer = defineLayer<string, CharmContext>('caas-base', () => undefined);

/**
 * @charms/interface-http: `interface:http`, the classic http relation, as Endpoint
 * classes. Include it (`includes: ['interface:http']`) and `charms build` registers it;
 * a test `use`s the default export on its reactor.
 *
 * @example
 * import { endpointFromFlag } from '@charms/runtime';
 * import type { HttpProvides } from '@charms/interface-http';
 *
 * @when('website.available')
 * async configureWebsite(ctx: CharmContext) {
 *   (await endpointFromFlag<HttpProvides>('website.available'))?.configure(Number(ctx.config.port));
 * }
 */
import { defineInterface } from '@charms/runtime';
import { HttpProvides } from './http-provides.js';
import { HttpRequires } from './http-requires.js';

/** The interface layer: {@link HttpProvides} and {@link HttpRequires} bound to `http`. */
const http = defineInterface('http', { provides: HttpProvides, requires: HttpRequires });

export default http;
export { http, HttpProvides, HttpRequires };
export type { HttpHost, HttpService } from './http-requires.js';

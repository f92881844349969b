import { defineLayer } from '@charms/reactive';
import type { CharmContext } from '@charms/runtime';
import { callerLayer, finalize, requestStatus, statusQueue } from './status.js';

/**
 * layer:status. At the start of each hook it starts holding statuses and, unless the
 * `patch-hookenv` option is false, routes other code's `ctx.tools.statusSet(...)` calls
 * (unit status only) through the same resolver; at the end of a successful hook it
 * sends the one status that wins.
 */
export const statusLayer = defineLayer<string, CharmContext>('status', (r) => {
  r.atstart((ctx) => {
    const queue = statusQueue(ctx);
    queue.initialized = true;
    if (ctx.layerOptions('status')['patch-hookenv'] === false) return;
    ctx.interceptTool('statusSet', async ([status, message = '', options], direct) => {
      if (options?.application) return direct(status, message, options);
      return requestStatus(ctx, status, message, callerLayer());
    });
  });
  r.atexit((ctx) => finalize(ctx));
});

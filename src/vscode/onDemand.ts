import type * as OnDemand from '../onDemand';

/** The code activation leaves out (src/onDemand.ts), loaded by the first call that needs it; Node keeps it loaded. */
export function onDemand(): typeof OnDemand {
  // A plain require, made lazy on purpose: esbuild.mjs keeps the module out of dist/extension.js and points this at dist/onDemand.js.
  return require('../onDemand') as typeof OnDemand;
}

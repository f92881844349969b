// For ES modules (the benches): the same as build-freshness.cjs, which bin/charms.cjs requires.
export { freshBuild } from './build-freshness.cjs';

// One build for every package: run from the package folder by its `build` script.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  target: 'node20',
  // Files are overwritten in place, never deleted first: a dist/ read while a build runs
  // (the charms bin, a pack, a test beside `pnpm -r build`) is not left empty for the
  // seconds a whole build takes, only each file for the instant of its write.
  clean: false,
  sourcemap: true,
});

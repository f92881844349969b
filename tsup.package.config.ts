// One build for every package: run from the package folder by its `build` script.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  target: 'node20',
  clean: true,
  sourcemap: true,
});

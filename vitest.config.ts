import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * TypeScript through esbuild with `keepNames`: handler ids default to function names,
 * and vite's own transform renames clashing functions (`install` → `install2`) without
 * keeping `.name`. Standard decorators are lowered here too (target ES2022).
 */
function typescriptKeepingNames(): Plugin {
  return {
    name: 'charms-typescript-keep-names',
    enforce: 'pre',
    async transform(code, id) {
      const file = id.split('?')[0]!;
      if (!/\.[cm]?ts$/.test(file) || file.includes('/node_modules/')) return null;
      const result = await transform(code, {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        keepNames: true,
        sourcemap: 'external',
        sourcefile: file,
        tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true, verbatimModuleSyntax: true } },
      });
      return { code: result.code, map: result.map };
    },
  };
}

export default defineConfig({
  plugins: [typescriptKeepingNames()],
  // The plugin above does vite's TypeScript work.
  esbuild: false,
  // Workspace packages resolve to their TypeScript source, so tests need no build.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});

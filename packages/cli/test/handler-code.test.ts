import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { HandlerCodeReader } from '../src/tools/handler-code.js';

// The reader finds a handler's function in its module's syntax tree and reads the flags
// its body names; it runs nothing. Each case is a module text and a handler name.
const read = (text: string, name: string, file = '/charm/reactive/app.ts') => new HandlerCodeReader(ts).read(file, text, name);

describe('reading the flags a handler names', () => {
  it('a method of a class: literals and module constants, through a context or the module-level functions', () => {
    const text = [
      "import { setFlag, when } from '@charms/reactive';",
      "const READY = 'app.ready';",
      'export default class App {',
      "  @when('a')",
      '  start(ctx) {',
      "    ctx.setFlag(READY); setFlag('app.started');",
      "    ctx.clearFlag('app.stale');",
      '  }',
      "  other(ctx) { ctx.setFlag('not.mine'); }",
      '}',
    ].join('\n');
    expect(read(text, 'App.start')).toEqual({ sets: ['app.ready', 'app.started'], clears: ['app.stale'], line: 5 });
  });

  it('templates and joins of constants resolve; a flag computed at run time names nothing', () => {
    const text = [
      "const PREFIX = 'app';",
      'const READY = `${PREFIX}.ready`;',
      'function go(ctx, name) {',
      "  ctx.setFlag(`${PREFIX}.started`); ctx.setFlag(READY); ctx.setFlag(PREFIX + '.joined');",
      '  ctx.setFlag(`${PREFIX}.${name}.ready`); ctx.setFlag(name);',
      '}',
    ].join('\n');
    expect(read(text, 'go')).toEqual({ sets: ['app.started', 'app.ready', 'app.joined'], clears: [], line: 3 });
  });

  it('toggleFlag may set or clear its flag', () => {
    expect(read("function sync(ctx) { ctx.toggleFlag('app.on', ctx.isFlagSet('x')); }", 'sync')).toEqual({ sets: ['app.on'], clears: ['app.on'], line: 1 });
  });

  it("a spec's id names the function passed with it, an arrow included", () => {
    const text = "export default defineLayer('l', (r) => {\n  r.handle({ id: 'warm', when: 'a' }, (ctx) => ctx.setFlag('l.warm'));\n});\n";
    expect(read(text, 'warm')).toEqual({ sets: ['l.warm'], clears: [], line: 2 });
  });

  it('a private method, a function held in a constant, and an anonymous default class', () => {
    const text = [
      'export default class {',
      "  #hidden(ctx) { ctx.clearFlag('a.b'); }",
      '}',
      "const later = async (ctx) => { await 1; ctx.setFlag('c.d'); };",
    ].join('\n');
    expect(read(text, 'default.#hidden')).toEqual({ sets: [], clears: ['a.b'], line: 2 });
    expect(read(text, 'later')).toEqual({ sets: ['c.d'], clears: [], line: 4 });
  });

  it('a handler not found in the module has no known effects and no line', () => {
    expect(read('export const x = 1;', 'Nowhere.run')).toEqual({ sets: [], clears: [], line: undefined });
  });

  it('constants that name each other in a loop name nothing, and do not hang', () => {
    expect(read("const A = B;\nconst B = A;\nfunction f(ctx) { ctx.setFlag(A); ctx.setFlag('ok'); }", 'f').sets).toEqual(['ok']);
  });
});

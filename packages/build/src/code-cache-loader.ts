/**
 * What a code-cache loader is given: see {@link codeCacheLoader}. Expressions are
 * JavaScript the generated script evaluates when it starts.
 */
export interface CodeCacheLoaderOptions {
  /** Names the build in the cache's first line: a cache of another build is not used ({@link buildId} in start-script.ts). */
  readonly id: string;
  /** The bundle's entry, a CommonJS file beside the script. */
  readonly entry: string;
  /** The cache file, beside the script. */
  readonly cacheFile: string;
  /** Comment lines (each starting `// `) saying what wrote the script and what it loads. */
  readonly header: string;
  /**
   * An expression: the name of this run (a command's name). The cache is written again
   * once for each name it has not seen. Without it, only a process that compiled a file
   * without a usable cache writes it (a charm's hooks: see start-script.ts).
   */
  readonly runName?: string;
  /** An expression: whether this process may write the cache at all; undefined: always. */
  readonly writes?: string;
  /**
   * The bundle's files (paths relative to the script's folder) that call `import()` of
   * what is not a bundle file (a specifier computed at run time; commonjs-files.ts's
   * `keepComputedImports` marks them): they are compiled with Node's own loader for
   * `import()` (`vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`, Node 20.12 and later), and
   * without a cache (DYNAMIC_IMPORT_COMPILE says why). Other code compiled through
   * `vm.Script` cannot call `import()` in Node 20.
   */
  readonly importingFiles?: readonly string[];
  /**
   * The local model's hook gate (a hook's start script only): when the environment names
   * a gate ({@link HOOK_GATE_VARIABLE}), the script waits on it before it loads anything
   * of the bundle ({@link HOOK_GATE}).
   */
  readonly hookGate?: boolean;
}

/** The variable naming the hook gate's file descriptor; Juju never sets it. The local model sets it (model/src/hook-prestart.ts, the same name). */
const HOOK_GATE_VARIABLE = 'CHARMS_HOOK_GATE';

/** What a start script that honours the gate says of itself: the local model looks for it before it starts a hook ahead of its turn. */
const HOOK_GATE_MARKER = 'charms-hook-gate/1';

/**
 * The hook gate, first thing in a hook's start script. The local model may start the
 * process of the hook it expects next while the hook before it runs, so that Node's own
 * start (most of a short hook) is not spent in line (model/src/hook-prestart.ts). Such a
 * process waits here, before any of the charm's code is loaded, until the model lets it
 * go (one byte on the descriptor) or ends it (the descriptor closed: another hook runs
 * next, and this process exits at once without running anything). Juju never sets the
 * variable, and without it the script goes straight on.
 */
const HOOK_GATE = `// ${HOOK_GATE_MARKER}: a hook the local model started ahead of its turn waits here.
if (process.env.${HOOK_GATE_VARIABLE} !== undefined) {
  const gate = Number(process.env.${HOOK_GATE_VARIABLE});
  delete process.env.${HOOK_GATE_VARIABLE};
  const waitFrom = performance.now();
  let read;
  try {
    read = readSync(gate, Buffer.alloc(1), 0, 1, null);
  } catch (error) {
    process.stderr.write(\`cannot wait at the hook gate: \${error.message}\\n\`);
    process.exit(1);
  }
  // Ended unrun: another hook runs next. Nothing of the charm has been loaded.
  if (read === 0) process.exit(0);
  try {
    closeSync(gate);
  } catch {
    // Closed already: the charm's processes cannot inherit it either way.
  }
  // For CHARMS_HOOK_PHASES (the runtime's hook-timing.ts): the time spent here is not the hook's.
  globalThis[Symbol.for('charms.hook-gate-wait')] = performance.now() - waitFrom;
}
`;

/**
 * Node 20 calls the default loader for `import()` from a `vm.Script` experimental and
 * says so on stderr at the first such `import()`: a user running `charms lint` would read
 * a warning about the command's own loader. That one warning is left out; every other goes
 * through. (The constant exists from Node 20.12, and the packages need 20.19.)
 */
const DYNAMIC_IMPORT_WARNING = `  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (String(warning?.message ?? warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    return emitWarning.call(this, warning, ...rest);
  };
`;

/** Compiles a file with its cache (`load`'s part of {@link codeCacheLoader}). */
const CACHED_COMPILE = `    const cachedData = saved && saved.size === stat.size && saved.mtimeMs === stat.mtimeMs ? saved.bytes : undefined;
    // Node's module wrapper, on a line of its own: lineOffset keeps the file's lines
    // (its source map's) in stack traces.
    const script = new Script(\`(function (exports, require, module, __filename, __dirname) {\\n\${source}\\n})\`, { filename: file, lineOffset: -1, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) recompiled = true;
    compiled.push({ name, size: stat.size, mtimeMs: stat.mtimeMs, script });
`;

/**
 * The same, for a bundle with files that call `import()` (`importingFiles`). Such a file
 * is compiled with Node's default loader for it, and without a cache: code V8 takes from
 * a cache has lost that loader in Node 20 (`import()` then fails with "A dynamic import
 * callback was not specified"), so the file is neither cached nor a reason to write the
 * cache. The other files are cached.
 */
const DYNAMIC_IMPORT_COMPILE = `    const imports = importingFiles.has(name);
    const cachedData = !imports && saved && saved.size === stat.size && saved.mtimeMs === stat.mtimeMs ? saved.bytes : undefined;
    // Node's module wrapper, on a line of its own: lineOffset keeps the file's lines
    // (its source map's) in stack traces.
    const wrapped = \`(function (exports, require, module, __filename, __dirname) {\\n\${source}\\n})\`;
    const script = imports
      ? new Script(wrapped, { filename: file, lineOffset: -1, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER })
      : new Script(wrapped, { filename: file, lineOffset: -1, cachedData });
    if (!imports) {
      if (cachedData === undefined || script.cachedDataRejected) recompiled = true;
      compiled.push({ name, size: stat.size, mtimeMs: stat.mtimeMs, script });
    }
`;

/**
 * A CommonJS script that loads a CommonJS bundle (an entry and the files it requires,
 * beside it) as Node's `require` would (the same module wrapper, one module object per
 * file, `require`, `__filename`), but compiles each file through `vm.Script` with a V8
 * code cache, so a process neither parses nor compiles the functions an earlier process
 * compiled. Node 20 has no code cache of its own for modules (`module.enableCompileCache`
 * came in Node 22). A specifier that is not a relative path (Node's own modules, packages)
 * goes to Node's `require`. The hooks' `dist/start.cjs` (start-script.ts) and the charms
 * command's `bundle/start.cjs` (packages/cli/build-bundle.mjs) are made by it. Figures and
 * reasons: docs/explanation/build-and-pack-load.md.
 *
 * The cache is one file: a first line naming the build (`id`) and this Node (version, V8
 * version, architecture), a second line with the runs whose functions it holds
 * (`runName`; none without it) and each bundle file's entry (the file's path, size and
 * modification time), then the caches. A process writes it again as it exits when it
 * compiled a file without a cache it could use (the first run, or the first to load a
 * file), or, given `runName`, when no run of its name wrote it yet: V8 compiles a function
 * when it first runs, and a cache made after a run holds what that run ran, so each name
 * writes once. Files this process did not load
 * keep their entries. Written to a temporary file, flushed to disk, then renamed over the
 * cache, so a process reads a whole cache or none: V8 does not check a cache's contents,
 * and a damaged one can crash the process. A folder the process cannot write to has no
 * cache, and nothing else changes.
 *
 * A file's cache is used only when its entry names the file's size and modification time,
 * and the first line this build and Node: V8 itself checks only the source's length, its
 * own version and its flags, so a cache of another bundle of the same length (upgraded in
 * place, edited by hand) would run the other bundle's code. A cache V8 rejects is compiled
 * around as if there were none, then replaced.
 *
 * With `--enable-source-maps` (NODE_OPTIONS) the entry is `require`d instead: Node maps a
 * stack only for modules its own loader compiled.
 */
export function codeCacheLoader(options: CodeCacheLoaderOptions): string {
  const importing = options.importingFiles ?? [];
  const dynamicImport = importing.length > 0;
  return `'use strict';
${options.header}
const { closeSync, fstatSync, fsyncSync, openSync, readFileSync, ${options.hookGate ? 'readSync, ' : ''}renameSync, rmSync, writeFileSync } = require('node:fs');
${options.hookGate ? HOOK_GATE : ''}const { dirname, join, relative } = require('node:path');
const { isAscii } = require('node:buffer');
const BUILD_ID = ${JSON.stringify(options.id)};
const entry = join(__dirname, ${JSON.stringify(options.entry)});
if (process.sourceMapsEnabled) {
  require(entry);
} else {
  const { Script${dynamicImport ? ', constants' : ''} } = require('node:vm');
${dynamicImport ? `  const importingFiles = new Set(${JSON.stringify(importing)});\n${DYNAMIC_IMPORT_WARNING}` : ''}  const { createRequire } = require('node:module');
  const cacheFile = join(__dirname, ${JSON.stringify(options.cacheFile)});
  const key = \`charms-code-cache \${BUILD_ID} \${process.version} v8-\${process.versions.v8} \${process.arch}\\n\`;
  /** Each file's cache from the file: its size and modification time, and the V8 data. */
  const cached = new Map();
  /** The runs whose functions the cache holds. */
  let ran = [];
  try {
    const data = readFileSync(cacheFile);
    const indexEnd = data.indexOf(10, key.length);
    if (data.latin1Slice(0, key.length) === key && indexEnd !== -1) {
      let at = indexEnd + 1;
      const index = JSON.parse(data.latin1Slice(key.length, indexEnd));
      for (const [file, size, mtimeMs, length] of index.files) {
        cached.set(file, { size, mtimeMs, bytes: data.subarray(at, at + length) });
        at += length;
      }
      if (Array.isArray(index.ran)) ran = index.ran;
    }
  } catch {
    // No cache yet (or not one of this build and Node): the files are compiled, and a cache is written.
  }
  const modules = new Map();
  const compiled = [];
  // A run of a name the cache has not seen runs functions it does not hold: it writes the
  // cache again with them (once per name: nothing tells a process what it compiled).
  const runName = ${options.runName ?? 'undefined'};
  const newRun = runName !== undefined && !ran.includes(runName);
  // A file compiled from its source: the cache it gets holds this run's functions only.
  let recompiled = false;
  const load = (file) => {
    const known = modules.get(file);
    if (known) return known.exports;
    const fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    // A file of ASCII only (esbuild escapes the rest in strings; comments and regular
    // expressions may keep some) is read as Latin-1: a one-byte string, decoded in less than
    // half the time UTF-8 takes (a 1 MB chunk: 3 ms against 7–8 here).
    const bytes = readFileSync(fd);
    const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
    closeSync(fd);
    const name = relative(__dirname, file);
    const saved = cached.get(name);
${dynamicImport ? DYNAMIC_IMPORT_COMPILE : CACHED_COMPILE}    const module = { exports: {}, filename: file, id: file, loaded: false };
    modules.set(file, module);
    const here = dirname(file);
    const nodeRequire = createRequire(file);
    const moduleRequire = (specifier) => (specifier.startsWith('./') || specifier.startsWith('../') ? load(join(here, specifier)) : nodeRequire(specifier));
    moduleRequire.resolve = (specifier, options) => (specifier.startsWith('./') || specifier.startsWith('../') ? join(here, specifier) : nodeRequire.resolve(specifier, options));
    moduleRequire.main = nodeRequire.main;
    try {
      script.runInThisContext().call(module.exports, module.exports, moduleRequire, module, file, here);
    } catch (error) {
      // As Node's require does: a file that failed to load is loaded again next time.
      modules.delete(file);
      throw error;
    }
    module.loaded = true;
    return module.exports;
  };
  ${options.writes === undefined ? '{' : `if (${options.writes}) {`}
    process.once('exit', () => {
      if (!recompiled && !newRun) return;
      const temporary = \`\${cacheFile}.\${process.pid}.tmp\`;
      let out;
      try {
        // Opened first: in a folder this process cannot write to, no cache data is made.
        out = openSync(temporary, 'w', 0o644);
      } catch {
        return;
      }
      try {
        try {
          const entries = compiled.map(({ name, size, mtimeMs, script }) => [name, size, mtimeMs, script.createCachedData()]);
          const fresh = new Set(compiled.map(({ name }) => name));
          for (const [name, { size, mtimeMs, bytes }] of cached) if (!fresh.has(name)) entries.push([name, size, mtimeMs, bytes]);
          const index = JSON.stringify({ ran: runName === undefined ? [] : recompiled ? [runName] : [...ran, runName], files: entries.map(([name, size, mtimeMs, bytes]) => [name, size, mtimeMs, bytes.length]) });
          writeFileSync(out, Buffer.concat([Buffer.from(\`\${key}\${index}\\n\`, 'latin1'), ...entries.map(([, , , bytes]) => bytes)]));
          fsyncSync(out);
        } finally {
          closeSync(out);
        }
        renameSync(temporary, cacheFile);
      } catch {
        // A full disk, or the folder gone: the next process compiles the files too.
        try {
          rmSync(temporary, { force: true });
        } catch {
          // Nothing was written.
        }
      }
    });
  }
  load(entry);
}
`;
}

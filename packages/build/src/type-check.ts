import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { ManifestProblem } from '@charms/manifest';
import type { CompilerHost, CompilerOptions, Diagnostic, SourceFile } from 'typescript';
import { WORKSPACE_ROOT } from './install-root.js';
import type { TypeScript } from './find-typescript.js';

/** The modules a type check covers, and whose problems it reports. */
export interface TypeCheckInput {
  readonly charmDir: string;
  /** The charm's and its local layers' `reactive/` modules. */
  readonly roots: readonly string[];
  /** Folders whose files are the author's (the charm, its local layers): their problems are reported. */
  readonly ownDirs: readonly string[];
}

/** What a check found, and the parsed modules (for the registration check). */
export interface TypeCheckResult {
  readonly errors: ManifestProblem[];
  readonly warnings: ManifestProblem[];
  /** Each root, parsed. */
  readonly sourceFiles: ReadonlyMap<string, SourceFile>;
}

/**
 * The options a charm with no tsconfig.json is checked with: those `charms init` writes.
 * `types` is filled in when @types/node is found.
 */
const DEFAULT_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023', 'ESNext.Decorators'],
  module: 'ESNext',
  moduleResolution: 'Bundler',
  experimentalDecorators: false,
  useDefineForClassFields: true,
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
};

// Parsed files kept between checks in one process (tests and `charms deploy` build
// several charms): the lib files and @types/node are most of the parsing. A file is
// parsed again when its modification time changes.
const parsed = new Map<string, { mtimeMs: number; file: SourceFile }>();

/**
 * Type-checks a charm's own modules with the TypeScript compiler: its `reactive/` files
 * and what they import, with the charm's tsconfig.json (the nearest one at or above the
 * charm), or the options `charms init` writes when it has none (then packages are read
 * from their TypeScript source, as the bundle reads them). A package not found from the
 * importing file is looked for in the build's node_modules, as the bundle does too.
 * Only problems in the author's files are reported (not in layers or
 * packages they import), all of them, as `file:line:col TS<code> message`.
 */
export function typeCheck(ts: TypeScript, input: TypeCheckInput): TypeCheckResult {
  const { options, configProblems } = compilerOptions(ts, input.charmDir);
  const optionsKey = JSON.stringify(options, (_, value: unknown) => (value instanceof Map ? [...value] : value));
  const host = ts.createCompilerHost(options, true);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const key = `${fileName}\0${optionsKey}`;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(fileName).mtimeMs;
    } catch {
      return readSourceFile(fileName, languageVersion, onError, shouldCreate);
    }
    const cached = parsed.get(key);
    if (cached?.mtimeMs === mtimeMs) return cached.file;
    const file = readSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (file) parsed.set(key, { mtimeMs, file });
    return file;
  };
  resolveLikeTheBundle(ts, host, options);

  const roots = input.roots.filter((file) => /\.[mc]?tsx?$/.test(file));
  const program = ts.createProgram({ rootNames: roots, options, host });
  const own = input.ownDirs.map((dir) => resolve(dir) + sep);
  const isOwn = (file: string) => !file.includes(`${sep}node_modules${sep}`) && own.some((dir) => resolve(file).startsWith(dir));

  const diagnostics: Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of program.getSourceFiles()) {
    if (!isOwn(file.fileName)) continue;
    diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  }
  const problems = (category: number) => diagnostics.filter((d) => d.category === category).map((d) => problemOf(ts, d, input.charmDir));
  const errors = [...configProblems, ...problems(ts.DiagnosticCategory.Error)];
  const warnings = problems(ts.DiagnosticCategory.Warning);

  const sourceFiles = new Map<string, SourceFile>();
  for (const root of input.roots) {
    const file = program.getSourceFile(root) ?? parseOnly(ts, root);
    sourceFiles.set(root, file);
  }
  return { errors: sortProblems(errors), warnings: sortProblems(warnings), sourceFiles };
}

/** Each module parsed, without a type check (`--no-typecheck`): enough for the registration check. */
export function parseModules(ts: TypeScript, files: readonly string[]): Map<string, SourceFile> {
  return new Map(files.map((file) => [file, parseOnly(ts, file)]));
}

function parseOnly(ts: TypeScript, file: string): SourceFile {
  const kind = /\.[mc]?jsx?$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind);
}

/**
 * The charm's compiler options, as `tsc --noEmit` in the charm would use them, made to
 * check only (no output, no build info).
 */
function compilerOptions(ts: TypeScript, charmDir: string): { options: CompilerOptions; configProblems: ManifestProblem[] } {
  const configFile = ts.findConfigFile(charmDir, ts.sys.fileExists, 'tsconfig.json');
  let options: CompilerOptions;
  let errors: readonly Diagnostic[];
  if (configFile) {
    const read = ts.readConfigFile(configFile, ts.sys.readFile);
    // Only the options: the charm's modules are the roots, whatever `include` says, so
    // the folder is not listed (no "no inputs were found" either).
    const noFiles = { ...ts.sys, readDirectory: () => [] };
    const config = ts.parseJsonConfigFileContent(read.config ?? {}, noFiles, dirname(configFile), undefined, configFile);
    options = config.options;
    errors = [...(read.error ? [read.error] : []), ...config.errors.filter((d) => d.code !== 18003)];
  } else {
    // No tsconfig.json (a copy of a charm in a temporary folder): packages are read as
    // the bundle reads them, from their TypeScript source (`source` condition), which is
    // there even when their declarations were not built.
    const converted = ts.convertCompilerOptionsFromJson({ ...DEFAULT_OPTIONS, customConditions: ['source'] }, charmDir);
    options = { ...converted.options, types: typesNodeFound(ts, charmDir, converted.options) ? ['node'] : [] };
    errors = converted.errors;
  }
  return {
    options: {
      ...options,
      noEmit: true,
      skipLibCheck: true,
      skipDefaultLibCheck: true,
      incremental: false,
      composite: false,
      tsBuildInfoFile: undefined,
      declaration: false,
      declarationMap: false,
      emitDeclarationOnly: false,
    },
    configProblems: errors.map((d) => problemOf(ts, d, configFile ?? charmDir)),
  };
}

/** True when `types: ['node']` resolves from the charm, or from the build's node_modules. */
function typesNodeFound(ts: TypeScript, charmDir: string, options: CompilerOptions): boolean {
  const host = ts.createCompilerHost(options);
  return [charmDir, WORKSPACE_ROOT].some(
    (dir) => ts.resolveTypeReferenceDirective('node', join(dir, '__inferred type names__.ts'), options, host).resolvedTypeReferenceDirective !== undefined,
  );
}

/**
 * Module resolution as the bundle does it: from the importing file first, then from the
 * build's own node_modules (esbuild's `nodePaths`), so that a charm in a folder with
 * no node_modules (a copy in a temporary folder) resolves `@charms/reactive` the same.
 */
function resolveLikeTheBundle(ts: TypeScript, host: CompilerHost, options: CompilerOptions): void {
  const fallbackFile = join(WORKSPACE_ROOT, '__charms_build__.ts');
  const moduleCache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (name) => name, options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const first = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, moduleCache, redirected, mode);
      if (first.resolvedModule || literal.text.startsWith('.')) return first;
      const again = ts.resolveModuleName(literal.text, fallbackFile, compilerOptions, host, moduleCache, redirected, mode);
      return again.resolvedModule ? again : first;
    });
  host.resolveTypeReferenceDirectiveReferences = (references, containingFile, redirected, compilerOptions) =>
    references.map((reference) => {
      const name = typeof reference === 'string' ? reference : reference.fileName.toLowerCase();
      const first = ts.resolveTypeReferenceDirective(name, containingFile, compilerOptions, host, redirected);
      if (first.resolvedTypeReferenceDirective) return first;
      const again = ts.resolveTypeReferenceDirective(name, fallbackFile, compilerOptions, host, redirected);
      return again.resolvedTypeReferenceDirective ? again : first;
    });
}

/** A compiler diagnostic as a build problem: `file:line:col TS2304 Cannot find name 'x'.` */
function problemOf(ts: TypeScript, diagnostic: Diagnostic, fallbackFile: string): ManifestProblem {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return { file: fallbackFile, line: 1, col: 1, code: `TS${diagnostic.code}`, message };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: diagnostic.file.fileName, line: line + 1, col: character + 1, code: `TS${diagnostic.code}`, message };
}

function sortProblems(problems: ManifestProblem[]): ManifestProblem[] {
  return problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1));
}

import { relative } from 'node:path';
import type { ManifestProblem } from '@charms/manifest';
import type { ClassDeclaration, ClassExpression, Node, SourceFile } from 'typescript';
import type { TypeScript } from './find-typescript.js';

/** The decorators of @charms/reactive that make a method a handler. */
const REACTIVE_DECORATORS = new Set([
  'when',
  'whenAll',
  'whenAny',
  'whenNot',
  'whenNone',
  'whenNotAll',
  'hook',
  'onlyOnce',
  'collectMetrics',
  'meterStatusChanged',
]);

/** What the module's default export is, as far as its text says. */
type DefaultExport =
  | { readonly kind: 'none' }
  | { readonly kind: 'class'; readonly node: ClassDeclaration | ClassExpression }
  | { readonly kind: 'function'; readonly node: Node }
  | { readonly kind: 'local'; readonly name: string; readonly node: Node }
  | { readonly kind: 'other' };

/**
 * The mistakes that leave handlers unregistered, read from a `reactive/` module's syntax
 * (nothing is run). The generated entry registers each module's default export only, so:
 *
 * - a class with reactive handlers (`@when`, `@hook`, …) that is not the default export
 *   (exported by name, or not exported) never runs: `NOT_REGISTERED` at the class;
 * - a layer (`defineLayer(…)`) exported by name only: `NOT_REGISTERED` at the export;
 * - a module with no default export: `NO_DEFAULT_EXPORT` (the bundler would otherwise
 *   fail on the generated entry);
 * - a default export that is a class with no decorated method, or a function:
 *   `NO_HANDLERS` (registering it throws in every hook).
 *
 * A class or layer the module's code uses elsewhere (`r.register(Helper)` inside the
 * default layer, an Endpoint class given to `defineInterface`) counts as registered.
 * Other named exports (helper functions, constants, types, for tests to import) are fine.
 */
export function registrationProblems(ts: TypeScript, file: SourceFile, charmDir: string): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const at = (node: Node, code: string, message: string) => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    problems.push({ file: file.fileName, line: line + 1, col: character + 1, code, message });
  };
  const shown = relative(charmDir, file.fileName) || file.fileName;

  // Local names of the reactive decorators and of defineLayer (`import { when as w }`).
  const imported = new Map<string, string>();
  for (const statement of file.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) imported.set(element.name.text, (element.propertyName ?? element.name).text);
    }
  }
  const calleeName = (expression: Node): string | undefined => {
    const target = ts.isCallExpression(expression) ? expression.expression : expression;
    if (ts.isIdentifier(target)) return imported.get(target.text) ?? target.text;
    if (ts.isPropertyAccessExpression(target)) return target.name.text;
    return undefined;
  };
  const isHandlerClass = (node: ClassDeclaration | ClassExpression) =>
    node.members.some((member) => (ts.canHaveDecorators(member) ? ts.getDecorators(member) ?? [] : []).some((d) => REACTIVE_DECORATORS.has(calleeName(d.expression) ?? '')));
  const hasDecoratedMember = (node: ClassDeclaration | ClassExpression) =>
    node.members.some((member) => ts.canHaveDecorators(member) && (ts.getDecorators(member)?.length ?? 0) > 0);
  const isLayerCall = (node: Node | undefined) => node !== undefined && ts.isCallExpression(node) && calleeName(node) === 'defineLayer';

  const classes = new Map<string, ClassDeclaration>();
  const layers = new Map<string, Node>();
  const functions = new Set<string>();
  /** Exported name → local name, for `export class X`, `export const X`, `export { X as Y }`. */
  const named = new Map<string, { local: string; node: Node }>();
  let defaultExport: DefaultExport = { kind: 'none' };
  const hasModifier = (node: Node, kind: number) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === kind);

  for (const statement of file.statements) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
    if (ts.isClassDeclaration(statement)) {
      if (statement.name) classes.set(statement.name.text, statement);
      if (exported && isDefault) defaultExport = { kind: 'class', node: statement };
      else if (exported && statement.name) named.set(statement.name.text, { local: statement.name.text, node: statement.name });
    } else if (ts.isFunctionDeclaration(statement)) {
      if (statement.name) functions.add(statement.name.text);
      if (exported && isDefault) defaultExport = { kind: 'function', node: statement.name ?? statement };
      else if (exported && statement.name) named.set(statement.name.text, { local: statement.name.text, node: statement.name });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        if (isLayerCall(declaration.initializer)) layers.set(declaration.name.text, declaration);
        if (exported) named.set(declaration.name.text, { local: declaration.name.text, node: declaration.name });
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      const expression = statement.expression;
      if (ts.isClassExpression(expression)) defaultExport = { kind: 'class', node: expression };
      else if (ts.isIdentifier(expression)) defaultExport = { kind: 'local', name: expression.text, node: expression };
      else if (ts.isFunctionExpression(expression) || ts.isArrowFunction(expression)) defaultExport = { kind: 'function', node: expression };
      else defaultExport = { kind: 'other' };
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const clause = statement.exportClause;
      if (statement.moduleSpecifier) {
        // Re-exported from elsewhere: registered if it is the default; not followed further.
        if (clause && ts.isNamedExports(clause) && clause.elements.some((e) => e.name.text === 'default')) defaultExport = { kind: 'other' };
        continue;
      }
      if (!clause || !ts.isNamedExports(clause)) continue;
      for (const element of clause.elements) {
        if (element.isTypeOnly) continue;
        const local = (element.propertyName ?? element.name).text;
        if (element.name.text === 'default') defaultExport = { kind: 'local', name: local, node: element };
        else named.set(element.name.text, { local, node: element.name });
      }
    }
  }

  // `export default Minio` or `export { Minio as default }` of a class or function declared above.
  if (defaultExport.kind === 'local') {
    const declared = classes.get(defaultExport.name);
    if (declared) defaultExport = { kind: 'class', node: declared };
    else if (functions.has(defaultExport.name)) defaultExport = { kind: 'function', node: defaultExport.node };
  }
  const defaultClass = defaultExport.kind === 'class' ? defaultExport.node : undefined;

  const exportedAs = (local: string) => [...named].find(([, target]) => target.local === local)?.[0];
  // A class or layer the module's own code uses (`r.register(Helper)` in the default
  // layer, `defineInterface('http', { provides: HttpProvides })`) is registered that way:
  // any use other than its declaration and `export { … }` counts.
  const usedInModule = (name: string, declaration: Node): boolean => {
    let found = false;
    const visit = (node: Node): void => {
      if (found || node === declaration || ts.isExportSpecifier(node)) return;
      if (ts.isIdentifier(node) && node.text === name) found = true;
      else ts.forEachChild(node, visit);
    };
    ts.forEachChild(file, visit);
    return found;
  };
  for (const [name, declaration] of classes) {
    if (declaration === defaultClass || !isHandlerClass(declaration) || usedInModule(name, declaration)) continue;
    const as = exportedAs(name);
    const instead =
      defaultExport.kind === 'none'
        ? `write \`export default class ${name}\``
        : `move it to a file of its own in reactive/ and write \`export default class ${name}\` there (a module registers one default export)`;
    at(
      declaration.name!,
      'NOT_REGISTERED',
      as === undefined
        ? `class ${name} has reactive handlers but is not exported, so it is never registered and its handlers never run: ${instead}`
        : `class ${name} has reactive handlers but is exported as "${as}", not as the default export: only a module's default export is registered, so its handlers never run. Instead, ${instead}`,
    );
  }
  for (const [name, declaration] of layers) {
    const as = exportedAs(name);
    if (as === undefined || (defaultExport.kind === 'local' && defaultExport.name === name) || usedInModule(name, declaration)) continue;
    at(
      named.get(as)!.node,
      'NOT_REGISTERED',
      `the layer ${name} (defineLayer) is exported as "${as}", not as the default export: only a module's default export is registered, so its handlers never run. Write \`export default ${name}\`, or export it from a file of its own in reactive/`,
    );
  }

  if (defaultExport.kind === 'none' && problems.length === 0) {
    const first = [...named.values()][0]?.node;
    const message =
      `${shown} has no default export: the build registers each reactive/ module's default export (a layer from defineLayer, or a class whose methods have @when, @hook, …). ` +
      'Export the layer or class as default, or move helper code out of reactive/ (into lib/, imported by the handlers)';
    if (first) at(first, 'NO_DEFAULT_EXPORT', message);
    else problems.push({ file: file.fileName, line: 1, col: 1, code: 'NO_DEFAULT_EXPORT', message });
  }
  if (defaultClass && !hasDecoratedMember(defaultClass)) {
    const name = defaultClass.name?.text ?? 'the default export';
    at(
      defaultClass.name ?? defaultClass,
      'NO_HANDLERS',
      `class ${name} is the default export but none of its methods has a reactive decorator (@when, @whenNot, @hook, …): registering it fails in every hook. Decorate its handlers, or export a layer from defineLayer`,
    );
  }
  if (defaultExport.kind === 'function') {
    at(
      defaultExport.node,
      'NO_HANDLERS',
      `the default export of ${shown} is a function: export a layer (defineLayer('name', (r) => …)) or a class whose methods have reactive decorators`,
    );
  }
  return problems;
}

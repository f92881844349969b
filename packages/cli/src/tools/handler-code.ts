import { extname } from 'node:path';
import type * as TypeScriptModule from 'typescript';
import { BuildError } from '@charms/build';
import { findTypeScript, type TypeScript } from '@charms/build/internal';

type Node = TypeScriptModule.Node;
type Expression = TypeScriptModule.Expression;

/** The flags a handler's own code names in `setFlag`/`clearFlag`/`toggleFlag` calls, and where it is. */
export interface CodeEffects {
  readonly sets: readonly string[];
  readonly clears: readonly string[];
  /** The line of the handler's name in its module; undefined when the handler was not found there. */
  readonly line: number | undefined;
}

const NOTHING: CodeEffects = { sets: [], clears: [], line: undefined };

/**
 * The compiler to read handler modules with: the one `charms build` checks the charm
 * with (the charm's own, else the command's); undefined when neither is installed, and
 * tools then know only what handlers declare.
 */
export function loadTypeScript(charmDir: string): TypeScript | undefined {
  try {
    return findTypeScript(charmDir);
  } catch (error) {
    if (error instanceof BuildError && error.code === 'TYPESCRIPT_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Reads handler modules statically: the handler's function or method is found in the
 * module's syntax tree by its id, and the flags its body passes to `setFlag`,
 * `clearFlag` and `toggleFlag` (as a method of a context or the module-level function)
 * are read when they are string literals, module constants, or templates and `+`
 * joins of those. A flag computed at run time names nothing here; a layer declares
 * such flags (`sets`/`clears`). Nothing is run: the text is parsed, once per module.
 */
export class HandlerCodeReader {
  readonly #ts: TypeScript;
  readonly #modules = new Map<string, ParsedModule>();

  constructor(ts: TypeScript) {
    this.#ts = ts;
  }

  /**
   * The flags the handler `name` (its id without the layer prefix: `Class.method`, a
   * function's name, or a spec's `id`) changes in `file`, whose text is `text`.
   */
  read(file: string, text: string, name: string): CodeEffects {
    return this.#module(file, text).effects(name);
  }

  /**
   * The flags a whole module changes: an action module (`actions/<name>.ts`), whose every
   * `setFlag` is the action's, whatever function of the module makes it.
   */
  readModule(file: string, text: string): CodeEffects {
    return this.#module(file, text).moduleEffects();
  }

  #module(file: string, text: string): ParsedModule {
    let module = this.#modules.get(file);
    if (module === undefined) {
      module = new ParsedModule(this.#ts, file, text);
      this.#modules.set(file, module);
    }
    return module;
  }
}

/** One module's syntax tree, its string constants, and lookups of handlers in it. */
class ParsedModule {
  readonly #ts: TypeScript;
  readonly #source: TypeScriptModule.SourceFile;
  readonly #constants = new Map<string, Expression>();

  constructor(ts: TypeScript, file: string, text: string) {
    this.#ts = ts;
    const kind = /^\.[mc]?js$/.test(extname(file)) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    this.#source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
    for (const statement of this.#source.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) this.#constants.set(declaration.name.text, declaration.initializer);
      }
    }
  }

  effects(name: string): CodeEffects {
    const handler = this.#find(name);
    if (handler === undefined) return NOTHING;
    return { ...this.#flagCalls(handler.body), line: this.#source.getLineAndCharacterOfPosition(handler.at.getStart(this.#source)).line + 1 };
  }

  moduleEffects(): CodeEffects {
    return { ...this.#flagCalls(this.#source), line: 1 };
  }

  /** The flags the `setFlag`/`clearFlag`/`toggleFlag` calls under `root` name. */
  #flagCalls(root: Node): { sets: string[]; clears: string[] } {
    const sets = new Set<string>();
    const clears = new Set<string>();
    const visit = (node: Node): void => {
      if (this.#ts.isCallExpression(node)) {
        const verb = calleeName(this.#ts, node.expression);
        const flag = node.arguments[0] && this.#flag(node.arguments[0], 0);
        if (flag !== undefined) {
          // toggleFlag may do either, depending on its second argument.
          if (verb === 'setFlag' || verb === 'toggleFlag') sets.add(flag);
          if (verb === 'clearFlag' || verb === 'toggleFlag') clears.add(flag);
        }
      }
      this.#ts.forEachChild(node, visit);
    };
    visit(root);
    return { sets: [...sets], clears: [...clears] };
  }

  /** The handler's function: a spec's `id` first, then `Class.method`, then a function of that name. */
  #find(name: string): { body: Node; at: Node } | undefined {
    const ts = this.#ts;
    let found: { body: Node; at: Node } | undefined;
    const dot = name.lastIndexOf('.');
    const [className, member] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [undefined, name];
    const visit = (node: Node): void => {
      if (found) return;
      // r.handle({ id: 'name', … }, function …) or an arrow: the id names it.
      if (ts.isCallExpression(node) && node.arguments.length >= 2) {
        const [spec, fn] = node.arguments;
        if (ts.isObjectLiteralExpression(spec!) && isFunction(ts, fn!) && specId(ts, spec) === name) {
          found = { body: fn, at: fn.name ?? spec };
          return;
        }
      }
      if (className !== undefined && (ts.isClassDeclaration(node) || ts.isClassExpression(node)) && (node.name?.text ?? 'default') === className) {
        for (const element of node.members) {
          if (!found && ts.isMethodDeclaration(element) && element.body && memberName(ts, element.name) === member) found = { body: element.body, at: element.name };
        }
      }
      if (className === undefined && (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name?.text === name && node.body) {
        found = { body: node.body, at: node.name };
      }
      if (className === undefined && ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer && isFunction(ts, node.initializer)) {
        found = { body: node.initializer, at: node.name };
      }
      if (!found) ts.forEachChild(node, visit);
    };
    visit(this.#source);
    return found;
  }

  /** The string an expression always has, from literals and module constants; undefined if not fixed. */
  #flag(expression: Expression, depth: number): string | undefined {
    const ts = this.#ts;
    // Constants that name each other in a loop name nothing.
    if (depth > 20) return undefined;
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
    if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression)) return this.#flag(expression.expression, depth + 1);
    if (ts.isIdentifier(expression)) {
      const value = this.#constants.get(expression.text);
      return value === undefined ? undefined : this.#flag(value, depth + 1);
    }
    if (ts.isTemplateExpression(expression)) {
      let text = expression.head.text;
      for (const span of expression.templateSpans) {
        const part = this.#flag(span.expression, depth + 1);
        if (part === undefined) return undefined;
        text += part + span.literal.text;
      }
      return text;
    }
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.#flag(expression.left, depth + 1);
      const right = left === undefined ? undefined : this.#flag(expression.right, depth + 1);
      return right === undefined ? undefined : left! + right;
    }
    return undefined;
  }
}

function isFunction(ts: TypeScript, node: Node): node is TypeScriptModule.FunctionExpression | TypeScriptModule.ArrowFunction {
  return ts.isFunctionExpression(node) || ts.isArrowFunction(node);
}

/** `setFlag` for `setFlag(…)`, `ctx.setFlag(…)` and `this.ctx.setFlag(…)`. */
function calleeName(ts: TypeScript, callee: Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** A method's name as decorators see it: `#name` for a private one. */
function memberName(ts: TypeScript, name: TypeScriptModule.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** The string literal of a spec's `id` key. */
function specId(ts: TypeScript, spec: TypeScriptModule.ObjectLiteralExpression): string | undefined {
  for (const property of spec.properties) {
    if (ts.isPropertyAssignment(property) && memberName(ts, property.name) === 'id' && ts.isStringLiteral(property.initializer)) return property.initializer.text;
  }
  return undefined;
}

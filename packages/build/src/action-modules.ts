import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestProblem } from '@charms/manifest';
import { locate, parseCharmYaml } from '@charms/manifest/internal';
import { LineCounter } from 'yaml';
import { mergeCharmFiles } from './merge-files.js';
import type { ResolvedLayer } from './resolve-layers.js';

/** An action's code: `actions/<name>.ts` (or `.mts`) of the charm or one of its layers. */
export interface ActionModule {
  /** The action name, as in actions.yaml and `juju run-action UNIT NAME`. */
  readonly name: string;
  readonly path: string;
  /** The layer whose `actions/` folder holds it. */
  readonly layer: string;
}

/** Sources of an action, by file name; tests and declaration files are not actions. */
const ACTION_FILE = /^(.+)\.m?ts$/;
const NOT_AN_ACTION = /\.(test|spec|d)\.m?ts$/;

/**
 * Every action module of the charm and its layers, by name, sorted. As charm-tools does
 * with any file of a layer, a higher layer's `actions/<name>.ts` replaces a lower one's
 * (the charm's own over its layers'). Interfaces carry no actions. Within one folder
 * `<name>.ts` wins over `<name>.mts` (one name, one module; lint reports the other).
 */
export function actionModules(layers: readonly ResolvedLayer[]): ActionModule[] {
  const found = new Map<string, ActionModule>();
  for (const layer of layers) {
    if (layer.kind === 'interface') continue;
    const own = new Map<string, ActionModule>();
    for (const file of actionFiles(layer.dir)) {
      const name = ACTION_FILE.exec(file)![1]!;
      if (!own.has(name) || file.endsWith('.ts')) own.set(name, { name, path: join(layer.dir, 'actions', file), layer: layer.name });
    }
    for (const [name, module] of own) found.set(name, module);
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function actionFiles(layerDir: string): string[] {
  try {
    return readdirSync(join(layerDir, 'actions'), { withFileTypes: true })
      .filter((entry) => entry.isFile() && ACTION_FILE.test(entry.name) && !NOT_AN_ACTION.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The action modules the built charm registers: those of actions declared in the
 * merged actions.yaml. A module with no entry is left out (Juju refuses to run an
 * action its charm does not declare: `action "<name>" not defined on unit …`); lint
 * reports it ({@link actionProblems}).
 */
export function declaredActionModules(layers: readonly ResolvedLayer[], actions: Record<string, unknown> | undefined): ActionModule[] {
  return actionModules(layers).filter((module) => actions !== undefined && Object.hasOwn(actions, module.name));
}

/**
 * What does not match between actions.yaml and the action modules, as warnings (the
 * charm still builds; `charms lint` and `charms build` report them):
 *
 * - `ACTION_NO_MODULE`: an action of the merged actions.yaml with no `actions/<name>.ts`,
 *   at its key in the highest layer's actions.yaml that declares it. Built with dispatch,
 *   the charm runs every action through its bundle, so `juju run-action` on it fails;
 * - `ACTION_NO_ENTRY`: a module with no actions.yaml entry, at its first line. Juju
 *   never runs it, and the build leaves it out;
 * - `ACTION_MODULE_TWICE`: `<name>.ts` and `<name>.mts` in one folder (the `.ts` one is used).
 */
export function actionProblems(layers: readonly ResolvedLayer[], actions: Record<string, unknown> | undefined): ManifestProblem[] {
  const modules = actionModules(layers);
  const problems: ManifestProblem[] = [];
  for (const name of Object.keys(actions ?? {})) {
    if (modules.some((module) => module.name === name)) continue;
    const where = declaredAt(layers, name);
    problems.push({
      ...where,
      code: 'ACTION_NO_MODULE',
      message: `action ${name} has no module: add actions/${name}.ts default-exporting (ctx) => …, or remove it from actions.yaml (juju run-action ${name} fails as it is)`,
    });
  }
  for (const module of modules) {
    if (actions !== undefined && Object.hasOwn(actions, module.name)) continue;
    problems.push({
      file: module.path,
      line: 1,
      col: 1,
      code: 'ACTION_NO_ENTRY',
      message: `actions.yaml declares no action ${module.name}, so Juju never runs this module and the build leaves it out: add ${module.name}: to actions.yaml, or rename the file`,
    });
  }
  for (const layer of layers) {
    if (layer.kind === 'interface') continue;
    const files = actionFiles(layer.dir);
    for (const file of files.filter((f) => f.endsWith('.mts') && files.includes(f.replace(/\.mts$/, '.ts')))) {
      problems.push({
        file: join(layer.dir, 'actions', file),
        line: 1,
        col: 1,
        code: 'ACTION_MODULE_TWICE',
        message: `actions/${file.replace(/\.mts$/, '.ts')} is the module of this action too: the build uses it and leaves this one out`,
      });
    }
  }
  return problems;
}

/**
 * {@link actionProblems} of a charm's layers against their merged actions.yaml (what
 * `charms lint` reports). @throws ManifestError for a bad metadata, config or actions file.
 */
export function charmActionProblems(layers: readonly ResolvedLayer[]): ManifestProblem[] {
  return actionProblems(layers, mergeCharmFiles(layers).actions);
}

/** The key of the action in the highest layer's actions.yaml that has it. */
function declaredAt(layers: readonly ResolvedLayer[], name: string): { file: string; line: number; col: number } {
  for (const layer of [...layers].reverse()) {
    const file = join(layer.dir, 'actions.yaml');
    if (layer.kind === 'interface' || !existsSync(file)) continue;
    const lineCounter = new LineCounter();
    const document = parseCharmYaml(readFileSync(file, 'utf8'), lineCounter);
    if (document.hasIn([name])) return { file, ...locate(document, lineCounter, [name], true) };
  }
  return { file: join(layers.at(-1)!.dir, 'actions.yaml'), line: 1, col: 1 };
}

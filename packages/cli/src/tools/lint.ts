import { readFileSync } from 'node:fs';
import type { AnalyzedHandler, CharmAnalysis } from './charm-analysis.js';

/** One finding of `charms lint`. */
export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly level: 'error' | 'warning';
  readonly code: 'never-runs' | 'no-flags' | 'unset-flag' | 'and-or' | 'never-cleared' | 'not-registered' | 'action-no-module' | 'action-no-entry' | 'action-module-twice';
  readonly handler: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * The mistakes reactive charms are known for: handlers that can never run, handlers
 * that wait for a flag nothing sets, `@when(a, b)` where OR was meant, handlers that run
 * in every iteration, and flags set once and never cleared that re-run their handlers in
 * every hook. Also actions.yaml entries with no `actions/<name>.ts` and action modules
 * with no entry (warnings: the charm builds, but those actions cannot run).
 */
export function lintCharm(analysis: CharmAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  const setByCode = new Set(analysis.handlers.flatMap((h) => h.sets));
  const clearedByCode = new Set(analysis.handlers.flatMap((h) => h.clears));
  const canBeSet = (flag: string) => setByCode.has(flag) || analysis.actionSets?.has(flag) === true || analysis.isAutomatic(flag);
  // A handler whose code could not be read and that declares nothing may set any flag:
  // "nothing sets it" is then a guess, worth a warning but not a failed build.
  const unread = analysis.handlers.filter((h) => !h.codeRead && h.sets.length === 0 && h.clears.length === 0);
  const unsetLevel: LintFinding['level'] = unread.length > 0 ? 'warning' : 'error';
  const unsetFix = (fix: string) =>
    unread.length === 0
      ? fix
      : `${fix}; the code of ${unread.map((h) => h.id).join(', ')} could not be read (a function from another module, or no TypeScript compiler): if it sets the flag, declare it with sets / @sets`;
  const add = (handler: AnalyzedHandler, finding: Omit<LintFinding, 'file' | 'line' | 'handler'>) =>
    findings.push({ file: handler.file, line: handler.line, handler: handler.id, ...finding });

  for (const module of analysis.unregistered ?? []) {
    findings.push({
      file: module.file,
      line: 1,
      handler: '',
      level: 'error',
      code: 'not-registered',
      message:
        module.exported === 'nothing'
          ? 'this module has no default export, so the built charm registers nothing from it (its handlers never run)'
          : 'the default export of this module is neither a layer (defineLayer) nor a class, so the built charm cannot register it',
      fix: 'export default the layer, or the class whose methods have @when, @hook, …; charms build names the class or export to change',
    });
  }
  for (const problem of analysis.actionProblems ?? []) {
    const code = ACTION_CODES[problem.code];
    if (code === undefined) continue;
    findings.push({ file: problem.file, line: problem.line, handler: '', level: 'warning', code, message: problem.message, fix: ACTION_FIXES[code] });
  }
  for (const handler of analysis.handlers) {
    const kinds = handler.predicates.map((p) => p.kind);
    const flagged = kinds.some((k) => k.startsWith('when'));
    if ((kinds.includes('hook') && flagged) || (kinds.includes('restrictedHook') && (flagged || kinds.includes('hook')))) {
      add(handler, {
        level: 'error',
        code: 'never-runs',
        message: `${handler.id} combines @hook (or a metrics hook) with @when…: hook handlers run before any flag is tested, so it can never run`,
        fix: 'split it in two: a @hook handler that sets a flag, and a @when handler on that flag',
      });
    }
    const flagless = handler.predicates.filter((p) => p.kind.startsWith('when'));
    if (flagless.length > 0 && flagless.every((p) => 'flags' in p && p.flags.length === 0) && !kinds.includes('onlyOnce')) {
      add(handler, {
        level: 'error',
        code: 'no-flags',
        message: `${handler.id} watches no flag: it runs in every iteration, up to the 100-iteration cap, in every hook`,
        fix: 'give it the flag it waits for, or make it @hook(...) or @onlyOnce',
      });
    }
    for (const predicate of handler.predicates) {
      if (predicate.kind === 'whenAll') {
        for (const flag of predicate.flags) {
          if (!canBeSet(flag)) {
            add(handler, { level: unsetLevel, code: 'unset-flag', message: `${handler.id} waits for ${flag}, which nothing sets`, fix: unsetFix(`set ${flag} in a handler, or check its spelling`) });
          }
        }
        if (predicate.flags.length >= 2 && looksLikeOr(handler)) {
          add(handler, {
            level: 'warning',
            code: 'and-or',
            message: `${handler.id} uses @when(${predicate.flags.join(', ')}), which needs all of them, but its name or comment says "or"`,
            fix: `use @whenAny(${predicate.flags.map((f) => `'${f}'`).join(', ')}) to run when any of them is set`,
          });
        }
      }
      if (predicate.kind === 'whenAny' && predicate.flags.length > 0 && !predicate.flags.some(canBeSet)) {
        add(handler, { level: unsetLevel, code: 'unset-flag', message: `${handler.id} waits for any of ${predicate.flags.join(', ')}, and nothing sets them`, fix: unsetFix('set one of them in a handler, or check their spelling') });
      }
    }
  }

  // A flag the charm sets and never clears keeps every handler waiting on it running in every hook.
  for (const flag of setByCode) {
    if (clearedByCode.has(flag) || analysis.isAutomatic(flag)) continue;
    for (const handler of analysis.handlers) {
      const waits = handler.predicates.some((p) => p.kind === 'whenAll' && p.flags.includes(flag));
      const guarded = handler.predicates.some((p) => (p.kind === 'whenNone' || p.kind === 'whenNotAll') && p.flags.length > 0);
      if (waits && !guarded && handler.sets.length + handler.clears.length > 0) {
        add(handler, {
          level: 'warning',
          code: 'never-cleared',
          message: `${handler.id} runs in every hook (even update-status): it waits for ${flag}, which is set once and never cleared`,
          fix: `guard it with @whenNot('<a flag it sets>'), or clear ${flag} when the work is done`,
        });
      }
    }
  }
  return findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

const ACTION_CODES: Readonly<Record<string, 'action-no-module' | 'action-no-entry' | 'action-module-twice'>> = {
  ACTION_NO_MODULE: 'action-no-module',
  ACTION_NO_ENTRY: 'action-no-entry',
  ACTION_MODULE_TWICE: 'action-module-twice',
};

const ACTION_FIXES = {
  'action-no-module': 'write actions/<name>.ts default-exporting (ctx: ActionContext) => …, or remove the action from actions.yaml',
  'action-no-entry': 'declare the action in actions.yaml (its description and params), or rename or remove the module',
  'action-module-twice': 'keep one module per action: remove the .mts file or the .ts one',
} as const;

/** The handler's name, or a comment just above it, reads as "either/or". */
function looksLikeOr(handler: AnalyzedHandler): boolean {
  const lines = readFileSync(handler.file, 'utf8').split('\n');
  const before = lines.slice(Math.max(0, handler.line - 4), handler.line).join(' ');
  const words = `${handler.name.replace(/([a-z])([A-Z])/g, '$1 $2')} ${before.split(/\/\/|\/\*|\*/).slice(1).join(' ')}`;
  return /\b(or|either|any)\b/i.test(words) || /Or[A-Z]/.test(handler.name);
}

/** `file:line:col level code message (fix: …)` lines. */
export function formatFindings(findings: readonly LintFinding[], cwd: string): string {
  return findings
    .map((f) => `${f.file.startsWith(cwd) ? f.file.slice(cwd.length + 1) : f.file}:${f.line}:1 ${f.level} ${f.code} ${f.message}\n    fix: ${f.fix}`)
    .join('\n');
}

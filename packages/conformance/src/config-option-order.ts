import { createScanner, findNodeAtLocation, parseTree, type JSONScanner, type SyntaxKind } from 'jsonc-parser';

// jsonc-parser's token kinds (a `const enum` in its typings, which isolatedModules
// cannot read; the numbers are part of its published API).
const OPEN_BRACE = 1 as SyntaxKind;
const CLOSE_BRACE = 2 as SyntaxKind;
const OPEN_BRACKET = 3 as SyntaxKind;
const CLOSE_BRACKET = 4 as SyntaxKind;
const COMMA = 5 as SyntaxKind;
const COLON = 6 as SyntaxKind;
const NULL = 7 as SyntaxKind; // then true, false, string
const STRING = 10 as SyntaxKind;
const NUMBER = 11 as SyntaxKind;
const UNKNOWN = 16 as SyntaxKind;
const EOF = 17 as SyntaxKind;

const KEY = '"config_options"';

/**
 * The names of `fixture.config_options` in the order the file has them, which is
 * config.yaml's order and decides the order of the `config.*` flags.
 *
 * `JSON.parse` keeps the file's order of an object's keys except that it puts
 * integer-like ones ("2", "10") first, in numeric order. So when no name is
 * integer-like, `Object.keys` is already the file's order and the text is not read.
 * Otherwise the object is found in the text and only it is scanned: every
 * `"config_options"` key whose object holds exactly the parsed names is a candidate
 * (the string could also occur elsewhere, say in a description); when they all agree,
 * that is the order. Only if none is found, or candidates disagree, is the whole
 * text parsed into a tree to find the right one.
 *
 * @param text the fixture file's JSON text.
 * @param options the parsed `fixture.config_options`, or undefined.
 */
export function configOptionOrder(text: string, options: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!options) return [];
  const names = Object.keys(options);
  if (!names.some(isArrayIndex)) return names;
  let found: string[] | undefined;
  for (let at = text.indexOf(KEY); at !== -1; at = text.indexOf(KEY, at + KEY.length)) {
    const keys = keysOfObjectAfter(text, at);
    if (!keys || !isPermutationOf(keys, names, options)) continue;
    if (found && !sameList(found, keys)) return orderFromTree(text) ?? names;
    found = keys;
  }
  return found ?? orderFromTree(text) ?? names;
}

/** A key JSON.parse moves first: a canonical array index, 0 … 2³² − 2. */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * If `"config_options"` at `at` is a key whose value is an object, that object's keys
 * in text order; otherwise undefined. Nested values are skipped token by token.
 */
function keysOfObjectAfter(text: string, at: number): string[] | undefined {
  const scanner = createScanner(text, true);
  scanner.setPosition(at);
  if (scanner.scan() !== STRING || scanner.scan() !== COLON || scanner.scan() !== OPEN_BRACE) return undefined;
  const keys: string[] = [];
  let token = scanner.scan();
  if (token === CLOSE_BRACE) return keys;
  for (;;) {
    if (token !== STRING) return undefined;
    keys.push(scanner.getTokenValue());
    if (scanner.scan() !== COLON || !skipValue(scanner)) return undefined;
    token = scanner.scan();
    if (token === CLOSE_BRACE) return keys;
    if (token !== COMMA) return undefined;
    token = scanner.scan();
  }
}

/** Moves past one value (a nested object or array whole); false if there is none. */
function skipValue(scanner: JSONScanner): boolean {
  let token = scanner.scan();
  if (token !== OPEN_BRACE && token !== OPEN_BRACKET) return token >= NULL && token <= NUMBER && scanner.getTokenError() === 0;
  for (let depth = 1; depth > 0; ) {
    token = scanner.scan();
    if (token === OPEN_BRACE || token === OPEN_BRACKET) depth += 1;
    else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth -= 1;
    else if (token === UNKNOWN || token === EOF || scanner.getTokenError() !== 0) return false;
  }
  return true;
}

function isPermutationOf(keys: readonly string[], names: readonly string[], options: Readonly<Record<string, unknown>>): boolean {
  return keys.length === names.length && new Set(keys).size === keys.length && keys.every((key) => Object.hasOwn(options, key));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The slow, sure way: parse the whole text and read `fixture.config_options` from the tree. */
function orderFromTree(text: string): string[] | undefined {
  const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, ['fixture', 'config_options']);
  if (node?.type !== 'object') return undefined;
  return (node.children ?? []).map((property) => String(property.children?.[0]?.value));
}

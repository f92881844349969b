/**
 * A service or exec check command split into words as canonical/pebble's
 * internals/plan/plan.go does (Service.ParseCommand, with shlex.Split): POSIX shell words,
 * and for services an optional final `[ ... ]` group of default arguments.
 */

/**
 * A service command split as plan.go's ParseCommand: shell words, with an optional final
 * `[ ... ]` group of default arguments. Returns the words to run (base and defaults).
 * @throws Error with Pebble's text for a misplaced group or bad quoting.
 */
export function parseCommand(command: string): { base: string[]; extra: string[] } {
  const words = shellSplit(command);
  const base: string[] = [];
  const extra: string[] = [];
  let inGroup = false;
  let groupDone = false;
  for (const word of words) {
    if (word === '[') {
      if (inGroup) throw new Error('cannot nest [ ... ] groups');
      if (base.length === 0) throw new Error('cannot start command with [ ... ] group');
      inGroup = true;
      continue;
    }
    if (word === ']') {
      if (!inGroup) throw new Error('cannot have ] outside of [ ... ] group');
      inGroup = false;
      groupDone = true;
      continue;
    }
    if (groupDone) throw new Error('cannot have any arguments after [ ... ] group');
    (inGroup ? extra : base).push(word);
  }
  if (inGroup) throw new Error('cannot have [ without ] in command');
  return { base, extra };
}

/** POSIX shell word splitting with quotes and backslashes (what shlex.Split does for Pebble). */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new Error('EOF found when expecting closing quote');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) j++;
        word += text[j];
      }
      if (j >= text.length) throw new Error('EOF found when expecting closing quote');
      i = j;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('EOF found after escape character');
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

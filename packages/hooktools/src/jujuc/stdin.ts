/**
 * Which tools read stdin, and when: the spec tools unless `--file` names a file (stdin is
 * their default), relation-set and state-set only for `--file -` (cmd.FileVar with
 * SetStdin). jujud's client sends stdin only when the tool asks for it; a front that
 * cannot ask (a shell shim) reads it by this rule.
 */
export const STDIN_USE: Readonly<Record<string, 'unless-file' | 'file-dash'>> = {
  'pod-spec-set': 'unless-file',
  'k8s-spec-set': 'unless-file',
  'k8s-raw-set': 'unless-file',
  'relation-set': 'file-dash',
  'state-set': 'file-dash',
};

/**
 * `/bin/sh` code that sets `reads` to `yes` when `tool`, called with `"$@"`, reads stdin
 * by {@link STDIN_USE}, else to `no`: for the shell fronts of the tools.
 */
export function stdinShellRule(tool: string): string {
  switch (STDIN_USE[tool]) {
    case 'unless-file':
      return `reads=yes; prev=; for a in "$@"; do if [ "$prev" = --file ] && [ "$a" != - ]; then reads=no; fi; case "$a" in --file=-) ;; --file=*) reads=no ;; esac; prev=$a; done`;
    case 'file-dash':
      return `reads=no; prev=; for a in "$@"; do if [ "$prev" = --file ] && [ "$a" = - ]; then reads=yes; fi; if [ "$a" = --file=- ]; then reads=yes; fi; prev=$a; done`;
    default:
      return 'reads=no';
  }
}

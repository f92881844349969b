import pc from 'picocolors';

/** The colour functions of picocolors: each one wraps its text in a colour, or returns it as it is when colours are off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for what a command writes to stdout: on when stdout is a terminal, off when it
 * is not or NO_COLOR is set to anything but the empty string (no-color.org); FORCE_COLOR
 * (other than empty or `0`) turns them on for a pipe, as most tools read it.
 */
export function stdoutColors(env: NodeJS.ProcessEnv = process.env, isTTY: boolean = process.stdout.isTTY === true): Colors {
  if (env.NO_COLOR) return pc.createColors(false);
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return pc.createColors(true);
  return pc.createColors(isTTY);
}

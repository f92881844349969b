/**
 * Runs a slow step with a spinner on stderr (when it is a terminal), its text following
 * the step. The spinner's module is loaded only when there is a terminal to draw on.
 */
export async function withSpinner<T>(text: string, work: (onStep: (step: string) => void) => Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return work(() => {});
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream: process.stderr }).start();
  try {
    return await work((step) => void (spinner.text = step));
  } finally {
    spinner.stop();
  }
}

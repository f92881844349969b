/** Stable codes of {@link ConfigError}. */
export type ConfigErrorCode = 'OPTION_UNDEFINED';

/**
 * The charm's config.yaml as the hook received it cannot be read the way layer-basic
 * reads it: an option with no definition (no type, default or description). `charms
 * build` refuses such a file; a charm built otherwise meets this at its first hook.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  /** The option at fault. */
  readonly option: string;

  constructor(code: ConfigErrorCode, option: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
    this.option = option;
  }
}

/**
 * What main() needs to run a hook in the test's own process: Juju's variables for unit
 * app/0 of a charm whose folder does not exist (nothing is read from it), and the charm's
 * files given directly.
 */
export function inProcessHookEnv(hook: string): Record<string, string> {
  return {
    JUJU_UNIT_NAME: 'app/0',
    JUJU_MODEL_NAME: 'test',
    JUJU_MODEL_UUID: 'c0ffee',
    JUJU_CHARM_DIR: '/tmp/charms-no-such-charm',
    JUJU_VERSION: '2.9.44',
    JUJU_DISPATCH_PATH: `hooks/${hook}`,
  };
}

/** The charm's files main() would otherwise read from its folder: metadata naming `app`, no config or layer options. */
export const inProcessFiles = { metadata: { name: 'app' } as never, configYaml: undefined, layerYaml: undefined };

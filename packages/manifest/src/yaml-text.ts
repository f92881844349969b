/**
 * `@charms/manifest/yaml`: charm YAML read and written as Juju reads it, with the YAML
 * library behind it and nothing else (neither zod nor the schemas): what a hook needs to
 * read a resource's content.yaml or write a spec. The package's main entry would load
 * every schema with it.
 */
export { readCharmYaml, stringifyCharmYaml } from './load-yaml.js';

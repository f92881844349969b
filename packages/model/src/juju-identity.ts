/**
 * How the local model names itself where Juju names its model, controller, cloud and
 * version: hooks see these in their environment and `charms status` prints them, so they
 * are written once.
 */

/** The model's name (JUJU_MODEL_NAME, the Model line of status). */
export const MODEL_NAME = 'local';
/** The Juju version the model reports (JUJU_VERSION, agent and model version in status). */
export const JUJU_VERSION = '2.9.44';
/** Names the model gives where Juju names its controller and cloud. */
export const CONTROLLER_NAME = 'charms';
export const CLOUD_NAME = 'local';
export const CLOUD_REGION = 'localhost';

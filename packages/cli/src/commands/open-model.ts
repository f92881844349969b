import { resolve } from 'node:path';
import type { HookReport, LocalModel } from '@charms/model';
import type { Command } from 'commander';

/** Where the model lives: --model, else CHARMS_MODEL, else .charms-model here. */
export function modelDir(program: Command): string {
  return resolve(program.opts<{ model?: string }>().model ?? process.env.CHARMS_MODEL ?? '.charms-model');
}

/** Opens the command's model; the model package is loaded only by the commands that use it. */
export async function openModel(program: Command, onHook?: (report: HookReport) => void): Promise<LocalModel> {
  const { LocalModel } = await import('@charms/model');
  return LocalModel.open({ dir: modelDir(program), ...(onHook ? { onHook } : {}) });
}

/**
 * The `command-execution` resource a v3 command answers with (smartcar-v3.md §6.2): what ran, with
 * which parameters, whether it succeeded, and when. Commands never carry new vehicle state; the
 * catalog's `confirmedBy` signals show it.
 */
import { randomUUID } from 'node:crypto';
import type { CommandSpec } from '../../core/index.js';
import { docUrl, errorTitle, type ApiError } from '../errors/index.js';

/** `sync`: answered in the request's own response (200); `async`: after a 202 (§6.2, UNCERTAIN name). */
export type ExecutionMode = 'sync' | 'async';

/**
 * Why a command that was answered 202 failed: the signal-level error's members (§5.3) with the
 * HTTP status it would have had and the v2 fields an SDK maps (§5.4).
 */
export interface ExecutionError {
  /** The HTTP status the failure would have answered with, had it come before the 202. */
  status: string;
  type: string;
  code: string | null;
  title: string;
  detail: string;
  description: string;
  docURL: string;
  resolution: { type: string | null };
  suggestedUserMessage?: string;
}

export interface CommandExecution {
  id: string;
  type: 'command-execution';
  attributes: {
    commandType: string;
    status: { value: 'SUCCESS' } | { value: 'ERROR'; error: ExecutionError };
    executionMode: ExecutionMode;
    parameters: Record<string, unknown>;
  };
  meta: { executedAt: string; completedAt: string; durationInSeconds: number };
}

export interface Execution {
  spec: CommandSpec;
  parameters: Record<string, unknown>;
  executedAt: Date;
}

export function newExecutionId(): string {
  return `exec_${randomUUID().replaceAll('-', '')}`;
}

export function commandExecution(
  id: string, execution: Execution, mode: ExecutionMode, completedAt: Date, error?: ExecutionError,
): CommandExecution {
  const { spec, parameters, executedAt } = execution;
  return {
    id,
    type: 'command-execution',
    attributes: {
      commandType: spec.commandType,
      status: error ? { value: 'ERROR', error } : { value: 'SUCCESS' },
      executionMode: mode,
      parameters,
    },
    meta: {
      executedAt: executedAt.toISOString(),
      completedAt: completedAt.toISOString(),
      // Milliseconds kept: a simulated command often takes less than a second.
      durationInSeconds: Math.max(0, completedAt.getTime() - executedAt.getTime()) / 1000,
    },
  };
}

export function executionError(error: ApiError): ExecutionError {
  const { entry } = error;
  const description = error.options.description ?? entry.description;
  const body: ExecutionError = {
    status: String(error.statusCode),
    type: entry.type,
    code: entry.code,
    title: errorTitle(entry.type),
    detail: description,
    description,
    docURL: docUrl(entry),
    resolution: { type: entry.resolution },
  };
  if (entry.suggestedUserMessage) body.suggestedUserMessage = entry.suggestedUserMessage;
  return body;
}

export type ExecutionDocument = CommandExecution & { data: CommandExecution };

/**
 * The response body: the resource under `data` (§6.2) and, as on the v3 reads, bare at the top
 * level too, so a client written against either form finds it.
 */
export function executionDocument(resource: CommandExecution): ExecutionDocument {
  return { ...resource, data: resource };
}

import { z } from 'zod';

/**
 * What a hook receives on stdin, as Claude Code sends it (checked on 2.1.330), plus what ccwave's
 * hook script adds (`ccwave_verify`). Unknown fields are kept: newer versions add more.
 */
const verifySchema = z.object({
  ok: z.boolean(),
  attempt: z.number(),
  /** True when the hook blocked the stop, so the agent goes on working. */
  blocked: z.boolean(),
  output: z.string().optional(),
});

const hookEventSchema = z.looseObject({
  hook_event_name: z.string(),
  session_id: z.string().optional(),
  transcript_path: z.string().optional(),
  cwd: z.string().optional(),
  last_assistant_message: z.string().optional(),
  stop_hook_active: z.boolean().optional(),
  notification_type: z.string().optional(),
  message: z.string().optional(),
  /** StopFailure: rate_limit, overloaded, server_error, invalid_request, authentication_failed, ... */
  error: z.string().optional(),
  error_details: z.string().optional(),
  /** SessionEnd: prompt_input_exit, clear, logout, other. */
  reason: z.string().optional(),
  ccwave_verify: verifySchema.optional(),
});

export type HookEvent = z.infer<typeof hookEventSchema>;

/** The hook events ccwave subscribes to, in the order a session usually sees them. */
export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Notification', 'Stop', 'StopFailure', 'SessionEnd'] as const;

/** One line of a hook channel file; undefined for a torn or foreign line. */
export function parseHookLine(line: string): HookEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = hookEventSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** StopFailure error kinds that pass by themselves: wait and send a follow-up. */
const RETRYABLE_API_ERRORS = new Set(['rate_limit', 'overloaded', 'server_error', 'unknown', 'max_output_tokens']);

export function isRetryableApiError(error: string | undefined): boolean {
  return error === undefined || RETRYABLE_API_ERRORS.has(error);
}

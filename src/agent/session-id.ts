/**
 * A session id an agent named itself (Codex's are UUIDv7), as read from a hook line: hostile
 * input that later becomes an argv entry of `codex resume`, a journal key and a file-name part.
 * Letters, digits, `-` and `_` only, never a leading dash, and short.
 */
const AGENT_SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isAgentSessionId(id: unknown): id is string {
  return typeof id === 'string' && AGENT_SESSION_ID.test(id);
}

import { describe, expect, it } from 'vitest';
import type { HookEvent } from '../../src/agent/hook-event.js';
import { INITIAL_STATE, nextAgentState, type AgentInput, type AgentState } from '../../src/agent/state.js';

const hook = (event: Partial<HookEvent> & { hook_event_name: string }): AgentInput => ({ type: 'hook', event });
const RESET = new Date('2026-11-23T18:00:00Z');

const working: AgentState = { kind: 'working', via: 'hook' };
const workingFromScreen: AgentState = { kind: 'working', via: 'screen' };
const idleFromHook: AgentState = { kind: 'idle', cause: 'turn-end', via: 'hook', detail: 'Done.' };

const TABLE: Array<[name: string, from: AgentState, input: AgentInput, to: AgentState]> = [
  ['prompt submitted → working', INITIAL_STATE, hook({ hook_event_name: 'UserPromptSubmit' }), working],
  ['session start says nothing yet', INITIAL_STATE, hook({ hook_event_name: 'SessionStart' }), INITIAL_STATE],
  ['Stop → idle with the last message', working, hook({ hook_event_name: 'Stop', last_assistant_message: 'Done.' }), idleFromHook],
  [
    'Stop blocked by verify → still working',
    working,
    hook({ hook_event_name: 'Stop', ccwave_verify: { ok: false, attempt: 1, blocked: true } }),
    { kind: 'working', via: 'hook', detail: 'verify failed; continuing' },
  ],
  ['StopFailure → idle on an API error', working, hook({ hook_event_name: 'StopFailure', error: 'rate_limit' }), { kind: 'idle', cause: 'api-error', via: 'hook', detail: 'rate_limit' }],
  [
    'StopFailure while paused at a usage limit stays paused',
    { kind: 'paused', until: RESET, via: 'screen' },
    hook({ hook_event_name: 'StopFailure', error: 'rate_limit' }),
    { kind: 'paused', until: RESET, via: 'screen' },
  ],
  [
    'permission notification → waiting',
    working,
    hook({ hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission' }),
    { kind: 'waiting', reason: 'permission', via: 'hook', detail: 'Claude needs your permission' },
  ],
  ['idle notification keeps a known idle', idleFromHook, hook({ hook_event_name: 'Notification', notification_type: 'idle_prompt' }), idleFromHook],
  ['busy screen → working', INITIAL_STATE, { type: 'screen', screen: { kind: 'busy' } }, workingFromScreen],
  [
    'retrying screen → working, with the detail',
    workingFromScreen,
    { type: 'screen', screen: { kind: 'retrying', detail: 'retrying in 3s · attempt 5/10' } },
    { kind: 'working', via: 'screen', detail: 'retrying in 3s · attempt 5/10' },
  ],
  ['trust dialog → waiting', INITIAL_STATE, { type: 'screen', screen: { kind: 'trust-dialog', selected: 'no' } }, { kind: 'waiting', reason: 'trust-dialog', via: 'screen' }],
  ['api key prompt → waiting', INITIAL_STATE, { type: 'screen', screen: { kind: 'api-key-prompt' } }, { kind: 'waiting', reason: 'api-key', via: 'screen' }],
  [
    'permission screen → waiting',
    workingFromScreen,
    { type: 'screen', screen: { kind: 'permission-prompt', question: 'Do you want to proceed?', options: [] } },
    { kind: 'waiting', reason: 'permission', via: 'screen' },
  ],
  [
    'usage limit → paused until the reset',
    workingFromScreen,
    { type: 'screen', screen: { kind: 'usage-limit', resetAt: RESET, detail: 'limit' } },
    { kind: 'paused', until: RESET, via: 'screen', detail: 'limit' },
  ],
  ['pause over → unknown until seen', { kind: 'paused', until: RESET, via: 'screen' }, { type: 'timer', timer: 'pause-over' }, { kind: 'unknown' }],
  ['idle screen before any work → still starting', INITIAL_STATE, { type: 'screen', screen: { kind: 'idle', interrupted: false } }, INITIAL_STATE],
  ['idle screen → idle', workingFromScreen, { type: 'screen', screen: { kind: 'idle', interrupted: false } }, { kind: 'idle', cause: 'turn-end', via: 'screen' }],
  ['interrupted idle screen', workingFromScreen, { type: 'screen', screen: { kind: 'idle', interrupted: true } }, { kind: 'idle', cause: 'interrupted', via: 'screen' }],
  ['idle screen keeps the hook idle (and its message)', idleFromHook, { type: 'screen', screen: { kind: 'idle', interrupted: false } }, idleFromHook],
  [
    'api-error screen → idle(api-error)',
    workingFromScreen,
    { type: 'screen', screen: { kind: 'api-error', retryable: true, detail: 'API Error (429)' } },
    { kind: 'idle', cause: 'api-error', via: 'screen', detail: 'API Error (429)' },
  ],
  ['unknown screen after a screen state → unknown', workingFromScreen, { type: 'screen', screen: { kind: 'unknown' } }, { kind: 'unknown' }],
  ['unknown screen does not override a hook state', working, { type: 'screen', screen: { kind: 'unknown' } }, working],
  ['unknown screen while starting → still starting', INITIAL_STATE, { type: 'screen', screen: { kind: 'unknown' } }, INITIAL_STATE],
  ['exit → exited', working, { type: 'exit', exitCode: 3 }, { kind: 'exited', exitCode: 3, signal: undefined }],
  ['no screen after exit', { kind: 'exited', exitCode: 0, signal: undefined }, { type: 'screen', screen: { kind: 'busy' } }, { kind: 'exited', exitCode: 0, signal: undefined }],
  ['runner finishes → done', idleFromHook, { type: 'finish' }, { kind: 'done' }],
  ['runner fails → failed', working, { type: 'fail', reason: 'idle timeout' }, { kind: 'failed', reason: 'idle timeout' }],
  ['done is final', { kind: 'done' }, { type: 'exit', exitCode: 0 }, { kind: 'done' }],
  ['failed is final', { kind: 'failed', reason: 'x' }, { type: 'finish' }, { kind: 'failed', reason: 'x' }],
];

describe('nextAgentState', () => {
  it.each(TABLE)('%s', (_name, from, input, to) => {
    expect(nextAgentState(from, input)).toEqual(to);
  });
});

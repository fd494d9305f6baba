// `/__emulator/*`: the same controls as the Emulator object, for tests in other processes.
import { validateFault } from './faults';
import { parseRecordedBody } from './recorder';
import { jsonReply, type Reply } from './reply';
import { resetState, type EmulatorState } from './state';

export function controlReply(state: EmulatorState, method: string, action: string, rawBody: Buffer): Reply {
  const key = `${method} ${action}`;
  switch (key) {
    case 'GET requests':
      return jsonReply(200, state.requests);
    case 'GET faults':
      return jsonReply(200, state.faults.list());
    case 'POST faults':
      return injectFaults(state, parseRecordedBody(rawBody));
    case 'DELETE faults':
      state.faults.clear();
      return jsonReply(200, []);
    case 'POST echo-authorization':
      state.echoAuthorization = parseRecordedBody(rawBody) === true;
      return jsonReply(200, { echoAuthorization: state.echoAuthorization });
    case 'POST reset':
      resetState(state);
      return jsonReply(200, {});
    default:
      return jsonReply(404, { error: `No emulator control ${key}` });
  }
}

/** Accepts one fault or an array; all are checked before any is added. */
function injectFaults(state: EmulatorState, body: unknown): Reply {
  const faults = Array.isArray(body) ? body : [body];
  try {
    faults.forEach((fault) => validateFault(fault));
  } catch (error) {
    return jsonReply(400, { error: (error as Error).message });
  }
  faults.forEach((fault) => state.faults.inject(fault));
  return jsonReply(201, state.faults.list());
}

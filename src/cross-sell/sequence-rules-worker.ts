// The thread of `mineSequenceRulesAside` (sequence-rules-thread.ts): mines the next-purchase rules of the sequences it
// is given and answers once.
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../core/errors/user-error.js';
import { mineSequenceRules } from './mine-sequence-rules.js';
import type { SequenceRulesJob, SequenceRulesReply } from './sequence-rules-thread.js';

const { data, options } = workerData as SequenceRulesJob;
let reply: SequenceRulesReply;
try {
  reply = { rules: mineSequenceRules(data, options) };
} catch (error) {
  const user = isUserError(error);
  reply = {
    error: {
      message: error instanceof Error ? error.message : String(error),
      user,
      ...(user && error.hint !== undefined ? { hint: error.hint } : {}),
      ...(!user && error instanceof Error && error.stack ? { stack: error.stack } : {}),
    },
  };
}
parentPort!.postMessage(reply);

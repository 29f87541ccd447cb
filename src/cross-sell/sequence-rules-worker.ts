// The thread of `mineSequenceRulesAside` (sequence-rules-thread.ts): mines the next-purchase rules of the sequences it
// is given and answers once.
import { parentPort, workerData } from 'node:worker_threads';
import { sendableError } from '../core/errors/thread-errors.js';
import { mineSequenceRules } from './mine-sequence-rules.js';
import type { SequenceRulesJob, SequenceRulesReply } from './sequence-rules-thread.js';

const { data, options } = workerData as SequenceRulesJob;
let reply: SequenceRulesReply;
try {
  reply = { rules: mineSequenceRules(data, options) };
} catch (error) {
  reply = { error: sendableError(error) };
}
parentPort!.postMessage(reply);

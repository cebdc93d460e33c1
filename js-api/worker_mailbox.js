// The page's side of a worker's message order. A worker can take nothing before its `init` (which builds
// its engine), and `init` goes out late: the page's audio is opened first, which takes a while. Until then
// messages wait here and go out right after `init`, in the order they were posted, so an attribute set, a
// hidden page or a stop right after start() / play() never reaches a worker that has no engine yet (a
// <live-player> in the page's markup once crashed its worker that way). LivePusher and LivePlayer both
// talk to their worker through one.
//
// Every message is checked against its declaration (`contract`: worker/player_messages.js,
// worker/pusher_messages.js) while checks are on (the test harness switches them on:
// worker/message_contract.js), and `init` then tells the worker to check its side too.
import { checking } from '../worker/message_contract.js';

const UNCHECKED = { verify: (m) => m };

export class WorkerMailbox {
  /** @param {Worker} worker @param {{verify<M>(m: M): M}} [contract] the page -> worker declarations */
  constructor(worker, contract = UNCHECKED) {
    this.worker = worker;
    this.contract = contract;
    /** @type {Array<[unknown, Transferable[]]> | null} messages waiting for `init`; null once it went out */
    this.waiting = [];
  }

  /** Whether `init` has gone out (later messages go straight to the worker). */
  get opened() {
    return this.waiting === null;
  }

  /** @param {unknown} message @param {Transferable[]} [transfer] */
  post(message, transfer = []) {
    this.contract.verify(message);
    if (this.waiting) this.waiting.push([message, transfer]);
    else this.worker.postMessage(message, transfer);
  }

  /** Posts `init`, then everything that waited for it. @param {unknown} init @param {Transferable[]} [transfer] */
  open(init, transfer = []) {
    if (!this.waiting) throw new Error('the worker has its init already');
    if (checking()) init = { ...init, checkMessages: true };
    this.contract.verify(init);
    const waiting = this.waiting;
    this.waiting = null;
    this.worker.postMessage(init, transfer);
    for (const [message, t] of waiting) this.worker.postMessage(message, t);
  }
}

// The one confirmation flow every guard uses (DESIGN.md): modal → "Run once" → typed name where required.
// Requests are queued and shown one at a time; Escape, wrong text or the policy's timeout cancel.
import vscode = require('vscode');
import {
  presentConfirmationStep1, presentConfirmationStep2, presentTypedConfirmation, type ConfirmationRequest,
} from '../presenters/modal.js';
import { runBeforeDeadline, type SerialQueue } from './queue.js';
import { askModal } from '../modal.js';

export type ConfirmationOutcome = 'approved' | 'cancelled' | 'timed-out' | 'wrong-confirmation';

const TIMED_OUT = Symbol('timed-out');
/** The default button of both steps: Enter declines. */
const DONT_RUN = "Don't run";

export class ConfirmationService {
  constructor(private readonly queue: SerialQueue, private readonly log: vscode.LogOutputChannel) {}

  /**
   * Asks a person; resolves once they answered, cancelled, or the time ran out. Never rejects. The time counts from
   * now (the request), also while it waits behind other modals: a request whose time runs out in the queue resolves
   * `timed-out` at once and is never shown.
   */
  request(request: ConfirmationRequest, timeoutSeconds: number): Promise<ConfirmationOutcome> {
    this.log.info(`confirmation requested by ${request.requester} (${request.source}): ${request.commandLine} [${this.queue.waiting} waiting]`);
    const deadline = Date.now() + timeoutSeconds * 1000;
    return runBeforeDeadline(this.queue, deadline, 'timed-out' as const, (d) => this.flow(request, d)).then((outcome) => {
      if (outcome === 'timed-out') this.log.info(`confirmation timed out (${timeoutSeconds} s since the request): ${request.commandLine}`);
      return outcome;
    }, (error: unknown) => {
      this.log.error(`confirmation flow failed, treated as cancel: ${String(error)}`);
      return 'cancelled' as const;
    });
  }

  private async flow(request: ConfirmationRequest, deadline: number): Promise<ConfirmationOutcome> {
    const step1 = presentConfirmationStep1(request, this.queue.waiting);
    const first = await beforeDeadline(askModal('warning', step1.message, step1.detail, step1.review, DONT_RUN), deadline);
    if (first === TIMED_OUT) return 'timed-out';
    if (first !== step1.review) return 'cancelled';

    const step2 = presentConfirmationStep2(request);
    const second = await beforeDeadline(askModal('warning', step2.message, step2.detail, step2.runOnce, DONT_RUN), deadline);
    if (second === TIMED_OUT) return 'timed-out';
    if (second !== step2.runOnce) return 'cancelled';

    const expected = request.verdict.typedConfirmation;
    if (expected === undefined) return 'approved';
    return typedConfirmation(request, expected, deadline);
  }
}

/**
 * Races a modal against the deadline. A modal cannot be closed from an extension, so after a timeout it may stay on
 * screen; its answer is then ignored (the request already counts as cancelled).
 */
function beforeDeadline<T>(answer: Thenable<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
    answer.then((value) => { clearTimeout(timer); resolve(value); }, () => { clearTimeout(timer); resolve(undefined as T); });
  });
}

function typedConfirmation(request: ConfirmationRequest, expected: string, deadline: number): Promise<ConfirmationOutcome> {
  const text = presentTypedConfirmation(request, expected);
  const box = vscode.window.createInputBox();
  box.title = text.title;
  box.prompt = text.prompt;
  box.placeholder = text.placeholder;
  box.ignoreFocusOut = true;
  return new Promise<ConfirmationOutcome>((resolve) => {
    let outcome: ConfirmationOutcome | undefined;
    const finish = (result: ConfirmationOutcome): void => {
      if (outcome !== undefined) return;
      outcome = result;
      clearTimeout(timer);
      box.hide();
      for (const d of disposables) d.dispose();
      box.dispose();
      resolve(result);
    };
    const timer = setTimeout(() => finish('timed-out'), Math.max(0, deadline - Date.now()));
    const disposables = [
      box.onDidAccept(() => finish(box.value === expected ? 'approved' : 'wrong-confirmation')),
      box.onDidHide(() => finish('cancelled')),
    ];
    box.show();
  });
}

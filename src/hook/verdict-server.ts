// The loopback verdict server the shell hooks and the PATH guard ask before a risky command runs. No vscode import.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs = require('node:fs');
import http = require('node:http');
import type { AddressInfo } from 'node:net';
import { evaluate, type Reason, type Verdict } from '../engine.js';
import type { Policy } from '../policy/schema.js';
import { loadBashParser, type BashParser } from '../shell/parser.js';
import { folderContext } from '../shell/folder-context.js';

/** Where in the shell the command was caught. */
export type HookPhase =
  /** The whole command line, once per prompt (bash: history line or the first simple command; zsh: preexec). */
  | 'line'
  /** One simple command as it is about to run (bash DEBUG trap, zsh DEBUG trap): loops, functions, `bash -c`, scripts. */
  | 'simple'
  /** A guarded executable started by any process (the PATH guard), with its real argv. */
  | 'exec';

export const HOOK_PHASES: readonly HookPhase[] = ['line', 'simple', 'exec'];

export interface VerdictRequest {
  readonly command: string;
  readonly cwd: string | undefined;
  /** `bash`, `zsh`, `path-guard`, … as the hook reports it. */
  readonly shell: string;
  /** The terminal's id: the pid of the terminal's top shell (the extension matches it with `Terminal.processId`). */
  readonly terminalId: string;
  readonly phase: HookPhase;
  /** The prompt line the command belongs to (`<terminal pid>.<counter>`); undefined outside a terminal line. */
  readonly lineId: string | undefined;
}

export type HookDecision = 'allow' | 'deny';

export interface VerdictResponse {
  readonly decision: HookDecision;
  /** One line for the hook to print after "Agent Guardrails blocked: "; also set for allow. */
  readonly message: string;
}

/** How a verdict request was settled, for the audit log and the bypass detector. */
export type Settlement = 'engine-allow' | 'person' | 'approved-earlier' | 'blocked' | 'timeout' | 'decide-failed';

export type HookEvent =
  | { readonly kind: 'verdict'; readonly request: VerdictRequest; readonly verdict: Verdict; readonly response: VerdictResponse; readonly settlement: Settlement }
  /** A hook loaded in a shell: the terminal is guarded from now on. */
  | { readonly kind: 'hello'; readonly terminalId: string; readonly shell: string; readonly pid: string; readonly detail: string }
  /** A hook found its trap, prompt hook or options changed (and restored them). */
  | { readonly kind: 'tamper'; readonly terminalId: string; readonly shell: string; readonly pid: string; readonly detail: string }
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string };

export interface VerdictServerOptions {
  /** The policy in force for a directory (the workspace folder that contains it; the unmarked policy otherwise). */
  policyFor(cwd: string | undefined): Policy;
  /**
   * Asked for every `confirm` and `block` verdict that an earlier answer does not cover: the extension shows the modal
   * confirmation (or the block notice) and writes the audit log. A `block` is denied whatever this returns.
   * Rejecting, throwing or not settling within the timeout counts as `deny`. `signal` aborts when the asking shell
   * goes away (Ctrl-C) or the timeout expires, so the confirmation can be dismissed.
   */
  decide(request: VerdictRequest, verdict: Verdict, signal: AbortSignal): Promise<HookDecision>;
  /** The parser to use; by default the shared one is loaded at start (until it is ready the engine answers confirm). */
  readonly parser?: BashParser | undefined;
  /** Also listen on this Unix socket (for a per-window socket); removed on close. */
  readonly socketPath?: string | undefined;
  /** Longest wait for `decide`; default: the policy's confirmation timeout plus 15 s. Expiry denies. */
  readonly decideTimeoutMs?: number | undefined;
  /** Longest request body; default 256 KiB. Larger requests are denied with 413. */
  readonly maxBodyBytes?: number | undefined;
  /** Longest time a client may take to send its request; default 10 s. */
  readonly readTimeoutMs?: number | undefined;
  /** Verdicts, hook hellos, tamper reports and rejected requests (401 included), for the log and the audit. */
  readonly onEvent?: ((event: HookEvent) => void) | undefined;
}

export interface VerdictServer {
  readonly port: number;
  readonly socketPath: string | undefined;
  /** Sent by every client in the `X-Guardrails-Secret` header; random per server. */
  readonly secret: string;
  close(): Promise<void>;
}

/** The request header carrying the session secret. */
export const SECRET_HEADER = 'x-guardrails-secret';
/** The one endpoint: POST a JSON request, get a JSON response. */
export const VERDICT_PATH = '/v1/verdict';

const DEFAULT_MAX_BODY = 256 * 1024;
const DEFAULT_READ_TIMEOUT_MS = 10_000;
/** How long a person's approval covers the same commands of the same line (loops, `bash -c`, the PATH guard). */
const APPROVAL_TTL_MS = 10 * 60_000;

/** Starts the server on 127.0.0.1 (random port) and, when asked, on a Unix socket. */
export async function startVerdictServer(options: VerdictServerOptions): Promise<VerdictServer> {
  const secret = randomBytes(32).toString('hex');
  const secretDigest = digest(secret);
  const parser = options.parser ?? (await loadBashParser().catch(() => undefined));
  const approvals = new ApprovalMemory();
  const emit = (event: HookEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing listener must not change the answer.
    }
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void handle(req, res).catch((error: unknown) => {
      reply(res, 500, { decision: 'deny', message: `Agent Guardrails could not check this command (${describe(error)}).` });
    });
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const offered = req.headers[SECRET_HEADER];
    if (typeof offered !== 'string' || !timingSafeEqual(digest(offered), secretDigest)) {
      emit({ kind: 'rejected', status: 401, detail: `${req.method ?? '?'} ${req.url ?? '?'} without the session secret from ${req.socket.remoteAddress ?? 'a Unix socket'}` });
      req.resume();
      reply(res, 401, { decision: 'deny', message: 'Agent Guardrails refused the request: missing or wrong session secret.' });
      return;
    }
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== VERDICT_PATH) {
      emit({ kind: 'rejected', status: 404, detail: `${req.method ?? '?'} ${req.url ?? '?'}` });
      req.resume();
      reply(res, 404, { decision: 'deny', message: 'Agent Guardrails: unknown request.' });
      return;
    }
    const body = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY, options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
    if (!body.ok) {
      emit({ kind: 'rejected', status: body.status, detail: body.message });
      reply(res, body.status, { decision: 'deny', message: body.message });
      return;
    }
    const parsed = parseHookMessage(body.text);
    if (!parsed.ok) {
      emit({ kind: 'rejected', status: 400, detail: parsed.message });
      reply(res, 400, { decision: 'deny', message: parsed.message });
      return;
    }
    const message = parsed.message;
    if (message.kind === 'hello' || message.kind === 'tamper') {
      emit(message);
      reply(res, 200, { decision: 'allow', message: message.kind === 'hello' ? 'guarded' : 'tamper reported' });
      return;
    }
    const request = message.request;
    const policy = options.policyFor(request.cwd);
    const verdict = withGuardReasons(evaluate(request.command, { policy, parser, ...folderContext(request.cwd) }), request.command);
    const settle = (response: VerdictResponse, settlement: Settlement): void => {
      emit({ kind: 'verdict', request, verdict, response, settlement });
      reply(res, 200, response);
    };
    if (verdict.decision === 'allow') {
      settle({ decision: 'allow', message: 'allowed' }, 'engine-allow');
      return;
    }
    if (verdict.decision === 'confirm' && approvals.covers(request, verdict)) {
      settle({ decision: 'allow', message: 'approved earlier for this line' }, 'approved-earlier');
      return;
    }
    const timeoutMs = options.decideTimeoutMs ?? (policy.timeoutSeconds + 15) * 1000;
    let answer: HookDecision | 'timeout' | 'failed';
    const controller = new AbortController();
    const onClose = (): void => controller.abort(new Error('the shell stopped waiting'));
    res.once('close', onClose);
    try {
      answer = await withTimeout(Promise.resolve().then(() => options.decide(request, verdict, controller.signal)), timeoutMs);
    } catch {
      answer = 'failed';
    }
    res.off('close', onClose);
    if (answer === 'timeout') controller.abort(new Error('timeout'));
    if (controller.signal.aborted && answer === 'allow') answer = 'deny';
    const reason = verdict.reasons[0]?.message ?? 'the policy does not allow it';
    if (verdict.decision === 'block') {
      settle({ decision: 'deny', message: oneLine(reason) }, 'blocked');
    } else if (answer === 'allow') {
      approvals.remember(request, verdict);
      settle({ decision: 'allow', message: 'approved' }, 'person');
    } else if (answer === 'timeout') {
      settle({ decision: 'deny', message: 'nobody confirmed it in time' }, 'timeout');
    } else if (answer === 'failed') {
      settle({ decision: 'deny', message: 'the confirmation could not be shown' }, 'decide-failed');
    } else {
      settle({ decision: 'deny', message: `cancelled: ${oneLine(reason)}` }, 'person');
    }
  }

  const tcp = http.createServer(handler);
  hardenServer(tcp, options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => { tcp.off('error', reject); resolve(); });
  });
  const port = (tcp.address() as AddressInfo).port;

  let unix: http.Server | undefined;
  const socketPath = options.socketPath;
  if (socketPath !== undefined) {
    unix = http.createServer(handler);
    hardenServer(unix, options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
    try {
      if (fs.existsSync(socketPath) && fs.statSync(socketPath).isSocket()) fs.unlinkSync(socketPath);
      await new Promise<void>((resolve, reject) => {
        unix!.once('error', reject);
        unix!.listen(socketPath, () => { unix!.off('error', reject); resolve(); });
      });
      fs.chmodSync(socketPath, 0o600);
    } catch (error) {
      tcp.close();
      throw error;
    }
  }

  return {
    port,
    socketPath,
    secret,
    async close(): Promise<void> {
      const closing = [tcp, ...(unix ? [unix] : [])].map((server) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }));
      await Promise.all(closing);
      if (socketPath !== undefined) fs.rmSync(socketPath, { force: true });
    },
  };
}

function hardenServer(server: http.Server, readTimeoutMs: number): void {
  server.headersTimeout = readTimeoutMs;
  server.requestTimeout = 0; // the person may take minutes; the decide timeout bounds the wait instead
  server.maxHeadersCount = 32;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function reply(res: http.ServerResponse, status: number, response: VerdictResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = `${JSON.stringify(response)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

type BodyResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly status: number; readonly message: string };

function readBody(req: http.IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      resolve({ ok: false, status: 413, message: `Agent Guardrails refused the request: larger than ${maxBytes} bytes.` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, status: 408, message: 'Agent Guardrails refused the request: it was not sent in time.' });
      req.destroy();
    }, timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, status: 413, message: `Agent Guardrails refused the request: larger than ${maxBytes} bytes.` });
        req.resume();
        return;
      }
      if (!done) chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, status: 400, message: 'Agent Guardrails refused the request: it broke off.' }));
  });
}

type HookMessage =
  | { readonly kind: 'verdict'; readonly request: VerdictRequest }
  | Extract<HookEvent, { kind: 'hello' | 'tamper' }>;

/** Validates a request body; anything unexpected is a 400 (and a deny). */
export function parseHookMessage(text: string): { readonly ok: true; readonly message: HookMessage } | { readonly ok: false; readonly message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Agent Guardrails refused the request: the body is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'Agent Guardrails refused the request: the body is not a JSON object.' };
  const record = value as Record<string, unknown>;
  const text_ = (key: string, max = 1024): string | undefined => {
    const v = record[key];
    return typeof v === 'string' && v.length <= max ? v : undefined;
  };
  const phase = record['phase'];
  const terminalId = text_('terminalId', 128) ?? '';
  const shell = text_('shell', 64) ?? 'unknown';
  if (phase === 'hello' || phase === 'tamper') {
    return { ok: true, message: { kind: phase, terminalId, shell, pid: text_('pid', 32) ?? '', detail: oneLine(text_('detail', 4096) ?? '') } };
  }
  if (typeof phase !== 'string' || !(HOOK_PHASES as readonly string[]).includes(phase)) {
    return { ok: false, message: `Agent Guardrails refused the request: phase must be one of ${HOOK_PHASES.join('|')}.` };
  }
  const command = record['command'];
  if (typeof command !== 'string') return { ok: false, message: 'Agent Guardrails refused the request: "command" must be a string.' };
  const cwd = text_('cwd', 4096);
  const lineId = text_('lineId', 128);
  return {
    ok: true,
    message: {
      kind: 'verdict',
      request: { command, cwd: cwd === '' ? undefined : cwd, shell, terminalId, phase: phase as HookPhase, lineId: lineId === '' ? undefined : lineId },
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One printable line: the hook prints it as is. */
function oneLine(text: string, max = 400): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Commands that would switch the terminal guard off (DEBUG trap, extdebug/functrace, the prompt bootstrap, BASH_ENV,
 * ZDOTDIR, history the line check reads, the PATH guard, the hook's own functions and variables). The engine knows
 * nothing about the hook, so the server adds this reason itself.
 */
const GUARD_TAMPERING: readonly RegExp[] = [
  /\btrap\b[^\n]*\b(DEBUG|RETURN)\b/,
  /\bshopt\b[^\n]*\bextdebug\b/,
  /\bset\b[^\n]*(\s\+[A-Za-z]*T\b|\+o\s+(functrace|history)\b)/,
  /\bunsetopt\b[^\n]*debug_?before_?cmd/i,
  /__agent_guardrails|AGENT_GUARDRAILS_/,
  /\b(PROMPT_COMMAND|BASH_ENV|ZDOTDIR|precmd_functions|preexec_functions|HISTCONTROL|HISTIGNORE|HISTSIZE)(\[[^\]]*\])?\+?=/,
  /\bunset\b[^\n]*\b(PROMPT_COMMAND|BASH_ENV|ZDOTDIR|PATH|HISTFILE|precmd_functions|preexec_functions)\b/,
  /\b(add-zsh-hook\s+-d|zle\s+-[DNA]\b|unfunction\b|bind\s+-x|enable\s+-n)/,
  /\bPS[124]=[^\n]*(\$\(|`)/,
  /\bPS0\+?=|\bpromptvars\b/,
  /(^|[\s;&|(])(export\s+)?PATH=(?![^\n]*\$\{?PATH\b)/,
];

/** Adds `hook.tamper` when the command would switch the guard off; raises an allow to confirm. */
function withGuardReasons(verdict: Verdict, command: string): Verdict {
  if (!GUARD_TAMPERING.some((pattern) => pattern.test(command))) return verdict;
  const reason: Reason = {
    rule: 'hook.tamper',
    severity: 'high',
    command: oneLine(command, 300),
    message: 'This command changes the terminal guard (its trap, prompt hook, history or PATH); afterwards Agent Guardrails could no longer check what runs in this terminal.',
  };
  const reasons = [...verdict.reasons.filter((r) => r.rule !== 'engine.no-match'), reason]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const decision = verdict.decision === 'block' ? 'block' : 'confirm';
  return { ...verdict, decision, reasons, typedConfirmation: decision === 'confirm' ? verdict.typedConfirmation : undefined };
}

function severityRank(severity: Reason['severity']): number {
  return { critical: 4, high: 3, medium: 2, low: 1, info: 0 }[severity];
}

/**
 * What a person approved, per terminal line: later requests of the same line whose findings were all approved run
 * without asking again (a loop body, `bash -c` the line spelled out, the PATH guard seeing the command the line ran).
 * Simple commands must match rule and command; the PATH guard sees expanded argv, so it must match rule and program.
 */
class ApprovalMemory {
  private readonly byLine = new Map<string, { readonly exact: Set<string>; readonly programs: Set<string>; at: number }>();

  remember(request: VerdictRequest, verdict: Verdict): void {
    if (request.lineId === undefined) return;
    const key = `${request.terminalId}\u0000${request.lineId}`;
    const entry = this.byLine.get(key) ?? { exact: new Set<string>(), programs: new Set<string>(), at: 0 };
    entry.at = Date.now();
    for (const reason of findings(verdict)) {
      entry.exact.add(`${reason.rule}\u0000${reason.command}`);
      entry.programs.add(`${reason.rule}\u0000${firstWord(reason.command)}`);
    }
    this.byLine.set(key, entry);
    this.prune();
  }

  covers(request: VerdictRequest, verdict: Verdict): boolean {
    if (request.lineId === undefined) return false;
    const entry = this.byLine.get(`${request.terminalId}\u0000${request.lineId}`);
    if (!entry || Date.now() - entry.at > APPROVAL_TTL_MS) return false;
    const needed = findings(verdict);
    if (needed.length === 0) return false;
    return needed.every((reason) => request.phase === 'exec'
      ? entry.programs.has(`${reason.rule}\u0000${firstWord(reason.command)}`)
      : entry.exact.has(`${reason.rule}\u0000${reason.command}`));
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.byLine) if (now - entry.at > APPROVAL_TTL_MS) this.byLine.delete(key);
    while (this.byLine.size > 500) {
      const oldest = this.byLine.keys().next().value;
      if (oldest === undefined) break;
      this.byLine.delete(oldest);
    }
  }
}

function findings(verdict: Verdict): readonly Reason[] {
  return verdict.reasons.filter((r) => r.severity !== 'info' && r.severity !== 'low');
}

function firstWord(command: string): string {
  const word = command.trim().split(/\s+/)[0] ?? '';
  return word.slice(word.lastIndexOf('/') + 1).replace(/^'|'$/g, '');
}

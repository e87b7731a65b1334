// Corpus cases where this project deliberately differs from a peer guard's label, each with the reason.
// The corpus itself is never edited (shared/corpus/README.md); these cases are reported, not scored, and the
// corpus test fails if one of them stops differing (so the list cannot go stale).

export interface CorpusException {
  readonly cmd: string;
  /** The decision this project gives instead: `allow`, or `stop` (confirm or block). */
  readonly ours: 'allow' | 'stop';
  readonly reason: string;
}

const BUILD_IS_REGENERABLE = 'The issue lists build/ among regenerable build output that `rm -r` may delete without asking (like node_modules, dist, target).';
const TMPDIR_CONFLICT = 'The peer labels the same deletion under $TMPDIR allow when written `rm -rf "$TMPDIR/…"` and stop when the flags are spelled apart; the flag spelling changes nothing, so we allow both.';
const STRICT_GIT_PACK = 'From the peer\'s optional strict_git pack (not enabled by default there either): a plain push to master is not destructive; forced pushes are.';
const INCOMPLETE_LINE = 'An unterminated quote is an incomplete command (bash waits for more input); the design fails closed on syntax errors: confirm, never allow.';
const RM_R_IS_RECURSIVE = '`rm -r` deletes a whole tree without -f as well (it only prompts for write-protected files); the issue asks for confirmation of any rm -r outside build output.';
const PYC_IS_REGENERABLE = 'Compiled Python files are regenerable build output (like `rm -rf __pycache__`, which both peers allow); deleting them with find below a relative root inside the project is allowed by design (the find root, negations and `-o` are still checked).';
const K8S_PACK_OFF = 'Labelled allow only because the peer disables its Kubernetes pack by default; the incident corpus wants `kubectl delete namespace …` blocked, and this project enables every domain.';

export const CORPUS_EXCEPTIONS: readonly CorpusException[] = [
  { cmd: 'rm -rf ./build', ours: 'allow', reason: BUILD_IS_REGENERABLE },
  { cmd: 'rm -f -r ./build', ours: 'allow', reason: BUILD_IS_REGENERABLE },
  { cmd: 'rm -r -f "$TMPDIR/foo"', ours: 'allow', reason: TMPDIR_CONFLICT },
  { cmd: 'rm --recursive --force "$TMPDIR/foo"', ours: 'allow', reason: TMPDIR_CONFLICT },
  { cmd: 'rm --force --recursive "$TMPDIR/foo"', ours: 'allow', reason: TMPDIR_CONFLICT },
  { cmd: 'rm --force --recursive "${TMPDIR}/foo"', ours: 'allow', reason: TMPDIR_CONFLICT },
  { cmd: 'git push origin master', ours: 'allow', reason: STRICT_GIT_PACK },
  { cmd: 'git push origin HEAD:master', ours: 'allow', reason: STRICT_GIT_PACK },
  { cmd: 'echo yes | rm -rf && echo done', ours: 'allow', reason: '`rm -rf` with no operand deletes nothing (rm reads no file names from stdin).' },
  { cmd: 'git reset\\n--hard', ours: 'allow', reason: 'Unquoted `\\n` is just `n` to bash: this runs `git reset n--hard`, a mixed reset to a ref that does not exist, which changes nothing.' },
  { cmd: 'echo "find . -delete', ours: 'stop', reason: INCOMPLETE_LINE },
  { cmd: 'rg "find . -delete', ours: 'stop', reason: INCOMPLETE_LINE },
  { cmd: 'find . -exec rm -r {} \\;', ours: 'stop', reason: RM_R_IS_RECURSIVE },
  { cmd: 'rm -r /some/path', ours: 'stop', reason: RM_R_IS_RECURSIVE },
  { cmd: 'git push --force-with-lease origin main', ours: 'stop', reason: 'The incident corpus labels this exact command confirm (rewriting the shared default branch, even with a lease); the peer allows it. We follow the incident corpus.' },
  { cmd: "braintree.Customer.find('cust_123')", ours: 'stop', reason: 'Ruby code, not a shell command: bash rejects `name(\'…\')` with a syntax error, and the design fails closed on syntax errors (the peer\'s stop cases of the same shape are stopped for the same reason).' },
  { cmd: 'find . -name "*.pyc" -delete', ours: 'allow', reason: PYC_IS_REGENERABLE },
  { cmd: 'busybox find . -name "*.pyc" -delete', ours: 'allow', reason: PYC_IS_REGENERABLE },
  { cmd: 'kubectl delete namespace prod', ours: 'stop', reason: K8S_PACK_OFF },
  { cmd: 'kubectl delete all --all', ours: 'stop', reason: K8S_PACK_OFF },
];

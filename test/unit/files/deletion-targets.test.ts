// What a command line destroys, read from its analysis: which commands yield targets, which yield none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listDeletionTargets, type DeletionTarget } from '../../../src/files/deletion-targets.js';
import { analyzeCommandLine } from '../../../src/shell/analyze.js';
import { bashParser } from '../helpers/engine.js';

const CWD = '/ws/app';
const HOME = '/home/dev';

async function targets(line: string, options: { cwd: string | undefined } = { cwd: CWD }): Promise<DeletionTarget[]> {
  return listDeletionTargets(analyzeCommandLine(line, await bashParser()), { cwd: options.cwd, home: HOME });
}

/** Short form for the table: `path:/abs` (`glob:` for globs), `unknown:$X`, `find:/root`, `clean:/cwd`, `discard:/cwd@ref`. */
function short(t: DeletionTarget): string {
  switch (t.kind) {
    case 'path': return `${t.isGlob ? 'glob' : t.effect === 'delete' ? 'path' : t.effect}:${t.path}`;
    case 'unknown': return `unknown:${t.text}`;
    case 'find': return `find:${t.roots.join(',')}`;
    case 'git-clean': return `clean:${t.cwd} ${t.args.join(' ')}`;
    case 'git-discard': return `discard:${t.cwd}@${t.against ?? 'index'} ${t.pathspecs.join(' ')}`.trimEnd();
  }
}

describe('listDeletionTargets', () => {
  const rows: [string, string[]][] = [
    ['rm -rf migrations', ['path:/ws/app/migrations']],
    ['rm -rf -- -odd ./b', ['path:/ws/app/-odd', 'path:/ws/app/b']],
    ['rm -f a.txt /tmp/x ~/notes.md', ['path:/ws/app/a.txt', 'path:/tmp/x', 'path:/home/dev/notes.md']],
    ['rmdir empty && unlink link && shred -n 3 -u key.pem', ['path:/ws/app/empty', 'path:/ws/app/link', 'path:/ws/app/key.pem']],
    ['rm -rf migrations/*.sql', ['glob:/ws/app/migrations/*.sql']],
    ['cd db && rm -rf migrations', ['path:/ws/app/db/migrations']],
    ['cd /srv/other; rm x', ['path:/srv/other/x']],
    ['cd; rm notes.md', ['path:/home/dev/notes.md']],
    ['pushd; rm notes.md', ['unknown:notes.md']],
    ['bash -c "cd sub && rm -r data"', ['path:/ws/app/sub/data']],
    ['sudo rm -rf build/cache', ['path:/ws/app/build/cache']],
    ['rm -rf "$TARGET_DIR"', ['unknown:$TARGET_DIR']],
    ['rm -rf $(cat list)', ['unknown:$(cat list)']],
    ['cd "$DIR" && rm -rf data', ['unknown:data']],
    ['ls | xargs rm -f', ['unknown:the arguments xargs supplies']],
    ['find . -name "*.pyc" -delete', ['find:/ws/app']],
    ['find src tests -type f -exec rm -f {} +', ['find:/ws/app/src,/ws/app/tests']],
    ['find "$D" -delete', ['unknown:$D']],
    ['git clean -fdx', ['clean:/ws/app -fdx']],
    ['git -C ../lib clean -f -d', ['clean:/ws/lib -f -d']],
    ['git checkout -- src/a.ts src/b.ts', ['discard:/ws/app@index src/a.ts src/b.ts']],
    ['git checkout main -- src', ['discard:/ws/app@main src']],
    ['git checkout .', ['discard:/ws/app@index .']],
    ['git checkout -f', ['discard:/ws/app@HEAD']],
    ['git restore src/a.ts', ['discard:/ws/app@index src/a.ts']],
    ['git restore --source=HEAD~2 --staged --worktree .', ['discard:/ws/app@HEAD~2 .']],
    ['git reset --hard', ['discard:/ws/app@HEAD']],
    ['git reset --hard origin/main', ['discard:/ws/app@origin/main']],
    ['echo "" > config.json', ['truncate:/ws/app/config.json']],
    ['cat a >| b', ['truncate:/ws/app/b']],
    ['mv new.sql migrations/001.sql', ['overwrite:/ws/app/migrations/001.sql', 'overwrite:/ws/app/migrations/001.sql/new.sql']],
    ['cp -r template/* -t out', ['glob:/ws/app/out/*']],
  ];
  for (const [line, expected] of rows) {
    it(`${line} → ${expected.join(' ')}`, async () => assert.deepEqual((await targets(line)).map(short), expected));
  }

  const none = [
    'ls -la', 'echo "rm -rf migrations"', 'cat file 2>&1 >> log.txt', 'echo x >> log.txt',
    'git clean -n -d', 'git clean -fdn', 'git clean --dry-run -f', 'git status', 'git checkout main', 'git checkout -b feature',
    'git restore --staged src/a.ts', 'git reset --soft HEAD~1', 'git reset HEAD~1', 'find . -name "*.pyc"', 'find . -exec grep x {} +',
    'mv -n a b', 'cp --no-clobber a b', 'mv onlyone', 'ssh host "rm -rf /srv/data"', 'cd build', 'rm',
  ];
  for (const line of none) {
    it(`${line} → nothing`, async () => assert.deepEqual((await targets(line)).map(short), []));
  }

  it('relative targets without a known cwd are unknown, absolute ones are kept', async () => {
    assert.deepEqual((await targets('rm -rf data /ws/app/x', { cwd: undefined })).map(short), ['unknown:data', 'path:/ws/app/x']);
    assert.deepEqual((await targets('git clean -fd', { cwd: undefined })).map(short), ['unknown:the untracked files git clean finds']);
  });

  it('the command each target comes from is kept for messages', async () => {
    const [t] = await targets('true && rm -rf migrations');
    assert.equal(t?.command, 'rm -rf migrations');
  });
});

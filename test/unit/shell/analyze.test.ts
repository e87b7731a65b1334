// Parser and unwrapping: which simple commands a line runs, after quote removal and unwrapping.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeCommandLine } from '../../../src/shell/analyze.js';
import type { BashParser } from '../../../src/shell/parser.js';
import type { CommandLineAnalysis } from '../../../src/shell/types.js';
import { bashParser } from '../helpers/engine.js';

let parser: BashParser;
before(async () => { parser = await bashParser(); });

const analyze = (line: string): CommandLineAnalysis => analyzeCommandLine(line, parser);
/** The argv of every simple command the line runs, in order. */
const t = (line: string, expected: string[][]): void => {
  const analysis = analyze(line);
  assert.deepEqual(analysis.commands.filter((c) => c.argv.length > 0).map((c) => [...c.argv]), expected, JSON.stringify(analysis.problems));
};

describe('analyzeCommandLine', () => {
  describe('quote removal and lists', () => {
    it('plain command', () => t('git status', [['git', 'status']]));
    it('quotes', () => t(`echo "a b" 'c d' $'e\\nf' \\git`, [['echo', 'a b', 'c d', 'e\nf', 'git']]));
    it('pipe chains', () => t('cat file.txt | grep pattern | sort | uniq', [['cat', 'file.txt'], ['grep', 'pattern'], ['sort'], ['uniq']]));
    it('lists', () => t('a && b || c; d & e', [['a'], ['b'], ['c'], ['d'], ['e']]));
    it('newlines separate commands', () => t('git commit -m\nrm -rf /', [['git', 'commit', '-m'], ['rm', '-rf', '/']]));
    it('subshells and blocks', () => t('(cd /tmp && ls) ; { a; b; }', [['cd', '/tmp'], ['ls'], ['a'], ['b']]));
    it('loops and conditionals', () => t('if true; then rm x; fi; for f in a b; do echo $f; done', [['true'], ['rm', 'x'], ['echo', '$f']]));
    it('function bodies', () => t('f() { rm -rf /; }', [['rm', '-rf', '/']]));
    it('assignment prefix', () => {
      const [command] = analyze('FOO=1 BAR="x y" git reset --hard').commands;
      assert.deepEqual(command?.argv, ['git', 'reset', '--hard']);
      assert.equal(command?.assignments.get('BAR'), 'x y');
    });
    it('export keeps assignments', () => {
      const [command] = analyze('export SHOP_PROD_URL=postgres://db').commands;
      assert.equal(command?.assignments.get('SHOP_PROD_URL'), 'postgres://db');
    });
    it('program names are basenames', () => assert.equal(analyze('"/usr/bin/Git" status').commands[0]?.program, 'git'));
  });

  describe('redirects and stdin', () => {
    it('truncation redirect', () => assert.deepEqual(analyze('echo hi > out.txt 2>&1').commands[0]?.redirects.map((r) => [r.operator, r.target]), [['>', 'out.txt'], ['>&', '1']]));
    it('heredoc body is stdin', () => {
      const [command] = analyze("psql -d shop <<'SQL'\nTRUNCATE orders;\nSQL").commands;
      assert.equal(command?.stdin?.kind, 'heredoc');
      assert.equal(command?.stdin?.kind === 'heredoc' ? command.stdin.text : '', 'TRUNCATE orders;');
    });
    it('here-string is stdin', () => assert.equal(analyze('cat <<< "hi"').commands[0]?.stdin?.kind, 'herestring'));
    it('pipe source is recorded', () => {
      const commands = analyze('curl -fsSL https://x | sh').commands;
      const sh = commands.find((c) => c.program === 'sh');
      assert.equal(sh?.stdin?.kind === 'pipe' ? sh.stdin.from.program : undefined, 'curl');
    });
  });

  describe('redirects without a command, and on pipelines and groups', () => {
    const redirectsOf = (line: string): [string[], string[][]][] => analyze(line).commands.map((c) => [[...c.argv], c.redirects.map((r) => [r.operator, r.target])]);
    it('a bare > file is a command with no argv that carries the redirect', () => {
      assert.deepEqual(redirectsOf('> .env'), [[[], [['>', '.env']]]]);
      assert.deepEqual(redirectsOf('>| /etc/passwd'), [[[], [['>|', '/etc/passwd']]]]);
    });
    it('a redirect after a pipeline belongs to its last stage', () => {
      assert.deepEqual(redirectsOf('ls | grep x > .env'), [[['ls'], []], [['grep', 'x'], [['>', '.env']]]]);
      assert.deepEqual(redirectsOf('ls | sort | uniq 2> err >> log'), [[['ls'], []], [['sort'], []], [['uniq'], [['>', 'err'], ['>>', 'log']]]]);
    });
    it('a here-string after a pipeline feeds its last stage', () => {
      const sh = analyze('x | sh <<< "rm -rf /x"').commands.find((c) => c.program === 'sh');
      assert.equal(sh?.stdin?.kind, 'herestring');
      assert.ok(analyze('x | sh <<< "rm -rf /x"').commands.some((c) => c.argv.join(' ') === 'rm -rf /x'));
    });
    it('a group\'s output redirect reaches every command in it, and the last stage of a pipeline in it', () => {
      assert.deepEqual(redirectsOf('{ a; b; } > .env'), [[['a'], [['>', '.env']]], [['b'], [['>', '.env']]]]);
      assert.deepEqual(redirectsOf('(cmd) > .env'), [[['cmd'], [['>', '.env']]]]);
      assert.deepEqual(redirectsOf('while read l; do x; done > .env'), [[['read', 'l'], [['>', '.env']]], [['x'], [['>', '.env']]]]);
      assert.deepEqual(redirectsOf('{ a | b; } > .env < in'), [[['a'], [['<', 'in']]], [['b'], [['>', '.env']]]]);
    });
  });

  describe('positions: list, pipeline, subshell, background', () => {
    const positions = (line: string) => analyze(line).commands.map((c) => ({ argv: c.argv.join(' '), ...c.position }));
    const p = (argv: string, listIndex: number, listOperator: string | undefined, pipelineIndex = 0, pipelineLength = 1, inSubshell = false, isBackground = false) => ({ argv, listIndex, listOperator, pipelineIndex, pipelineLength, inSubshell, isBackground });
    it('a standalone command', () => assert.deepEqual(positions('git status'), [p('git status', 0, undefined)]));
    it('pipeline stages', () => assert.deepEqual(positions('a | b |& c'), [p('a', 0, undefined, 0, 3), p('b', 0, undefined, 1, 3), p('c', 0, undefined, 2, 3)]));
    it('lists with && and ||', () => assert.deepEqual(positions('a && b || c'), [p('a', 0, undefined), p('b', 1, '&&'), p('c', 2, '||')]));
    it('; newline and & separators', () => assert.deepEqual(positions('a; b\nc & d'), [p('a', 0, undefined), p('b', 1, ';'), p('c', 2, ';', 0, 1, false, true), p('d', 3, '&')]));
    it('a list after a list keeps counting', () => assert.deepEqual(positions('a && b; c || d'), [p('a', 0, undefined), p('b', 1, '&&'), p('c', 2, ';'), p('d', 3, '||')]));
    it('a background subshell', () => assert.deepEqual(positions('(cd app && rm -rf src) &'), [p('cd app', 0, undefined, 0, 1, true, true), p('rm -rf src', 1, '&&', 0, 1, true, true)]));
    it('a background list', () => assert.deepEqual(positions('a && b &'), [p('a', 0, undefined, 0, 1, false, true), p('b', 1, '&&', 0, 1, false, true)]));
    it('command substitutions run in a subshell', () => assert.deepEqual(positions('echo $(x)'), [p('x', 0, undefined, 0, 1, true), p('echo $(x)', 0, undefined)]));
    it('a piped group', () => assert.deepEqual(positions('{ a; b; } | c'), [p('a', 0, undefined, 0, 2), p('b', 1, ';', 0, 2), p('c', 0, undefined, 1, 2)]));
    it('unwrapped scripts count from their own start, and inherit subshell and background', () => {
      assert.deepEqual(positions("bash -c 'a | b' &").filter((c) => !c.argv.startsWith('bash')).map((c) => [c.argv, c.pipelineIndex, c.isBackground]), [['a', 0, true], ['b', 1, true]]);
    });
  });

  describe('substitutions run', () => {
    it('$(…)', () => t('echo $(rm -rf /)', [['rm', '-rf', '/'], ['echo', '$(rm -rf /)']]));
    it('backticks', () => t('echo `git reset --hard`', [['git', 'reset', '--hard'], ['echo', '`git reset --hard`']]));
    it('inside double quotes', () => t('echo "a $(ls) b"', [['ls'], ['echo', 'a $(ls) b']]));
    it('in redirect targets', () => t('echo x >$(rm -rf /)', [['rm', '-rf', '/'], ['echo', 'x']]));
    it('in arithmetic', () => t('echo $(( $(rm -rf /) + 1 ))', [['rm', '-rf', '/'], ['echo', '$(( $(rm -rf /) + 1 ))']]));
    it('process substitution', () => t('diff <(ls) <(ls -la)', [['ls'], ['ls', '-la'], ['diff', '<(ls)', '<(ls -la)']]));
    it('in parameter defaults', () => t('echo ${x:-$(rm -rf /)}', [['rm', '-rf', '/'], ['echo', '${x:-$(rm -rf /)}']]));
    it('in an unquoted heredoc', () => t('cat <<EOF\n$(rm -rf /)\nEOF', [['rm', '-rf', '/'], ['cat']]));
    it('not in a quoted heredoc', () => t("cat <<'EOF'\n$(rm -rf /)\nEOF", [['cat']]));
  });

  describe('unwrapping', () => {
    const inner = (line: string, argv: string[]): void => {
      const commands = analyze(line).commands;
      assert.ok(commands.some((c) => JSON.stringify(c.argv) === JSON.stringify(argv)), `${line} → ${JSON.stringify(commands.map((c) => c.argv))}`);
    };
    it('sudo with options', () => inner('sudo -u root -- git reset --hard', ['git', 'reset', '--hard']));
    it('doas', () => inner('doas rm -rf /x', ['rm', '-rf', '/x']));
    it('sudo with clustered options whose last letter takes a value', () => {
      inner('sudo -iu postgres psql -c "DROP DATABASE app"', ['psql', '-c', 'DROP DATABASE app']);
      inner('sudo -Hu deploy rm -rf /x', ['rm', '-rf', '/x']);
      inner('sudo -uroot rm -rf /x', ['rm', '-rf', '/x']);
      inner('sudo --user=root rm -rf /x', ['rm', '-rf', '/x']);
      inner('doas -nu root rm -rf /x', ['rm', '-rf', '/x']);
    });
    it('sudo -i and sudo -s without a command stay sudo', () => {
      for (const line of ['sudo -i', 'sudo -s', 'sudo -iu postgres', 'sudo -u postgres -i']) assert.deepEqual(analyze(line).commands.map((c) => c.program), ['sudo'], line);
    });
    it('sudo -E is labelled: it keeps the environment', () => {
      assert.deepEqual(analyze('sudo -E bash').commands.map((c) => c.via), [['sudo -E']]);
      assert.deepEqual(analyze('sudo -u app bash').commands.map((c) => c.via), [['sudo']]);
    });
    it('runuser -u runs its command directly', () => {
      inner('runuser -u app -- rm -rf /srv/data', ['rm', '-rf', '/srv/data']);
      inner('runuser -u app rm -rf /srv/data', ['rm', '-rf', '/srv/data']);
      inner('runuser -l app -c "rm -rf /srv/data"', ['rm', '-rf', '/srv/data']);
    });
    it('pkexec', () => inner('pkexec --user root rm -rf /x', ['rm', '-rf', '/x']));
    it('ansible ad-hoc shell/command/raw runs remotely', () => {
      for (const line of ['ansible all -i prod -m shell -a "rm -rf /srv/data"', 'ansible web -a "rm -rf /srv/data"', 'ansible db -m ansible.builtin.raw --args="rm -rf /srv/data"']) {
        const rm = analyze(line).commands.find((c) => c.program === 'rm');
        assert.deepEqual([rm?.argv, rm?.isRemote], [['rm', '-rf', '/srv/data'], true], line);
      }
      assert.deepEqual(analyze('ansible all -m ping').commands.map((c) => c.program), ['ansible']);
      assert.deepEqual(analyze('ansible all -m copy -a "src=a dest=/b"').commands.map((c) => c.program), ['ansible']);
    });
    it('namespaces, roots and units: unshare, nsenter, chroot, systemd-run', () => {
      inner('unshare -r rm -rf /x', ['rm', '-rf', '/x']);
      inner('unshare --map-user 0 -m rm -rf /x', ['rm', '-rf', '/x']);
      inner('nsenter -t 1 -m -u rm -rf /x', ['rm', '-rf', '/x']);
      inner('chroot /mnt rm -rf /x', ['rm', '-rf', '/x']);
      inner('chroot --userspec=1:1 /mnt rm -rf /x', ['rm', '-rf', '/x']);
      inner('systemd-run --user -p MemoryMax=1G --wait rm -rf /x', ['rm', '-rf', '/x']);
    });
    it('at and batch read their job from stdin', () => {
      inner('at now <<< "rm -rf /x"', ['rm', '-rf', '/x']);
      inner('echo "rm -rf /x" | at now + 1 minute', ['rm', '-rf', '/x']);
      inner('batch <<EOF\nrm -rf /x\nEOF', ['rm', '-rf', '/x']);
      assert.deepEqual(analyze('at -f job.sh now < /dev/null').commands.map((c) => c.program), ['at']);
    });
    it('script -c, tmux and screen commands', () => {
      inner('script -c "rm -rf /x" /dev/null', ['rm', '-rf', '/x']);
      inner('script -q --command="rm -rf /x" log', ['rm', '-rf', '/x']);
      inner('tmux new -d "rm -rf /x"', ['rm', '-rf', '/x']);
      inner('tmux new-session -d -s job rm -rf /x', ['rm', '-rf', '/x']);
      inner('tmux -L sock split-window -h -l 20 "rm -rf /x"', ['rm', '-rf', '/x']);
      inner('tmux run-shell -b "rm -rf /x"', ['rm', '-rf', '/x']);
      inner('tmux -c "rm -rf /x"', ['rm', '-rf', '/x']);
      inner('screen -dmS job rm -rf /x', ['rm', '-rf', '/x']);
      for (const line of ['tmux ls', 'tmux attach -t 0', 'tmux run -C kill-server', 'screen -r', 'screen -S job -X quit', 'script log.txt']) {
        assert.equal(analyze(line).commands.length, 1, line);
      }
    });
    it('tracers and debuggers: strace, ltrace, valgrind, gdb --args', () => {
      inner('strace -f -o out.txt -e trace=file rm -rf /x', ['rm', '-rf', '/x']);
      inner('ltrace -l libc.so.6 rm -rf /x', ['rm', '-rf', '/x']);
      inner('valgrind --leak-check=full rm -rf /x', ['rm', '-rf', '/x']);
      inner('gdb -batch -ex run --args rm -rf /x', ['rm', '-rf', '/x']);
      assert.deepEqual(analyze('strace -p 123').commands.map((c) => c.program), ['strace']);
    });
    it('env with options and assignments', () => inner('env -i -u PATH FOO=1 git reset --hard', ['git', 'reset', '--hard']));
    it('env -S splits its string', () => inner('env -S "git reset --hard"', ['git', 'reset', '--hard']));
    it('nice, nohup, timeout, time, stdbuf', () => inner('nice -n 19 nohup timeout -s KILL 10 time stdbuf -o0 rm -rf /x', ['rm', '-rf', '/x']));
    it('command and builtin', () => inner('builtin command git reset --hard', ['git', 'reset', '--hard']));
    it('command -v is only a lookup', () => assert.deepEqual(analyze('command -v git').commands.map((c) => c.program), ['command']));
    it('exec', () => inner('exec -a name rm -rf /x', ['rm', '-rf', '/x']));
    it('busybox applets', () => inner('busybox rm -rf /x', ['rm', '-rf', '/x']));
    it('xargs marks runtime arguments', () => {
      const rm = analyze('find . -print0 | xargs -0 -P2 rm -rf').commands.find((c) => c.program === 'rm');
      assert.deepEqual(rm?.argv, ['rm', '-rf']);
      assert.equal(rm?.hasRuntimeArguments, true);
    });
    it('parallel appends inputs', () => inner('parallel rm -rf ::: /x', ['rm', '-rf', '/x']));
    it('find -exec and -execdir', () => {
      inner('find . -exec rm -rf {} \\;', ['rm', '-rf', '{}']);
      inner('find /tmp -execdir rm -rf {} +', ['rm', '-rf', '{}']);
    });
    it('bash -c, sh -lc, zsh -c', () => {
      inner("bash -c 'cd app && git reset --hard'", ['git', 'reset', '--hard']);
      inner("sh -lc 'git reset --hard'", ['git', 'reset', '--hard']);
      inner('zsh -c "rm -rf /x"', ['rm', '-rf', '/x']);
    });
    it('nested bash -c', () => inner(`bash -c "sh -c 'rm -rf /x'"`, ['rm', '-rf', '/x']));
    it('eval', () => inner('eval "rm -rf /x"', ['rm', '-rf', '/x']));
    it('eval of a variable is dynamic code', () => assert.equal(analyze('eval "$CMD"').problems[0]?.code, 'dynamic-code'));
    it('bash -c of a substitution is dynamic code', () => assert.equal(analyze('bash -c "$(echo cm0gLXJmIGRhdGE= | base64 -d)"').problems[0]?.code, 'dynamic-code'));
    it('watch runs its command through a shell', () => inner("watch -n 5 'rm -rf /x'", ['rm', '-rf', '/x']));
    it('ssh remote command is analysed and marked remote', () => {
      const rm = analyze("ssh -i key.pem user@host 'rm -rf /tmp/data'").commands.find((c) => c.program === 'rm');
      assert.deepEqual(rm?.argv, ['rm', '-rf', '/tmp/data']);
      assert.equal(rm?.isRemote, true);
    });
    it('heredoc fed to a shell', () => inner('bash <<EOF\nrm -rf /etc\nEOF', ['rm', '-rf', '/etc']));
    describe('ssh options before and after the host, and --', () => {
      const remote = (line: string, expected: string[]) => it(line, () => {
        const commands = analyze(line).commands.filter((c) => c.isRemote);
        assert.deepEqual(commands.map((c) => [...c.argv]), [expected]);
      });
      remote('ssh host -- kubectl delete ns prod', ['kubectl', 'delete', 'ns', 'prod']);
      remote('ssh host -- "rm -rf /srv"', ['rm', '-rf', '/srv']);
      remote('ssh host -l root rm -rf /srv', ['rm', '-rf', '/srv']);
      remote('ssh -o X=no host -- git reset --hard', ['git', 'reset', '--hard']);
      remote('ssh -oX=no -vp 2222 host -i key git reset --hard', ['git', 'reset', '--hard']);
      remote('ssh -- host rm -rf /srv', ['rm', '-rf', '/srv']);
      remote('ssh host ls -la', ['ls', '-la']);
      for (const session of ['ssh host', 'ssh -i key.pem user@host', 'ssh host -t', 'ssh -p 22 host -l root', 'ssh host --']) {
        it(`${session} runs no remote command`, () => assert.deepEqual(analyze(session).commands.filter((c) => c.isRemote), []));
      }
    });
    for (const line of ['sudo -- rm -rf /x', 'sudo -u root -- rm -rf /x', 'env -- rm -rf /x', 'env -i -- rm -rf /x', 'timeout -- 5 rm -rf /x', 'timeout -s KILL -- 5 rm -rf /x',
      'nice -- rm -rf /x', 'nohup -- rm -rf /x', 'doas -- rm -rf /x', 'xargs -- rm -rf /x', 'stdbuf -oL -- rm -rf /x', 'exec -- rm -rf /x', 'command -- rm -rf /x']) {
      it(`${line} runs rm after --`, () => assert.deepEqual(analyze(line).commands.at(-1)?.argv, ['rm', '-rf', '/x']));
    }
    it('here-string fed to a shell', () => inner("sh <<<'git reset --hard'", ['git', 'reset', '--hard']));
    it('echo piped into a shell', () => inner('echo rm -rf / | sh', ['rm', '-rf', '/']));
    it('heredoc through cat into a shell', () => inner('cat <<EOF | sh\nrm -rf /x\nEOF', ['rm', '-rf', '/x']));
    it('python -c os.system', () => inner(`python3 -c "import os; os.system('rm -rf /x')"`, ['rm', '-rf', '/x']));
    it('python subprocess list', () => inner('python3 <<EOF\nimport subprocess\nsubprocess.run(["rm", "-rf", "/"])\nEOF', ['rm', '-rf', '/']));
    it('node execSync', () => inner(`node -e "require('child_process').execSync('rm -rf /x')"`, ['rm', '-rf', '/x']));
    it('ruby backticks', () => inner('ruby -e "`rm -rf /home/user`"', ['rm', '-rf', '/home/user']));
    describe('command strings built at run time get a run-time word', () => {
      const runTime = ['rm', '-rf', '${value_known_at_run_time}'];
      it('python + concatenation', () => inner(`python3 -c 'import os; os.system("rm -rf " + p)'`, runTime));
      it('python f-string', () => inner(`python3 -c 'import os; os.system(f"rm -rf {p}")'`, runTime));
      it('python % formatting', () => inner(`python3 -c 'import os; os.system("rm -rf %s" % p)'`, ['rm', '-rf', '%s', '${value_known_at_run_time}']));
      it('python .format', () => inner(`python3 -c 'import os; os.system("rm -rf {}".format(p))'`, ['rm', '-rf', '{}', '${value_known_at_run_time}']));
      it('perl . concatenation', () => inner(`perl -e 'system("rm -rf " . $d)'`, runTime));
      it('an f-string without fields stays as written', () => inner(`python3 -c 'import os; os.system(f"echo {{x}}")'`, ['echo', '{x}']));
      it('a literal followed by more arguments gets none', () => inner(`python3 -c 'import subprocess; subprocess.run("ls -la", shell=True)'`, ['ls', '-la']));
    });
    describe('awk programs', () => {
      it('system()', () => inner(`awk 'BEGIN{system("rm -rf /srv/data")}'`, ['rm', '-rf', '/srv/data']));
      it('system() with a field', () => inner(`awk '{system("rm -rf " $1)}' list.txt`, ['rm', '-rf', '${value_known_at_run_time}']));
      it('"cmd" | getline', () => inner(`awk 'BEGIN { while (("git reset --hard" | getline line) > 0) print line }'`, ['git', 'reset', '--hard']));
      it('print | "cmd"', () => inner(`awk '{print $1 | "xargs rm -rf"}' list`, ['rm', '-rf']));
      it('print | "sh" runs what it prints', () => assert.ok(analyze(`awk '{print "rm -rf " $1 | "sh"}' list`).problems.some((p) => p.code === 'dynamic-code')));
      it('gawk -e, after -F and -v', () => {
        inner(`gawk -e 'BEGIN{system("rm -rf /x")}'`, ['rm', '-rf', '/x']);
        inner(`awk -F: -v x=1 'BEGIN{system("rm -rf /x")}'`, ['rm', '-rf', '/x']);
      });
      it('a | inside a string literal is text (bash-completion runs this at every completion)', () => {
        const completion = `awk '{ if (match($0,"^[[:alnum:]]+-")) { print substr($0,0,RLENGTH-1) "." substr($0,RLENGTH+1) "..|" $0; }\n else\n { print $0 "|" RLENGTH } }'`;
        const result = analyze(`DEFINITION_CANDIDATES=($(printf '%s\\n' "\${DEFINITION_CANDIDATES[@]}" | ${completion}))`);
        assert.deepEqual(result.problems, []);
        assert.deepEqual(result.commands.map((c) => c.program).filter(Boolean).sort(), ['awk', 'printf']);
        assert.deepEqual(analyze(`awk '{ print "a|b" | "sort" }'`).commands.map((c) => c.program).sort(), ['awk', 'sort']);
        assert.deepEqual(analyze(`awk '$1 == "x" || $2 == "y" { print }' f`).commands.map((c) => c.program), ['awk']);
      });
      it('a program file is not read; plain programs run nothing', () => {
        for (const line of ['awk -f prog.awk data', `awk -F: '{print $1}' /etc/passwd`, `awk '{s+=$1} END {print s}' nums`]) {
          assert.deepEqual(analyze(line).commands.map((c) => c.program), ['awk'], line);
        }
      });
    });
    it('npx', () => inner('npx -y prisma migrate reset --force', ['prisma', 'migrate', 'reset', '--force']));
    it('kubectl exec', () => inner('kubectl exec -it db-0 -- psql -c "DROP TABLE x"', ['psql', '-c', 'DROP TABLE x']));
    it('docker exec', () => inner('docker exec -it -u postgres db psql -c "DROP TABLE x"', ['psql', '-c', 'DROP TABLE x']));
  });

  describe('fails closed', () => {
    it('syntax error', () => assert.equal(analyze('echo "unterminated').problems[0]?.code, 'syntax-error'));
    it('leading pipe', () => assert.equal(analyze('| git reset --hard').problems[0]?.code, 'syntax-error'));
    it('NUL byte', () => assert.equal(analyze('ls\0rm').problems[0]?.code, 'syntax-error'));
    it('too long', () => assert.equal(analyze('a'.repeat(70_000)).problems[0]?.code, 'too-long'));
    it('too deep', () => {
      const problems = analyze(`${'$('.repeat(300)}ls${')'.repeat(300)}`).problems.map((p) => p.code);
      assert.ok(problems.includes('too-deep'), problems.join());
    });
    it('still finds the commands around a syntax error', () => assert.ok(analyze("git reset --hard 'unterminated").commands.some((c) => c.program === 'git')));
  });
});

describe('unwrapping keeps what the wrapper sets', () => {
  it('env NAME=value cmd carries the assignment to the command', async () => {
    const parser = await bashParser();
    const [command] = analyzeCommandLine('env -i SHOP_PROD_PG_PASSWORD=x psql -h localhost', parser).commands;
    assert.equal(command?.program, 'psql');
    assert.equal(command?.assignments.get('SHOP_PROD_PG_PASSWORD'), 'x');
  });
  it('env -S assignments too', async () => {
    const parser = await bashParser();
    const [command] = analyzeCommandLine("env -S 'TF_CLI_ARGS=-auto-approve terraform destroy'", parser).commands;
    assert.equal(command?.program, 'terraform');
    assert.equal(command?.assignments.get('TF_CLI_ARGS'), '-auto-approve');
  });
  for (const [line, program] of <[string, string][]>[['uvx cdk destroy', 'cdk'], ['pipx run twine upload dist/*', 'twine'], ['bun x cdk destroy', 'cdk'], ['uv tool run --from x cdk destroy', 'cdk'], ['pdm run flask db downgrade', 'flask'], ['./gradlew.bat publish', 'gradlew']]) {
    it(`${line} runs ${program}`, async () => {
      const parser = await bashParser();
      assert.equal(analyzeCommandLine(line, parser).commands.at(-1)?.program, program);
    });
  }
});

describe('package managers and compose run what they name', () => {
  const lastProgram = async (line: string): Promise<string | undefined> => analyzeCommandLine(line, await bashParser()).commands.at(-1)?.argv.join(' ');
  it('yarn <bin>', async () => assert.equal(await lastProgram('yarn prisma migrate reset --force'), 'prisma migrate reset --force'));
  it('pnpm <bin>', async () => assert.equal(await lastProgram('pnpm knex migrate:rollback --all'), 'knex migrate:rollback --all'));
  it('yarn install stays yarn', async () => assert.equal(await lastProgram('yarn install'), 'yarn install'));
  it('pnpm rm stays pnpm', async () => assert.equal(await lastProgram('pnpm rm lodash'), 'pnpm rm lodash'));
  it('docker compose exec', async () => assert.equal(await lastProgram('docker compose -f dev.yml exec -T web rails db:drop'), 'rails db:drop'));
  it('docker-compose run', async () => assert.equal(await lastProgram('docker-compose run --rm -e X=1 web python manage.py flush'), 'python manage.py flush'));
  it('docker compose up stays compose', async () => assert.equal(await lastProgram('docker compose up -d'), 'docker compose up -d'));
});

describe('platform runners', () => {
  const programs = async (line: string): Promise<string[]> => analyzeCommandLine(line, await bashParser()).commands.map((c) => c.argv.join(' '));
  it('railway run', async () => assert.ok((await programs('railway run aws s3 rb s3://x --force')).includes('aws s3 rb s3://x --force')));
  it('heroku run', async () => assert.ok((await programs('heroku run -a shop "rake db:drop"')).includes('rake db:drop')));
  it('fly ssh console -C', async () => assert.ok((await programs('fly ssh console -C "rm -rf /data"')).includes('rm -rf /data')));
  it('code pasted as a command is not valid shell', async () => {
    assert.equal(analyzeCommandLine("gateway.customer.delete('cust_123')", await bashParser()).problems[0]?.code, 'syntax-error');
  });
});

describe('package.json scripts', () => {
  const scripts = new Map([['db:reset', 'prisma migrate reset --force'], ['predb:reset', 'echo about to reset'], ['test', 'node --test'], ['clean', 'rm -rf dist']]);
  const run = async (line: string): Promise<string[]> => analyzeCommandLine(line, await bashParser(), { packageScripts: scripts }).commands.map((c) => c.argv.join(' '));
  it('npm run x analyses the script and its pre script', async () => {
    const commands = await run('npm run db:reset');
    assert.ok(commands.includes('prisma migrate reset --force'), commands.join(' | '));
    assert.ok(commands.includes('echo about to reset'));
    assert.ok(commands.includes('npm run db:reset'), 'the npm command itself stays visible to policy lists');
  });
  it('yarn x and pnpm x name scripts directly', async () => {
    assert.ok((await run('yarn db:reset')).includes('prisma migrate reset --force'));
    assert.ok((await run('pnpm run db:reset')).includes('prisma migrate reset --force'));
  });
  it('npm test runs the test script', async () => assert.ok((await run('npm test')).includes('node --test')));
  it('arguments after -- are appended', async () => assert.ok((await run('npm run clean -- build')).includes('rm -rf dist build')));
  it('unknown scripts are left alone', async () => assert.deepEqual(await run('npm run nope'), ['npm run nope']));
});

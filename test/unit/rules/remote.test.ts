// remote rule pack: scp onto system folders, rsync deleting at the destination.
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('remote', {
  valid: [
    'scp file.txt user@host:/home/user/', 'scp --help', 'scp user@host:/etc/hosts ./hosts', 'rsync -avz src/ dest/', 'rsync --delete --dry-run src/ dest/',
    'rsync -n -a --delete /src/ /dest/', 'rsync --list-only src/ dest/', 'echo "rsync --delete a b"',
    'ssh host', 'ssh host -l root', 'ssh -o X=no host -- uptime', 'ssh host -- ls -la /srv', 'ssh -p 2222 host -i key.pem tail -n 5 /var/log/syslog',
  ],
  invalid: [
    { cmd: 'scp config.conf user@host:/etc/', rule: 'remote.scp-system-path' },
    { cmd: 'scp -r ./data user@host:/', rule: 'remote.scp-system-path' },
    { cmd: 'sudo scp -i key vmlinuz user@host:/boot/', rule: 'remote.scp-system-path' },
    { cmd: 'rsync -av --delete /data/ /mnt/backup/', rule: 'remote.rsync-delete' },
    { cmd: 'rsync --del src/ dest/', rule: 'remote.rsync-delete' },
    { cmd: 'rsync -a --remove-source-files /src/ user@host:/dest/', rule: 'remote.rsync-delete' },
    { cmd: "bash -c 'rsync -a --delete-after /src/ /dest/'", rule: 'remote.rsync-delete' },
    // ssh takes options after the host too, and `--` ends them: the rest is the remote command.
    { cmd: 'ssh host -- kubectl delete ns prod', rule: 'k8s.delete-namespace' },
    { cmd: 'ssh host -- "rm -rf /srv"', rule: 'fs.rm-recursive', decision: 'block' },
    { cmd: 'ssh host -l root rm -rf /srv', rule: 'fs.rm-recursive', decision: 'block' },
    { cmd: 'ssh -o X=no host -- git reset --hard', rule: 'git.reset-hard' },
  ],
});

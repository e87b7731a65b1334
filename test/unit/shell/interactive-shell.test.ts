// startsInteractiveShell: which argv reads commands from the terminal (shared by the rule and the process monitor).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellName, startsInteractiveShell, zshSkipsStartupFiles } from '../../../src/shell/interactive-shell.js';

const t = (argv: string, expected: boolean): void => assert.equal(startsInteractiveShell(argv.split(' ')), expected, argv);

describe('startsInteractiveShell', () => {
  it('interactive shells', () => {
    for (const argv of ['bash', '-bash', '/usr/bin/bash --norc --noprofile', 'bash -i', 'bash -l', 'bash -v', 'bash -s', 'bash --rcfile x.rc', 'bash -o vi',
      'zsh', 'zsh -f', 'sh', 'dash -i', 'ksh', 'csh', 'tcsh -f', 'fish', 'fish -C init', 'pwsh -NoProfile', 'pwsh -ExecutionPolicy Bypass',
      'pwsh -NoExit -Command x', 'nu', 'nu -e ls', 'xonsh --no-rc', 'bash -']) t(argv, true);
  });
  it('shells that run a script, a -c string or print and exit', () => {
    for (const argv of ['bash x.sh', 'bash -c ls', 'bash -lc ls', 'bash -c', 'bash -- -c', 'bash -o pipefail -c ls', 'sh -ec ls', 'bash --version', 'sh --help',
      'zsh -c ls', 'fish -c ls', 'fish --command=ls', 'fish x.fish', 'pwsh -Command x', 'pwsh -c x', 'pwsh -File x.ps1', 'pwsh x.ps1', 'PWSH -COMMAND x',
      'nu -c ls', 'nu x.nu', 'xonsh -c ls', 'csh -c ls', 'tcsh x.csh']) t(argv, false);
  });
  it('not shells', () => {
    for (const argv of ['ls', 'curl -X DELETE x', 'bashful', 'python3', '']) t(argv, false);
    assert.equal(shellName(['bashful']), undefined);
    assert.equal(shellName(['-zsh']), 'zsh');
  });
  it('zsh options that skip the startup files', () => {
    for (const argv of ['zsh -f', 'zsh -if', 'zsh --no-rcs', 'zsh --norcs', 'zsh -o no_rcs', 'zsh +o rcs']) assert.equal(zshSkipsStartupFiles(argv.split(' ')), true, argv);
    for (const argv of ['zsh', 'zsh -l', 'zsh -o vi', 'zsh x.zsh -f', 'zsh --login']) assert.equal(zshSkipsStartupFiles(argv.split(' ')), false, argv);
  });
});

// Credentials and identifiers of a more critical environment found in workspace files (.env, tfvars, kubeconfig, .npmrc,
// docker config.json) or in environment variables: the staging → production leak of the incident, before a command uses it.
//
// Formats are read without new dependencies: .env and ini files line by line, tfvars (HCL) line by line for
// assignments and heredocs, JSON with jsonc-parser (already a dependency), and YAML (kubeconfig) with a small
// line-based reader that knows the keys it needs (`current-context`, `contexts[].name`, scalar `key: value` lines).
// It does not understand YAML anchors, flow mappings or block scalars; their text is still scanned as plain lines.
import path = require('node:path');
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { compileIdentifier } from './environments.js';
import { TIER_RANK, type Policy, type Tier } from './schema.js';

export type CredentialFileKind = 'dotenv' | 'tfvars' | 'json' | 'yaml' | 'ini' | 'text';

/** Where in an entry the identifier was found. */
export type FindingPlace =
  /** A variable or key name (`SHOP_PROD_TOKEN=…`, `//registry.prod/:_authToken=…`). */
  | 'name'
  /** A value (`DATABASE_URL=postgres://admin@db.prod.internal/shop`). */
  | 'value'
  /** A kubeconfig context (`contexts[].name`). */
  | 'kube-context'
  /** The kubeconfig's `current-context`: kubectl acts on it by default. */
  | 'kube-current-context'
  /** An ini section (`[profile prod]` in ~/.aws/config). */
  | 'section';

export interface CredentialFinding {
  /** The file as given to the scanner, or `(environment)` for environment variables. */
  readonly file: string;
  /** 1-based line; for an environment variable, 1 (the text `NAME=value`). */
  readonly line: number;
  /** 1-based column, in UTF-16 code units (what VS Code ranges use). */
  readonly column: number;
  readonly length: number;
  /** The environment the identifier belongs to (`production`) and its tier. */
  readonly environment: string;
  readonly tier: Tier;
  /** The identifier as written in the policy (`SHOP_PROD_*`, `--context=prod`). */
  readonly identifier: string;
  /** The text that matched (`SHOP_PROD_TOKEN`, `db.prod.internal`, `prod`). */
  readonly found: string;
  /** The variable or key the match belongs to; undefined for a bare line of text. */
  readonly variable: string | undefined;
  readonly place: FindingPlace;
  /** True when the name says secret (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*KEY*`) or the value looks like a credential. */
  readonly isSecret: boolean;
  /** The line is commented out: not in effect, but anyone who opens the file can still read it. */
  readonly isCommentedOut: boolean;
  /** A sentence a person understands. */
  readonly message: string;
}

export { CREDENTIAL_FILE_GLOBS } from './credential-files.js';

/** How a file is read, from its name; undefined when it is not a kind of file that holds credentials. */
export function credentialFileKind(file: string): CredentialFileKind | undefined {
  const base = path.basename(file).toLowerCase();
  const parent = path.basename(path.dirname(file)).toLowerCase();
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env') || base === '.envrc') return 'dotenv';
  if (base.endsWith('.tfvars')) return 'tfvars';
  if (base.endsWith('.tfvars.json') || (base === 'config.json' && parent === '.docker')) return 'json';
  if (base === '.npmrc' || base === '.yarnrc' || base === '.pypirc' || (parent === '.aws' && (base === 'credentials' || base === 'config'))) return 'ini';
  if ((parent === '.kube' && base === 'config') || base.startsWith('kubeconfig') || base.endsWith('.kubeconfig')) return 'yaml';
  return undefined;
}

export interface ScanOptions {
  /** How to read the text; default from the file name, else plain text. */
  readonly kind?: CredentialFileKind;
}

/** Identifiers of environments more critical than the workspace's that appear in a file's text. */
export function scanCredentialFile(policy: Policy, file: string, text: string, options: ScanOptions = {}): CredentialFinding[] {
  const identifiers = foreignIdentifiers(policy);
  if (identifiers.length === 0) return [];
  const kind = options.kind ?? credentialFileKind(file) ?? guessKind(file, text);
  const entries = readEntries(kind, text);
  const positions = new LineIndex(text);
  return matchEntries(policy, identifiers, entries, (offset) => positions.at(offset), file, '');
}

/** The same check over a map of environment variables (a terminal's or a task's environment). */
export function scanEnvironmentVariables(policy: Policy, env: Readonly<Record<string, string | undefined>>): CredentialFinding[] {
  const identifiers = foreignIdentifiers(policy);
  if (identifiers.length === 0) return [];
  const findings: CredentialFinding[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const entry: Entry = { kind: 'assignment', name: { text: name, offset: 0 }, value: { text: value, offset: name.length + 1 }, isSecretContext: false };
    findings.push(...matchEntries(policy, identifiers, [entry], (offset) => ({ line: 1, column: offset + 1 }), '(environment)', name));
  }
  return findings;
}

/**
 * The environment variables to hide from terminals (the policy option that masks them): every variable whose name or
 * value names an identifier of a more critical environment. Sorted, without duplicates.
 */
export function variablesToMask(policy: Policy, env: Readonly<Record<string, string | undefined>>): string[] {
  const names = new Set<string>();
  for (const finding of scanEnvironmentVariables(policy, env)) if (finding.variable !== undefined) names.add(finding.variable);
  return [...names].sort();
}

// ── identifiers ────────────────────────────────────────────────────────────────────────────────────────────────────

interface ForeignIdentifier {
  readonly environment: string;
  readonly tier: Tier;
  readonly identifier: string;
  /** Matches the identifier as a whole word, host or argument, anywhere in a text (global). */
  readonly pattern: RegExp;
  /** For `--context=prod`-style identifiers: the option's value, and the variable names that hold such values. */
  readonly option: { readonly value: string; readonly valuePattern: RegExp; readonly variableHint: RegExp | undefined; readonly isContext: boolean; readonly isProfile: boolean } | undefined;
}

/** Option names whose values name a target, and the variable names that carry the same value (`AWS_PROFILE`). */
const OPTION_VARIABLES: ReadonlyMap<string, RegExp> = new Map([
  ['context', /CONTEXT|KUBECTX/i], ['kube-context', /CONTEXT|KUBECTX/i], ['profile', /PROFILE/i], ['project', /PROJECT/i],
  ['stack', /STACK/i], ['host', /HOST/i], ['h', /HOST/i], ['namespace', /NAMESPACE/i], ['n', /NAMESPACE/i], ['subscription', /SUBSCRIPTION/i],
  ['cluster', /CLUSTER/i], ['app', /(^|_)APP(_|$)/i], ['a', /(^|_)APP(_|$)/i], ['workspace', /WORKSPACE/i], ['org', /(^|_)ORG(_|$)/i],
]);

function foreignIdentifiers(policy: Policy): ForeignIdentifier[] {
  const ownRank = policy.tier === 'unmarked' ? 0 : TIER_RANK[policy.tier];
  const out: ForeignIdentifier[] = [];
  for (const [environment, definition] of Object.entries(policy.environments)) {
    if (environment === policy.environment || TIER_RANK[definition.tier] <= ownRank) continue;
    for (const identifier of definition.match ?? []) {
      const compiled = compileIdentifier(identifier);
      const optionMatch = /^--?([A-Za-z][\w-]*)(?:=|\s+)(\S.*)$/.exec(identifier);
      let option: ForeignIdentifier['option'];
      if (optionMatch) {
        const name = optionMatch[1]!.toLowerCase();
        const value = optionMatch[2]!.trim();
        option = {
          value, valuePattern: compileIdentifier(value), variableHint: OPTION_VARIABLES.get(name),
          isContext: name === 'context' || name === 'kube-context', isProfile: name === 'profile',
        };
      }
      out.push({ environment, tier: definition.tier, identifier, pattern: new RegExp(compiled.source, 'gi'), option });
    }
  }
  // The most critical environment first, as EnvironmentScope does.
  return out.sort((a, b) => TIER_RANK[b.tier] - TIER_RANK[a.tier]);
}

// ── entries: what each format yields ───────────────────────────────────────────────────────────────────────────────

interface Span { readonly text: string; readonly offset: number }

interface Entry {
  readonly kind: 'assignment' | 'kube-context' | 'kube-current-context' | 'section' | 'line';
  readonly name?: Span;
  readonly value?: Span;
  /** The surrounding structure says secret (a docker `auths` host with an `auth`, an ini section with a secret key). */
  readonly isSecretContext: boolean;
  /** A commented-out line (`# SHOP_PROD_TOKEN=…`): not in effect, but still readable. */
  readonly isCommentedOut?: boolean;
}

function guessKind(file: string, text: string): CredentialFileKind {
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.yaml') || base.endsWith('.yml') || /^(apiVersion|current-context|clusters|contexts):/m.test(text)) return 'yaml';
  if (base.endsWith('.ini') || base.endsWith('.cfg') || base.endsWith('rc')) return 'ini';
  if (/^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/m.test(text)) return 'dotenv';
  return 'text';
}

function readEntries(kind: CredentialFileKind, text: string): Entry[] {
  switch (kind) {
    case 'dotenv': return readDotenv(text);
    case 'tfvars': return readTfvars(text);
    case 'json': return readJson(text);
    case 'yaml': return readYaml(text);
    case 'ini': return readIni(text);
    case 'text': return readLines(text);
  }
}

/** Lines with their start offsets (`\n` or `\r\n` endings). */
function lines(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    out.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, offset });
    offset += raw.length + 1;
  }
  return out;
}

function readLines(text: string): Entry[] {
  return lines(text).filter((l) => l.text.trim() !== '').map((l) => ({ kind: 'line', value: { text: l.text, offset: l.offset }, isSecretContext: false }));
}

/**
 * `.env`: `NAME=value`, `export NAME=value`, comments, and values unquoted (up to ` #`), single-quoted (literal),
 * double-quoted (escapes; may span lines) or backquoted. Spans point into the raw text, so positions are exact.
 */
function readDotenv(text: string): Entry[] {
  const entries: Entry[] = [];
  // A commented-out assignment is still readable by whoever opens the file, so it is scanned too (and said so).
  const assignment = /^([ \t]*(#[ \t]*)?(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/gm;
  let match: RegExpExecArray | null;
  while ((match = assignment.exec(text)) !== null) {
    const name = match[3]!;
    const isCommentedOut = match[2] !== undefined;
    const nameOffset = match.index + match[1]!.length;
    const valueStart = match.index + match[0].length;
    const quote = text[valueStart];
    let value: Span;
    if (!isCommentedOut && (quote === '"' || quote === "'" || quote === '`')) {
      let end = valueStart + 1;
      while (end < text.length && text[end] !== quote) end += quote === '"' && text[end] === '\\' ? 2 : 1;
      value = { text: text.slice(valueStart + 1, Math.min(end, text.length)), offset: valueStart + 1 };
      assignment.lastIndex = Math.min(end + 1, text.length);
    } else {
      const lineEnd = text.indexOf('\n', valueStart);
      let raw = text.slice(valueStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
      let offset = valueStart;
      const quoted = /^(["'`])(.*)\1/.exec(raw);
      if (quoted) { raw = quoted[2]!; offset += 1; } else {
        const comment = raw.search(/[ \t]#/);
        if (comment >= 0) raw = raw.slice(0, comment);
      }
      value = { text: raw.trimEnd(), offset };
    }
    entries.push({ kind: 'assignment', name: { text: name, offset: nameOffset }, value, isSecretContext: false, isCommentedOut });
    if (assignment.lastIndex === match.index) assignment.lastIndex += 1;
  }
  return entries;
}

/** tfvars (HCL): `name = value` (also inside maps, `"quoted key" = …`, `key: …`), lists and heredocs under the last name. */
function readTfvars(text: string): Entry[] {
  const entries: Entry[] = [];
  let blockName: string | undefined;
  let heredoc: { end: RegExp; name: string } | undefined;
  let inBlockComment = false;
  for (const line of lines(text)) {
    if (heredoc) {
      if (heredoc.end.test(line.text)) { heredoc = undefined; continue; }
      entries.push({ kind: 'assignment', name: { text: heredoc.name, offset: -1 }, value: { text: line.text, offset: line.offset }, isSecretContext: false });
      continue;
    }
    let body = line.text;
    if (inBlockComment) {
      const close = body.indexOf('*/');
      if (close < 0) continue;
      inBlockComment = false;
      body = ' '.repeat(close + 2) + body.slice(close + 2);
    }
    body = stripHclComment(body);
    if (body.includes('/*') && !body.includes('*/')) { inBlockComment = true; body = body.slice(0, body.indexOf('/*')); }
    const assignment = /^(\s*)(?:"([^"]+)"|([A-Za-z_][\w.-]*))\s*[=:]\s*/.exec(body);
    if (assignment) {
      const name = assignment[2] ?? assignment[3] ?? '';
      const nameOffset = line.offset + body.indexOf(name, assignment[1]!.length);
      const valueOffset = assignment[0].length;
      const value = body.slice(valueOffset);
      entries.push({ kind: 'assignment', name: { text: name, offset: nameOffset }, value: { text: value, offset: line.offset + valueOffset }, isSecretContext: false });
      const here = /^<<-?\s*([A-Za-z_]\w*)\s*$/.exec(value.trim());
      if (here) heredoc = { end: new RegExp(`^\\s*${here[1]!}\\s*$`), name };
      else if (/[[{]\s*$/.test(value)) blockName = name;
    } else if (body.trim() !== '' && !/^\s*[\]}],?\s*$/.test(body)) {
      entries.push({ kind: 'assignment', name: { text: blockName ?? '', offset: -1 }, value: { text: body, offset: line.offset }, isSecretContext: false });
    }
  }
  return entries;
}

/** Drops a `#` or `//` comment that is outside a string. */
function stripHclComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (ch === '\\' && inString) { i += 1; continue; }
    if (ch === '"') inString = !inString;
    else if (!inString && (ch === '#' || (ch === '/' && line[i + 1] === '/'))) return line.slice(0, i);
  }
  return line;
}

/** JSON / JSONC (tfvars.json, docker config.json): every key and every string value, with the key it belongs to. */
function readJson(text: string): Entry[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return readLines(text);
  const entries: Entry[] = [];
  const visit = (node: JsonNode, variable: string, isSecretContext: boolean, pathKeys: readonly string[]): void => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        const isUnderCredentials = pathKeys[pathKeys.length - 1] === 'auths' || pathKeys[pathKeys.length - 1] === 'credHelpers';
        const secretHere = isSecretContext || (isUnderCredentials && (valueNode?.type !== 'object' || hasSecretChild(valueNode)));
        entries.push({ kind: 'assignment', name: { text: key, offset: keyNode.offset + 1 }, isSecretContext: secretHere });
        if (valueNode) visit(valueNode, key, secretHere, [...pathKeys, key]);
      }
    } else if (node.type === 'array') {
      for (const child of node.children ?? []) visit(child, variable, isSecretContext, pathKeys);
    } else if (node.type === 'string' && typeof node.value === 'string') {
      entries.push({ kind: 'assignment', name: { text: variable, offset: -1 }, value: { text: text.slice(node.offset + 1, node.offset + node.length - 1), offset: node.offset + 1 }, isSecretContext });
    }
  };
  visit(root, '', false, []);
  return entries;
}

function hasSecretChild(node: JsonNode): boolean {
  return (node.children ?? []).some((property) => {
    const key = property.children?.[0]?.value;
    return typeof key === 'string' && (isSecretName(key) || /^(auth|identitytoken|registrytoken)$/i.test(key));
  });
}

/**
 * YAML, line by line (kubeconfig): `key: value` scalars everywhere, plus `current-context` and the names of
 * `contexts[]` items. A list item's keys sit at the item's content indent (`- name: prod` or a `name:` below it).
 */
function readYaml(text: string): Entry[] {
  const entries: Entry[] = [];
  let section = '';
  let itemIndent = -1;
  for (const line of lines(text)) {
    const match = /^(\s*)(-\s+)?([A-Za-z0-9_.\/-]+|"[^"]*"|'[^']*'):(?:\s+(.*))?$/.exec(line.text);
    if (!match) {
      const item = /^(\s*)-\s+(.*)$/.exec(line.text);
      if (item && item[2]!.trim() !== '' && !item[2]!.trim().startsWith('#')) {
        const valueText = unquoteYaml(item[2]!);
        entries.push({ kind: 'assignment', name: { text: section, offset: -1 }, value: { text: valueText.text, offset: line.offset + item[1]!.length + item[2]!.length - item[2]!.trimStart().length + 2 + valueText.start }, isSecretContext: false });
      }
      continue;
    }
    if (line.text.trimStart().startsWith('#')) continue;
    const indent = match[1]!.length;
    const dash = match[2] ?? '';
    const rawKey = match[3]!;
    const key = rawKey.replace(/^["']|["']$/g, '');
    const keyOffset = line.offset + indent + dash.length + (rawKey === key ? 0 : 1);
    if (indent === 0 && dash === '') { section = key; itemIndent = -1; }
    if (dash !== '') itemIndent = indent + dash.length;
    const rawValue = match[4] ?? '';
    const valueStart = line.text.length - rawValue.length;
    const unquoted = unquoteYaml(stripYamlComment(rawValue));
    const value: Span | undefined = unquoted.text === '' ? undefined : { text: unquoted.text, offset: line.offset + valueStart + unquoted.start };
    const contentIndent = indent + dash.length;
    if (value && indent === 0 && key === 'current-context') entries.push({ kind: 'kube-current-context', name: { text: key, offset: keyOffset }, value, isSecretContext: false });
    else if (value && section === 'contexts' && key === 'name' && contentIndent === itemIndent) entries.push({ kind: 'kube-context', name: { text: key, offset: keyOffset }, value, isSecretContext: false });
    entries.push({ kind: 'assignment', name: { text: key, offset: keyOffset }, ...(value ? { value } : {}), isSecretContext: false });
  }
  return entries;
}

function stripYamlComment(value: string): string {
  if (value.startsWith('"') || value.startsWith("'")) return value;
  const hash = value.search(/\s#/);
  return hash >= 0 ? value.slice(0, hash) : value;
}

function unquoteYaml(value: string): { text: string; start: number } {
  const trimmed = value.trimEnd();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? { text: quoted[2]!, start: 1 } : { text: trimmed, start: 0 };
}

/** ini (.npmrc, .pypirc, ~/.aws/credentials): `[section]`, `key = value`, `;`/`#` comments. */
function readIni(text: string): Entry[] {
  const entries: Entry[] = [];
  let sectionEntry: { index: number } | undefined;
  for (const line of lines(text)) {
    const trimmed = line.text.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) continue;
    const section = /^(\s*)\[\s*(?:profile\s+)?([^\]]+?)\s*\]/.exec(line.text);
    if (section) {
      const name = section[2]!;
      sectionEntry = { index: entries.length };
      entries.push({ kind: 'section', value: { text: name, offset: line.offset + line.text.indexOf(name, section[1]!.length + 1) }, isSecretContext: false });
      continue;
    }
    const assignment = /^(\s*)([^=\s][^=]*?)\s*=\s*(.*)$/.exec(line.text);
    if (!assignment) { entries.push({ kind: 'line', value: { text: line.text, offset: line.offset }, isSecretContext: false }); continue; }
    const name = assignment[2]!;
    const value = assignment[3]!.replace(/^(["'])(.*)\1$/, '$2');
    const valueOffset = line.offset + line.text.length - assignment[3]!.length + (value === assignment[3] ? 0 : 1);
    const isSecret = isSecretName(name);
    entries.push({ kind: 'assignment', name: { text: name, offset: line.offset + assignment[1]!.length }, value: { text: value, offset: valueOffset }, isSecretContext: false });
    if (isSecret && sectionEntry) {
      const owner = entries[sectionEntry.index];
      if (owner) entries[sectionEntry.index] = { ...owner, isSecretContext: true };
    }
  }
  return entries;
}

// ── matching ───────────────────────────────────────────────────────────────────────────────────────────────────────

type Position = { line: number; column: number };

function matchEntries(policy: Policy, identifiers: readonly ForeignIdentifier[], entries: readonly Entry[], position: (offset: number) => Position, file: string, fallbackVariable: string): CredentialFinding[] {
  const findings: CredentialFinding[] = [];
  const taken = new Set<string>();
  const add = (entry: Entry, place: FindingPlace, id: ForeignIdentifier, offset: number, found: string): void => {
    const key = `${offset}:${found.length}`;
    if (offset < 0 || taken.has(key)) return;
    taken.add(key);
    const variable = entry.name?.text || fallbackVariable || undefined;
    const isSecret = entry.isSecretContext || (variable !== undefined && isSecretName(variable)) || (entry.value !== undefined && looksLikeCredential(entry.value.text));
    const at = position(offset);
    findings.push({
      file, line: at.line, column: at.column, length: found.length, environment: id.environment, tier: id.tier, identifier: id.identifier, found,
      variable, place, isSecret, isCommentedOut: entry.isCommentedOut === true,
      message: describe(policy, { place, environment: id.environment, found, variable, isSecret, where: file === '(environment)' ? 'environment variable' : `line ${at.line}${entry.isCommentedOut ? ', commented out but readable' : ''}` }),
    });
  };

  // Kube contexts first, so a context name is reported as such and not again as a plain value.
  const ordered = [...entries].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const entry of ordered) {
    for (const id of identifiers) {
      const { name, value } = entry;
      if (entry.kind === 'kube-context' || entry.kind === 'kube-current-context' || entry.kind === 'section') {
        if (!value) continue;
        const place: FindingPlace = entry.kind;
        const byOption = id.option && (entry.kind === 'section' ? id.option.isProfile : id.option.isContext) && isWholeMatch(id.option.valuePattern, value.text);
        if (byOption || isWholeMatch(id.pattern, value.text)) add(entry, place, id, value.offset, value.text);
        continue;
      }
      if (name && name.offset >= 0) for (const m of allMatches(id.pattern, name.text)) add(entry, 'name', id, name.offset + m.index, m.text);
      if (value) {
        for (const m of allMatches(id.pattern, value.text)) add(entry, 'value', id, value.offset + m.index, m.text);
        // `AWS_PROFILE=prod` with the identifier `--profile=prod`: the variable carries the option's value.
        if (id.option?.variableHint && name && id.option.variableHint.test(name.text)) {
          const trimmed = value.text.trim();
          if (isWholeMatch(id.option.valuePattern, trimmed)) add(entry, 'value', id, value.offset + value.text.indexOf(trimmed), trimmed);
        }
      }
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function rank(kind: Entry['kind']): number {
  return kind === 'kube-current-context' ? 0 : kind === 'kube-context' ? 1 : kind === 'section' ? 2 : 3;
}

function allMatches(pattern: RegExp, text: string): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    out.push({ index: match.index, text: match[0] });
    if (match[0].length === 0) pattern.lastIndex += 1;
  }
  pattern.lastIndex = 0;
  return out;
}

function isWholeMatch(pattern: RegExp, text: string): boolean {
  const re = new RegExp(pattern.source, 'i');
  const match = re.exec(text.trim());
  return match !== null && match[0].length === text.trim().length;
}

/** `SHOP_PROD_TOKEN`, `db_password`, `apiKey`, `_authToken`, `client-key-data`, `aws_secret_access_key`. Not `PWD`, not `MONKEY_BUSINESS`. */
export function isSecretName(name: string): boolean {
  const segments = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[^A-Za-z0-9]+/).filter(Boolean).map((s) => s.toUpperCase());
  return segments.some((s) => /^(TOKENS?|SECRETS?|PASSWORDS?|PASSWD|PASSPHRASE|PASS|PWD|CREDENTIALS?|CREDS?|AUTH|KEYS?|APIKEY|ACCESSKEY|PRIVATEKEY|AUTHTOKEN|PAT)$/.test(s))
    && !/^(OLD)?PWD$/i.test(name);
}

/** A value that looks like a credential: a URL with a password, a known token format, a private key, a JWT, a long random string. */
export function looksLikeCredential(value: string): boolean {
  const v = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i.test(v)) return true;
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return true;
  if (/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|xox[abprs]-[\w-]{10,}|sk-[A-Za-z0-9_-]{20,}|(sk|rk|pk)_(live|test)_[A-Za-z0-9]{10,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36})\b/.test(v)) return true;
  if (/^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(v)) return true;
  if (/^[A-Za-z0-9+/=_-]{24,}$/.test(v) && !/^[a-z_-]+$/i.test(v)) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(v)).length;
    return classes >= 2 && entropy(v) >= 3.5;
  }
  return false;
}

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function describe(policy: Policy, f: { place: FindingPlace; environment: string; found: string; variable: string | undefined; isSecret: boolean; where: string }): string {
  const workspace = policy.tier === 'unmarked' ? 'this unmarked workspace' : `this ${policy.environment} workspace`;
  switch (f.place) {
    case 'kube-current-context':
      return `the kubeconfig's current context is ${f.environment} ("${f.found}", ${f.where}): kubectl run from ${workspace} acts on ${f.environment}`;
    case 'kube-context':
      return `the kubeconfig has a ${f.environment} context ("${f.found}", ${f.where}): kubectl can reach ${f.environment} from ${workspace}`;
    case 'section':
      return `a ${f.environment} ${f.isSecret ? 'credential' : 'profile'} is reachable from ${workspace}: [${f.found}] (${f.where})`;
    case 'name':
      return f.isSecret
        ? `a ${f.environment} ${secretNoun(f.variable ?? f.found)} is reachable from ${workspace}: ${f.variable ?? f.found} (${f.where})`
        : `${workspace} names a ${f.environment} identifier: ${f.variable ?? f.found} (${f.where})`;
    case 'value': {
      const holder = f.variable ? `${f.variable} points at ${f.found}` : f.found;
      return f.isSecret
        ? `a ${f.environment} ${f.variable && isSecretName(f.variable) ? secretNoun(f.variable) : 'credential'} is reachable from ${workspace}: ${holder} (${f.where})`
        : `${workspace} points at ${f.environment}: ${holder} (${f.where})`;
    }
  }
}

function secretNoun(name: string): string {
  const upper = name.toUpperCase();
  if (upper.includes('TOKEN')) return 'token';
  if (upper.includes('PASSWORD') || upper.includes('PASSWD') || /(^|[^A-Z])PASS([^A-Z]|$)/.test(upper)) return 'password';
  if (upper.includes('SECRET')) return 'secret';
  if (upper.includes('KEY')) return 'key';
  return 'credential';
}

/** Offset → 1-based line and column. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

// SQL scripts read from files (`psql -f drop.sql`, `mysql app < dump.sql`): the engine's bounded reader lets the SQL
// rules see what the client will run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, type Verdict } from '../../../src/engine.js';
import { boundedFileReader } from '../../../src/shell/file-reader.js';
import { bashParser, tierPolicy } from '../helpers/engine.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-sql-files-'));
  fs.writeFileSync(path.join(dir, 'drop_all.sql'), '-- clean slate\nBEGIN;\nDROP TABLE users CASCADE;\nCOMMIT;\n');
  fs.writeFileSync(path.join(dir, 'wipe.sql'), 'DELETE FROM orders;\n');
  fs.writeFileSync(path.join(dir, 'migrate.sql'), 'CREATE TABLE audit (id int);\nALTER TABLE users ADD COLUMN note text;\nSELECT 1;\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function verdict(cmd: string, withReader = true): Promise<Verdict> {
  return evaluate(cmd, { policy: tierPolicy('staging'), cwd: dir, parser: await bashParser(), ...(withReader ? { readFile: boundedFileReader(dir) } : {}) });
}
const rules = (v: Verdict): string[] => v.reasons.filter((r) => r.severity !== 'info').map((r) => r.rule);

describe('SQL script files', () => {
  it('psql -f / --file / -fFILE: the statements in the file', async () => {
    for (const line of ['psql -f drop_all.sql', 'psql "$DATABASE_URL" --file=drop_all.sql', 'psql -fdrop_all.sql', 'psql -1 -v ON_ERROR_STOP=1 -f drop_all.sql app']) {
      const v = await verdict(line);
      assert.equal(v.decision, 'block', line);
      assert.ok(rules(v).some((r) => r.startsWith('sql.')), `${line}: ${rules(v).join()}`);
    }
  });
  it('a client reading the file on stdin (`<`)', async () => {
    assert.equal((await verdict('mysql app < drop_all.sql')).decision, 'block');
    assert.equal((await verdict('sqlite3 app.db < drop_all.sql')).decision, 'block');
    assert.notEqual((await verdict('psql app < wipe.sql')).decision, 'allow');
  });
  it('harmless scripts, and files that cannot be seen, are judged as before', async () => {
    for (const line of ['psql -f migrate.sql', 'psql app < migrate.sql', 'psql -f missing.sql', 'psql -f "$F"']) {
      assert.equal((await verdict(line)).decision, 'allow', line);
    }
    // Without the reader (the rules do no I/O themselves) the file is unseen.
    assert.equal((await verdict('psql -f drop_all.sql', false)).decision, 'allow');
  });
  it('a file on a remote machine is not read from here', async () => {
    assert.ok(!rules(await verdict("ssh db1 'psql -f drop_all.sql'")).some((r) => r.startsWith('sql.')));
  });
});

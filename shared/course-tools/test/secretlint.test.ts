// Secret scanning runs in `npm test` with the repository's own .secretlintrc.json and .secretlintignore.
// The leaked credentials are generated per run into a temp folder, so no realistic key is ever committed.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const secretlint = path.join(root, 'node_modules', '.bin', 'secretlint');

interface SecretlintResult {
  filePath: string;
  messages: { ruleId: string; messageId: string; loc: { start: { line: number } } }[];
}

/**
 * Runs secretlint in `cwd` (which supplies .secretlintrc.json and .secretlintignore) twice: exactly as
 * `npm run check:secrets` does, for its exit code and output, then with a JSON report for the details.
 * The report goes to a file because it embeds every scanned file and a large stdout is cut short at exit;
 * secretlint exits 0 whenever it writes to a file, hence the first run.
 */
function scan(cwd: string) {
  const check = spawnSync(secretlint, ['--no-gitignore', '--no-color', '**/*'], { cwd, encoding: 'utf8' });
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secretlint-report-'));
  const report = path.join(reportDir, 'report.json');
  const json = spawnSync(secretlint, ['--no-gitignore', '--format', 'json', '--output', report, '**/*'], {
    cwd,
    encoding: 'utf8',
  });
  if (!fs.existsSync(report)) throw new Error(`secretlint wrote no report: ${json.stderr}${json.stdout}`);
  const results = (JSON.parse(fs.readFileSync(report, 'utf8')) as SecretlintResult[]).map((result) => ({
    ...result,
    file: path.relative(cwd, result.filePath),
  }));
  fs.rmSync(reportDir, { recursive: true, force: true });
  return { status: check.status, output: `${check.stdout}${check.stderr}`, results };
}

function randomFrom(alphabet: string, length: number): string {
  return Array.from(crypto.randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function generatedPrivateKey(): string {
  return crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

describe('secret scanning (secretlint, preset-recommend)', () => {
  it('finds no secret in the repository', () => {
    const { status, results } = scan(root);

    const findings = results.flatMap((result) =>
      result.messages.map((message) => `${result.file}:${message.loc.start.line} ${message.ruleId}`),
    );
    expect(findings).toEqual([]);
    // Guards against a scan that silently covered nothing.
    expect(results.map((result) => result.file)).toEqual(
      expect.arrayContaining(['package.json', 'shared/course-tools/src/doctor.ts']),
    );
    expect(status).toBe(0);
  });

  describe('on a folder with leaked credentials', () => {
    let workdir: string;
    beforeAll(() => {
      workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secretlint-'));
      // The repository's own config, so the ignore rules under test are the real ones.
      for (const file of ['.secretlintrc.json', '.secretlintignore']) {
        fs.copyFileSync(path.join(root, file), path.join(workdir, file));
      }
      const key = generatedPrivateKey();
      const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      // 40 characters like a real secret access key; the rule wants a word boundary after the last one.
      const awsSecret = randomFrom(`${alphanumeric}+/`, 39) + randomFrom(alphanumeric, 1);
      const password = randomFrom(alphanumeric, 20);
      const files: Record<string, string> = {
        'config/aws-credentials': [
          '[default]',
          `aws_access_key_id = AKIA${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
          `aws_secret_access_key = ${awsSecret}`,
          '',
        ].join('\n'),
        'deploy/id_rsa': key,
        // Only loopback and compose-network hosts are allowed, so the managed server's URL must be reported.
        'app/settings.ts': [
          `export const production = 'postgres://app:${password}@taskboard.postgres.database.azure.com:5432/app';`,
          `export const compose = 'postgres://app:${password}@db:5432/app';`,
          '',
        ].join('\n'),
        'secrets/deploy_key.example': key,
        'test/fixtures/deploy_key': key,
      };
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(workdir, file)), { recursive: true });
        fs.writeFileSync(path.join(workdir, file), content);
      }
    });
    afterAll(() => {
      fs.rmSync(workdir, { recursive: true, force: true });
    });

    it('fails, naming the AWS secret access key, the private key and the managed-database URL with file and line', () => {
      const { status, results } = scan(workdir);

      const findings = results
        .filter((result) => result.messages.length > 0)
        .flatMap((result) =>
          result.messages.map((message) => `${result.file}:${message.loc.start.line} ${message.messageId}`),
        );
      expect(findings.sort()).toEqual([
        'app/settings.ts:1 PostgreSQLConnection',
        'config/aws-credentials:3 AWSSecretAccessKey',
        'deploy/id_rsa:1 PrivateKey',
      ]);
      expect(status).toBe(1);
    });

    it('prints the file and the rule for each leak, with the secret masked', () => {
      const { output } = scan(workdir);

      expect(output).toMatch(/config\/aws-credentials\n\s+3:\d+\s+error\s+\[AWSSecretAccessKey\]/);
      expect(output).toMatch(/deploy\/id_rsa\n\s+1:\d+\s+error\s+\[PrivateKey\]/);
      expect(output).not.toContain('BEGIN RSA PRIVATE KEY');
    });

    it('skips .example files and fixtures folders, as .secretlintignore allows', () => {
      const { results } = scan(workdir);

      const scanned = results.map((result) => result.file);
      expect(scanned).toContain('deploy/id_rsa');
      expect(scanned).not.toContain('secrets/deploy_key.example');
      expect(scanned).not.toContain('test/fixtures/deploy_key');
    });
  });
});

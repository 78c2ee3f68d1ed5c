// Secret scanning runs in `npm test` with the repository's own .secretlintrc.json and .secretlintignore.
// The leaked credentials are generated per run into a temp folder, so no realistic key is ever committed; the
// planted-secret fixtures hold obviously fake values (FakeDoNotUse) in the shape each rule looks for.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const secretlint = path.join(root, 'node_modules', '.bin', 'secretlint');

interface SecretlintResult {
  filePath: string;
  messages: {
    ruleId: string;
    messageId: string;
    loc: { start: { line: number } };
    data?: { PATTERN_NAME?: string };
  }[];
}

/**
 * Runs secretlint in `cwd` (which supplies .secretlintrc.json and .secretlintignore) twice: exactly as
 * `npm run check:secrets` does, for its exit code and output, then with a JSON report for the details.
 * The report goes to a file because it embeds every scanned file and a large stdout is cut short at exit;
 * secretlint exits 0 whenever it writes to a file, hence the first run.
 */
function scan(cwd: string, { masked = true } = {}) {
  const check = spawnSync(secretlint, ['--no-gitignore', '--no-color', '**/*'], { cwd, encoding: 'utf8' });
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secretlint-report-'));
  const report = path.join(reportDir, 'report.json');
  // Unmasked only for fake fixtures: masking also hides which named pattern of the pattern rule matched.
  const mask = masked ? [] : ['--no-maskSecrets'];
  const json = spawnSync(
    secretlint,
    ['--no-gitignore', ...mask, '--format', 'json', '--output', report, '**/*'],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  if (!fs.existsSync(report)) throw new Error(`secretlint wrote no report: ${json.stderr}${json.stdout}`);
  const results = (JSON.parse(fs.readFileSync(report, 'utf8')) as SecretlintResult[]).map((result) => ({
    ...result,
    file: path.relative(cwd, result.filePath),
  }));
  fs.rmSync(reportDir, { recursive: true, force: true });
  return { status: check.status, output: `${check.stdout}${check.stderr}`, results };
}

/** Copies the repository's scan config and `fixture` into a temp folder outside any fixtures/ path. */
function workdirWith(fixture: string): string {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secretlint-'));
  for (const file of ['.secretlintrc.json', '.secretlintignore']) {
    fs.copyFileSync(path.join(root, file), path.join(workdir, file));
  }
  fs.cpSync(path.join(__dirname, 'fixtures', fixture), workdir, { recursive: true });
  return workdir;
}

/** `file:line name` per finding, naming the pattern for the project's own patterns (rule-pattern). */
function findingsOf(results: ReturnType<typeof scan>['results']): string[] {
  return results
    .flatMap((result) =>
      result.messages.map(
        (message) =>
          `${result.file}:${message.loc.start.line} ${message.data?.PATTERN_NAME ?? message.messageId}`,
      ),
    )
    .sort();
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
        // Whatever the host, only a placeholder password is allowed: both URLs must be reported.
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

    it('fails, naming the AWS key pair, the private key and both database URLs with file and line', () => {
      const { status, results } = scan(workdir);

      const findings = results
        .filter((result) => result.messages.length > 0)
        .flatMap((result) =>
          result.messages.map((message) => `${result.file}:${message.loc.start.line} ${message.messageId}`),
        );
      expect(findings.sort()).toEqual([
        'app/settings.ts:1 PostgreSQLConnection',
        'app/settings.ts:2 PostgreSQLConnection',
        'config/aws-credentials:2 AWSAccessKeyID',
        'config/aws-credentials:3 AWSSecretAccessKey',
        'deploy/id_rsa:1 PrivateKey',
      ]);
      expect(status).toBe(1);
    });

    it('prints the file and the rule for each leak, with the secret masked', () => {
      const { output } = scan(workdir);

      expect(output).toMatch(
        /config\/aws-credentials\n\s+2:\d+\s+error\s+\[AWSAccessKeyID\].*\n\s+3:\d+\s+error\s+\[AWSSecretAccessKey\]/,
      );
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
  // Issue 16: the six kinds marked "was missed" passed the scan before; each fixture file plants one kind.
  describe('on the planted-secrets fixtures (14 kinds)', () => {
    const planted: { kind: string; findings: string[] }[] = [
      {
        kind: 'AWS access key pair (was missed)',
        findings: ['aws-provider.tf:4 AWSAccessKeyID', 'aws-provider.tf:5 AWS secret key (secret_key = ...)'],
      },
      {
        kind: 'Azure Storage AccountKey= (was missed)',
        findings: ['appsettings.json:3 Azure Storage account key'],
      },
      {
        kind: "Kubernetes Secret's base64 data (was missed)",
        findings: ['k8s-secret.yaml:3 Kubernetes Secret data (base64 is not encryption)'],
      },
      {
        kind: 'Terraform *_password literal (was missed)',
        findings: ['database.tf:5 Terraform password literal'],
      },
      { kind: 'JWT (was missed)', findings: ['request.http:3 JSON Web Token'] },
      {
        kind: 'PostgreSQL URL, host postgres (was missed)',
        findings: ['compose-url.ts:2 PostgreSQLConnection'],
      },
      { kind: 'RSA private key', findings: ['deploy_key:1 PrivateKey'] },
      {
        kind: 'GCP service account JSON',
        findings: ['gcp-service-account.json:1 PrivateKeyJSON', 'gcp-service-account.json:5 PrivateKey'],
      },
      { kind: 'GitHub token', findings: ['github-token.sh:2 GITHUB_TOKEN'] },
      { kind: 'GitLab token', findings: ['gitlab-ci.yml:3 GITLAB_PERSONAL_ACCESS_TOKEN'] },
      { kind: 'Hugging Face token', findings: ['huggingface.py:2 HUGGINGFACE_USER_ACCESS_TOKEN'] },
      { kind: 'npm token', findings: ['npmrc:1 NPM_ACCESS_TOKEN'] },
      { kind: 'basic auth in a URL', findings: ['registry-url.txt:2 BasicAuth'] },
      { kind: 'Slack webhook', findings: ['slack-webhook.md:3 IncomingWebhook'] },
    ];
    let scanned: ReturnType<typeof scan>;
    let workdir: string;
    beforeAll(() => {
      workdir = workdirWith('planted-secrets');
      scanned = scan(workdir, { masked: false });
    });
    afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

    it.each(planted)('reports the $kind with file, line and rule', ({ findings }) => {
      const found = findingsOf(scanned.results);
      expect(found).toEqual(expect.arrayContaining(findings));
    });

    it('reports nothing else, and fails the run', () => {
      expect(findingsOf(scanned.results)).toEqual(planted.flatMap((p) => p.findings).sort());
      expect(scanned.status).toBe(1);
    });
  });

  describe('on placeholder passwords (change-me, example, ${POSTGRES_PASSWORD}, <password>, var.x)', () => {
    let workdir: string;
    beforeAll(() => {
      workdir = workdirWith('placeholder-secrets');
    });
    afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

    it('reports nothing and passes', () => {
      const { status, results } = scan(workdir, { masked: false });

      expect(findingsOf(results)).toEqual([]);
      // Guards against a scan that silently skipped the fixtures.
      expect(results.map((result) => result.file).sort()).toEqual([
        'database-urls.ts',
        'k8s-secret.yaml',
        'variables.tf',
      ]);
      expect(status).toBe(0);
    });
  });
});

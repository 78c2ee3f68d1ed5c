// One pino logger: JSON lines on stdout, credentials redacted by path and any known secret scrubbed from every line.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  /** Literal secret values (the DB password, DATABASE_URL) that must never reach a log line, wherever they appear. */
  readonly secrets?: readonly string[];
  /** Defaults to stdout; tests pass a stream to capture lines. */
  readonly destination?: DestinationStream;
}

const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
  'pgPassword',
  '*.pgPassword',
  'secrets',
  '*.secrets',
];

/** Each secret as it may appear in a JSON line: raw, JSON-escaped and URL-encoded. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 3) continue; // Scrubbing one or two characters would mangle every line.
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a URL containing the password is replaced whole before the password alone.
  return [...forms].sort((a, b) => b.length - a.length);
}

export function createLogger(options: LoggerOptions): Logger {
  const forms = secretForms(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      base: { service: 'taskboard-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      hooks:
        forms.length === 0
          ? {}
          : {
              // includes() first: most lines hold no secret, and split() would copy each of them once per form.
              streamWrite: (line: string) =>
                forms.reduce(
                  (out, form) => (out.includes(form) ? out.split(form).join('[REDACTED]') : out),
                  line,
                ),
            },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

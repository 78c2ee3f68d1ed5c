import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const src = path.join(__dirname, '..', 'src');

function importsOf(folder: string): { file: string; specifier: string }[] {
  return readdirSync(path.join(src, folder))
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => {
      const text = readFileSync(path.join(src, folder, name), 'utf8');
      return [...text.matchAll(/from '([^']+)'/g)].map((match) => ({
        file: `${folder}/${name}`,
        specifier: match[1]!,
      }));
    });
}

// The layers in the folder names are a rule, not a hope: routes -> services -> data.
describe('layering', () => {
  it('keeps express and knex out of services/', () => {
    const offenders = importsOf('services').filter(({ specifier }) =>
      ['express', 'knex', 'pg', 'knex-pglite'].includes(specifier),
    );

    expect(offenders).toEqual([]);
  });

  it('keeps routes/ away from data/ (routes talk to services)', () => {
    const offenders = importsOf('routes').filter(
      ({ specifier }) => specifier.includes('/data/') || ['knex', 'pg'].includes(specifier),
    );

    expect(offenders).toEqual([]);
  });

  it('keeps express out of data/', () => {
    const offenders = importsOf('data').filter(({ specifier }) => specifier === 'express');

    expect(offenders).toEqual([]);
  });
});

import { githubSlug, HeadingSlugger } from '../src/slug.ts';

describe('githubSlug', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['Node 24 (LTS)', 'node-24-lts'],
    ['npm run verify:day1', 'npm-run-verifyday1'],
    ['Break it, fix it', 'break-it-fix-it'],
    ['snake_case stays', 'snake_case-stays'],
    ['1. Step — one', '1-step--one'],
    ['Café ☕ crème', 'café--crème'],
    ['  leading spaces', '--leading-spaces'],
  ])('turns %j into %j', (heading, expected) => {
    expect(githubSlug(heading)).toBe(expected);
  });
});

describe('HeadingSlugger', () => {
  it('suffixes repeated headings with -1, -2 in order', () => {
    const slugger = new HeadingSlugger();
    expect(['FAQ', 'FAQ', 'FAQ'].map((heading) => slugger.slug(heading))).toEqual(['faq', 'faq-1', 'faq-2']);
  });

  it('skips a suffix that an earlier heading already produced', () => {
    const slugger = new HeadingSlugger();
    expect(['Foo', 'Foo', 'Foo 1', 'Foo-1'].map((heading) => slugger.slug(heading))).toEqual([
      'foo',
      'foo-1',
      'foo-1-1',
      'foo-1-2',
    ]);
  });
});

// The production image omits optional dependencies, PGlite among them: without PostgreSQL settings the API must
// stop with a message that names the variables to set, not with a bare "Cannot find module".
describe('embedded PGlite as an optional dependency', () => {
  afterEach(() => {
    jest.resetModules();
  });

  it('loads the PGlite knex client when the package is installed', () => {
    const { loadPgliteClient } =
      jest.requireActual<typeof import('../src/data/database')>('../src/data/database');
    expect(typeof loadPgliteClient()).toBe('function');
  });

  it('names DATABASE_URL and the PG* variables when PGlite is not installed', () => {
    jest.doMock('knex-pglite', () => {
      throw Object.assign(new Error("Cannot find module 'knex-pglite'"), { code: 'MODULE_NOT_FOUND' });
    });
    const { loadPgliteClient } =
      jest.requireActual<typeof import('../src/data/database')>('../src/data/database');
    expect(() => loadPgliteClient()).toThrow(
      /embedded PGlite database is not installed.*Set DATABASE_URL \(or PGHOST/,
    );
  });
});

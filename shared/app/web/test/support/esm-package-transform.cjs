/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file jest loads with require(); require is its import. */
// react-router 8 ships ESM only, and jest (without --experimental-vm-modules) runs CommonJS, so its files are
// compiled with swc like ours. One line has no CommonJS form: a Vite HMR check on `import.meta.hot`, which is
// undefined everywhere except the Vite dev server, so it is replaced by `undefined` before compiling.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs' },
});

module.exports = {
  ...swc,
  process(source, filename, options) {
    return swc.process(source.replaceAll('import.meta.hot', 'undefined'), filename, options);
  },
};

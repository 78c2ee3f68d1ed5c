/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file jest loads with require(); require is its import. */
// jsdom implements no fetch API. The tests replace fetch itself with a fake server, but that fake answers with
// real Response objects, and the client reads them with real Headers: hand jsdom Node's own implementations.
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, {
      Request,
      Response,
      Headers,
      TextEncoder,
      TextDecoder,
      ReadableStream,
      structuredClone,
    });
  }
}

module.exports = JsdomWithFetchEnvironment;

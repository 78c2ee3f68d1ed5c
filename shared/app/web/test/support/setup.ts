import '@testing-library/jest-dom';
import { cleanup } from '@testing-library/react';

afterEach(() => {
  cleanup();
  // Each test installs its own fake API; none may leak into the next or reach a real network.
  Reflect.deleteProperty(globalThis, 'fetch');
});

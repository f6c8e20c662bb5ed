// Builds out/ once before any e2e file runs, so parallel test files never race to build.
import { buildOnce } from './harness';

export default function setup(): void {
  buildOnce();
}

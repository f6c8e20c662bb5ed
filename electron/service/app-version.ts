// The app's version, read from package.json at run time. Built files live in out/main/ and sources
// in electron/service/: both are two levels below the package root, so one relative path serves both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | null = null;

export function appVersion(): string {
  if (cached !== null) return cached;
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const version = (pkg as { version?: unknown }).version;
    cached = typeof version === 'string' ? version : '0.0.0';
  } catch {
    cached = '0.0.0';
  }
  return cached;
}

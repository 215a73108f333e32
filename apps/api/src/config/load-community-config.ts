import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as toml from 'toml';

import { type CommunityConfig, CommunityConfigError, validateCommunityConfig } from './community-config';

interface TomlSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

function isTomlSyntaxError(error: unknown): error is TomlSyntaxError {
  return typeof error === 'object' && error !== null && 'line' in error && 'column' in error;
}

/** Parses TOML text and validates it; every failure is a CommunityConfigError with a readable message. */
export function parseCommunityConfig(text: string, fileName: string): CommunityConfig {
  let document: unknown;
  try {
    document = toml.parse(text);
  } catch (error) {
    if (isTomlSyntaxError(error)) {
      throw new CommunityConfigError(
        `${fileName}: syntax error at line ${error.line}, column ${error.column}: ${error.message}`,
      );
    }
    throw new CommunityConfigError(`${fileName}: ${String(error)}`);
  }
  return validateCommunityConfig(document, fileName);
}

export function loadCommunityConfig(filePath: string): CommunityConfig {
  const fileName = path.basename(filePath);
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommunityConfigError(`${filePath}: cannot read the file (${reason})`);
  }
  return parseCommunityConfig(text, fileName);
}

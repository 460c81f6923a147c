import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResponse } from '../src/index.js';

const url = 'http://127.0.0.1/';

describe('default reason phrases', () => {
  it('fills the RFC 9110 phrase when the creator gives none', () => {
    expect(createResponse({ url, status: 200 }).reason).toBe('OK');
    expect(createResponse({ url, status: 413 }).reason).toBe('Content Too Large');
    expect(createResponse({ url, status: 422 }).reason).toBe('Unprocessable Content');
    expect(createResponse({ url, status: 103 }).reason).toBe('Early Hints');
    expect(createResponse({ url, status: 429 }).reason).toBe('Too Many Requests');
  });

  it('leaves an unregistered code without a phrase and keeps a given one', () => {
    expect(createResponse({ url, status: 299 }).reason).toBe('');
    expect(createResponse({ url, status: 200, reason: 'Fine' }).reason).toBe('Fine');
    expect(createResponse({ url, status: 200, reason: '' }).reason).toBe('');
  });

  it('core imports neither node:http nor node:https (each pulls in Node’s HTTP stack)', () => {
    const sourceDirectory = join(import.meta.dirname, '../src');
    for (const file of readdirSync(sourceDirectory)) {
      const text = readFileSync(join(sourceDirectory, file), 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:https?['"]/);
    }
  });
});

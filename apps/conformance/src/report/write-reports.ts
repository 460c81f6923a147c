import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConformanceReport } from '../result.js';
import { formatMarkdown } from './markdown.js';

/** Writes conformance.md and conformance.json into `directory`; returns their paths. */
export async function writeReports(
  report: ConformanceReport,
  directory: string,
): Promise<{ markdown: string; json: string }> {
  await mkdir(directory, { recursive: true });
  const markdown = join(directory, 'conformance.md');
  const json = join(directory, 'conformance.json');
  await writeFile(markdown, formatMarkdown(report));
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, json };
}

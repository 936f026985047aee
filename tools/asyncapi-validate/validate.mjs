#!/usr/bin/env node
// Validate AsyncAPI documents with the official parser (@asyncapi/parser: JSON Schema of the
// specification plus its core Spectral ruleset, e.g. operation messages must belong to the channel).
//
// Usage: node validate.mjs [--strict] FILE...
// Prints one line per finding: `FILE:LINE: error|warning|info|hint CODE at PATH: MESSAGE`.
// Exit status: 0 when every file is valid, 1 when a file has errors (with --strict: also
// warnings), 2 on usage or read errors.
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

function pointer(path) {
  const tokens = (path ?? []).map((t) => String(t).replaceAll('~', '~0').replaceAll('/', '~1'));
  return `#/${tokens.join('/')}`;
}

async function validateFile(parser, file, strict) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`${file}: cannot read: ${error.message}`);
    return 2;
  }
  const { diagnostics } = await parser.parse(text, { source: file });
  let failed = false;
  for (const diagnostic of diagnostics) {
    const severity = SEVERITY[diagnostic.severity] ?? String(diagnostic.severity);
    const line = (diagnostic.range?.start?.line ?? -1) + 1;
    const where = line > 0 ? `${file}:${line}` : file;
    console.log(
      `${where}: ${severity} ${diagnostic.code} at ${pointer(diagnostic.path)}: ${diagnostic.message}`,
    );
    const fatal = diagnostic.severity === DiagnosticSeverity.Error
      || (strict && diagnostic.severity === DiagnosticSeverity.Warning);
    failed ||= fatal;
  }
  if (!failed) {
    console.log(`${file}: valid`);
  }
  return failed ? 1 : 0;
}

async function main(argv) {
  const strict = argv.includes('--strict');
  const files = argv.filter((arg) => arg !== '--strict');
  if (files.length === 0 || files.some((arg) => arg.startsWith('--'))) {
    console.error('usage: node validate.mjs [--strict] FILE...');
    return 2;
  }
  const parser = new Parser();
  let status = 0;
  for (const file of files) {
    status = Math.max(status, await validateFile(parser, file, strict));
  }
  return status;
}

process.exitCode = await main(process.argv.slice(2));

/**
 * npm run bench:validate — envelope validations per second (envelope + payload schema, on
 * parsed documents) beside plain JSON.parse of the same documents, measured in the same run.
 * The ratio is the figure: above 1 means validating costs less than parsing. Deployment
 * measured: none — the validator library alone, in this process.
 */
import { SchemaRegistry, SignalValidator, findSchemasDir } from '@vigil/signals';
import { median, opsPerSecond, printBench } from './bench-report';
import { realisticEnvelopeJson } from './realistic-envelopes';

const BATCH = 1_000;
const ROUNDS = 5;
const ROUND_MS = 1_000;

function main(): void {
  const validator = new SignalValidator(
    SchemaRegistry.fromDirectory(findSchemasDir(__dirname) as string),
  );
  const json = realisticEnvelopeJson(BATCH);
  const parsed = json.map((text) => JSON.parse(text) as unknown);
  const refused = parsed.filter((doc) => !validator.validate(doc).valid).length;
  if (refused > 0) {
    throw new Error(
      `${refused} of the benchmark envelopes are invalid; fix tools/bench/realistic-envelopes.ts`,
    );
  }
  const bytes = json.reduce((sum, text) => sum + text.length, 0);
  console.log(
    `validate: ${BATCH} envelopes, ${Math.round(bytes / BATCH)} bytes on average, ${ROUNDS} rounds of ${ROUND_MS} ms`,
  );

  const parseRates: number[] = [];
  const validateRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the two so that machine noise hits both alike.
    parseRates.push(opsPerSecond(() => parseAll(json), ROUND_MS));
    validateRates.push(opsPerSecond(() => validateAll(validator, parsed), ROUND_MS));
    console.log(
      `round ${round + 1}: JSON.parse ${Math.round(parseRates[round] ?? 0)}/s, validate ${Math.round(validateRates[round] ?? 0)}/s`,
    );
  }
  printBench({
    name: 'validate',
    value: median(validateRates),
    unit: 'validations/s',
    baseline: median(parseRates),
  });
}

function parseAll(json: readonly string[]): number {
  for (const text of json) {
    JSON.parse(text);
  }
  return json.length;
}

function validateAll(validator: SignalValidator, docs: readonly unknown[]): number {
  for (const doc of docs) {
    validator.validate(doc);
  }
  return docs.length;
}

main();

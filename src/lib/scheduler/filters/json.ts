/**
 * JsonFilter: hosts must satisfy the JSON query in the "query" scheduler hint (grammar in
 * json-query.ts), e.g. [">=", "$free_ram_mb", 1024]. No query, no restriction. Like Nova, it does
 * not look at service state, so a query can decide about disabled hosts itself.
 */
import { hintValue } from '../hints';
import { defineFilter } from './base';
import { compileQuery } from './json-query';

export const JsonFilter = defineFilter({
  name: 'JsonFilter',
  prepare(spec) {
    const query = hintValue(spec, 'query');
    if (query === undefined || query.trim() === '') return null;
    const passes = compileQuery(query);
    return {
      test: (h) => passes(h),
      reason: () => `does not satisfy query ${query}`,
    };
  },
});

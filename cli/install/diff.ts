// `--dry-run` output: one unified diff per file. jsdiff (`diff`) is the well-kept implementation
// (Myers' algorithm, correct hunks and "\ No newline at end of file" markers); hand-writing one
// would be another thing to test.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

export function unifiedDiff(file: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : file,
    after === undefined ? '/dev/null' : file,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3, headerOptions: FILE_HEADERS_ONLY },
  );
}

import { formatReport, parseDays, runDoctor } from '../src/doctor.ts';

/** Prints the prerequisite table; returns 1 when a required tool is missing or has the wrong version. */
export function main(argv: readonly string[], root: string): number {
  let days;
  try {
    days = parseDays(argv);
  } catch (error) {
    console.error(`doctor: ${(error as Error).message}`);
    return 2;
  }
  const report = runDoctor({ days, root, toolsDir: process.env.COURSE_TOOLS_DIR });
  console.log(formatReport(report));
  return report.exitCode;
}

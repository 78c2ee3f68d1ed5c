import path from 'node:path';
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
  // COURSE_TOOLS_DIR and COURSE_DOCTOR_SYSTEM_DIRS (a PATH-style list, empty for none) let tests replace the
  // machine's folders with stand-ins.
  const systemDirs = process.env.COURSE_DOCTOR_SYSTEM_DIRS?.split(path.delimiter).filter(Boolean);
  const report = runDoctor({ days, root, toolsDir: process.env.COURSE_TOOLS_DIR, systemDirs });
  console.log(formatReport(report));
  return report.exitCode;
}

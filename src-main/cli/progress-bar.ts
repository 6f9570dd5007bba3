import { SingleBar, Presets } from 'cli-progress';

/**
 * A command's progress bar on standard error ("Importing [███░░] 40% | 400/1000 places | 2s"),
 * so standard output keeps only the command's result.
 */
export function placesProgressBar(doing: string): SingleBar {
  return new SingleBar(
    {
      format: `${doing} {bar} {percentage}% | {value}/{total} places | {duration}s`,
      stream: process.stderr,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
}

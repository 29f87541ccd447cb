/**
 * The notes of a run kept for its answer: `warnings` (the `--json` output, plan.json, the API's answers) holds every
 * line the run says through `onNote`, in order, and each still reaches the caller's own `onNote` (the CLI's stderr).
 */
export function collectNotes<T extends { readonly onNote?: (line: string) => void }>(options: T): { readonly options: T; readonly warnings: string[] } {
  const warnings: string[] = [];
  const told = options.onNote;
  return {
    options: {
      ...options,
      onNote: (line: string) => {
        warnings.push(line);
        told?.(line);
      },
    },
    warnings,
  };
}

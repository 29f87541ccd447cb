/**
 * Whether `pid` is a live process on this machine other than this one: the holder of a lock or a scratch folder that
 * named it is still at work (EPERM: it runs, as another user). A pid names a process on this machine only.
 *
 * Example: `isOtherLiveProcess(process.pid)` → `false`
 */
export function isOtherLiveProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0); // no signal sent: whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

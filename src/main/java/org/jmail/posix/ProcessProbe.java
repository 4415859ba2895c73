package org.jmail.posix;

/** Whether a process id is in use, the test liblockfile applies to a dotlock's owner pid. */
public final class ProcessProbe {

    private ProcessProbe() {
    }

    /**
     * kill(pid, 0): true when the process exists, including when it belongs to another user
     * (EPERM); false only when there is no such process (ESRCH).
     */
    public static boolean isAlive(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            return false;
        }
        if (LibC.API.kill((int) pid, 0) == 0) {
            return true;
        }
        return LibC.errno() != PosixException.ESRCH;
    }
}

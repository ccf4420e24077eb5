package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and RSS of a process from /proc (Linux). */
public final class ProcStat {
    /** USER_HZ: clock ticks per second of utime/stime in /proc/pid/stat (100 on Linux x86_64). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /** utime+stime of the process in milliseconds, or -1 when it cannot be read. */
    public static long cpuMillis(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS in kB, or -1. */
    public static long rssKb(String pid) {
        return statusField(pid, "VmRSS:");
    }

    public static long statusField(String pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static int openFiles(String pid) {
        String[] fds = Path.of("/proc", pid, "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    public static String self() {
        return Long.toString(ProcessHandle.current().pid());
    }
}

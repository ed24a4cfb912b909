package dev.faultline.core.load;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * How long this JVM's JIT compiler has worked so far, in milliseconds: what {@link LoadGenerator#warmUpUntilCompiled}
 * watches. On Linux, the CPU time of the compiler threads ({@code /proc/self/task}), which grows while they work.
 * Elsewhere, the JVM's own compile time, which grows only as each compilation ends: a C2 compilation of a
 * second or more then looks like an idle compiler until it is done (seen in a fresh jshell: 108 ms in one
 * 500 ms slice, 1278 ms in the next).
 */
final class CompilerCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ, the unit of utime and stime in /proc: 100 on every Linux this runs on (the kernel's ABI). */
    private static final long MILLIS_PER_TICK = 10;

    private CompilerCpu() {}

    /** The best clock this JVM offers, or null when it reports neither. */
    static LongSupplier clock() {
        if (compilerThreadMillis() >= 0) return CompilerCpu::compilerThreadMillis;
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler::getTotalCompilationTime : null;
    }

    /** User and system CPU of the threads named "C1 CompilerThread…"/"C2 CompilerThread…"; -1 when none is found (or no /proc). */
    static long compilerThreadMillis() {
        long ticks = 0;
        boolean found = false;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"));
                    if (!(name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler"))) continue;
                    ticks += cpuTicks(Files.readString(task.resolve("stat")));
                    found = true;
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read (compiler threads come and go)
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return found ? ticks * MILLIS_PER_TICK : -1;
    }

    /** utime + stime of a /proc/PID/task/TID/stat line: fields 14 and 15, counted after the ")" that ends the name. */
    static long cpuTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after[0] is field 3 (state), so field n is after[n - 3]
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }
}

package dev.faultline.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.condition.OS.LINUX;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;

class CompilerCpuTest {

    @Test
    void readsUserAndSystemTicksAfterTheThreadName() {
        // a name with a space and a ")" of its own, as thread names may have; utime 1234, stime 56
        String stat = "4242 (C2 Compiler) x) S 1 4242 4242 0 -1 4194368 10 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";

        assertThat(CompilerCpu.cpuTicks(stat)).isEqualTo(1290);
    }

    @Test
    @EnabledOnOs(LINUX)
    void onLinuxItCountsTheCpuOfThisJvmsCompilerThreads() {
        long before = CompilerCpu.compilerThreadMillis();

        assertThat(before).isNotNegative(); // -1 would mean no "C1/C2 CompilerThread" was found
        assertThat(CompilerCpu.clock().getAsLong()).isGreaterThanOrEqualTo(before);
    }
}

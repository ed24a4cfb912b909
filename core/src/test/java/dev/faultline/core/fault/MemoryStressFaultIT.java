package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Memory stress and OOM charged to a real container's cgroup; what Docker 20.10 records, and the limit restored. */
class MemoryStressFaultIT {

    static final Logger LOG = LoggerFactory.getLogger(MemoryStressFaultIT.class);

    ItStack stack;
    ContainerInfo web;

    @BeforeEach
    void stack() {
        stack = new ItStack("mem");
        web = stack.service("web", "no", ItStack.BASE, "sleep", "infinity");
    }

    @AfterEach
    void cleanUp() {
        stack.close();
    }

    long usageBytes() {
        var r = stack.engine.exec(web.id(), List.of("cat", "/sys/fs/cgroup/memory/memory.usage_in_bytes"), Duration.ofSeconds(10));
        return Long.parseLong(r.stdout().strip());
    }

    @Test
    void oomKillsTheMainProcessAndDockerRecordsIt() {
        stack.engine.updateMemoryLimit(web.id(), 64L << 20);
        assertThat(stack.engine.memoryLimit(web.id())).isEqualTo(64L << 20);
        assertThat(stack.engine.inspect(web.id()).oomKilled()).isFalse();

        long t0 = System.nanoTime();
        Injection oom = MemoryStressFault.oom("web").inject(stack.context);
        try {
            assertThat(oom.mechanism()).contains("allocating 128 MiB (twice the limit)").contains("charged to its memory limit of 64 MiB");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> stack.engine.inspect(web.id()).oomKilled());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ContainerInfo after = stack.engine.inspect(web.id());
            LOG.info("OOMKilled recorded {} ms after injection: state {}, exit code {}", ms, after.state(), after.exitCode());
            assertThat(after.running()).isFalse();
            assertThat(after.exitCode()).isEqualTo(137);
            // the stressor lived in the target's PID namespace: it died with the main process, and its helper ended
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true).isEmpty());
        } finally {
            oom.close();
        }
        // its effect (issue #11): the OOM kill seen by the engine, read before the revert
        Effect killed = oom.effect();
        LOG.info("effect: {}", killed.line());
        assertThat(killed.bit()).as(killed.line()).isTrue();
        assertThat(killed.value("deaths")).contains(1L);
        assertThat(killed.value("exit code")).contains(137L);
        assertThat(killed.summary()).contains("OOM-killed");
        assertThat(stack.engine.memoryLimit(web.id())).isEqualTo(64L << 20);
    }

    @Test
    void stressHoldsMemoryUnderATemporaryLimitThatRevertRemoves() {
        assertThat(stack.engine.memoryLimit(web.id())).isZero();
        long before = usageBytes();
        Injection stress = MemoryStressFault.of("web", 48L << 20, Duration.ofSeconds(60)).withTemporaryLimit(128L << 20)
                .inject(stack.context);
        try {
            assertThat(stress.mechanism()).contains("a temporary memory limit of 128 MiB set through the API");
            assertThat(stack.engine.memoryLimit(web.id())).isEqualTo(128L << 20);
            await().atMost(Duration.ofSeconds(20)).until(() -> usageBytes() >= before + (48L << 20));
            LOG.info("target cgroup usage {} MiB before, {} MiB under a 48 MiB stress", before >> 20, usageBytes() >> 20);
        } finally {
            stress.close();
        }
        assertThat(stack.engine.memoryLimit(web.id())).isZero();
        assertThat(stack.engine.inspect(web.id()).oomKilled()).isFalse();
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> usageBytes() < before + (16L << 20));
    }
}

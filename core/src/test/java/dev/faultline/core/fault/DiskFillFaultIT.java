package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Disk fill of a real container: a small tmpfs filled to a percentage (never the shared host disk), root by bytes. */
class DiskFillFaultIT {

    ItStack stack;
    ContainerInfo db;

    @BeforeEach
    void stack() {
        stack = new ItStack("disk");
        db = stack.service("db", List.of("--tmpfs", "/data:size=64m"), ItStack.BASE, "sleep", "infinity");
    }

    @AfterEach
    void cleanUp() {
        stack.close();
    }

    ExecResult sh(String script) {
        return stack.engine.exec(db.id(), List.of("bash", "-c", script), Duration.ofSeconds(30));
    }

    int percentUsed(String path) {
        String[] f = sh("stat -f -c '%S %b %a' " + path).stdout().strip().split(" ");
        long bs = Long.parseLong(f[0]);
        long total = Long.parseLong(f[1]);
        long avail = Long.parseLong(f[2]);
        return (int) ((total - avail) * 100 / total);
    }

    @Test
    void fillsTheFilesystemSoWritesFailAndRevertFreesIt() {
        assertThat(sh("head -c 8M /dev/zero > /data/probe && rm /data/probe").exitCode()).isZero();
        Injection fill = DiskFillFault.toPercent("db", "/data", 95).inject(stack.context);
        try {
            LoggerFactory.getLogger(DiskFillFaultIT.class).info("{}", fill.mechanism());
            assertThat(fill.mechanism()).startsWith("wrote ").contains("/data/.faultline-fill-");
            assertThat(percentUsed("/data")).isBetween(94, 96);
            var write = sh("head -c 8M /dev/zero > /data/probe");
            assertThat(write.exitCode()).isNotZero();
            assertThat(write.stderr()).contains("No space left on device");
        } finally {
            fill.close();
            sh("rm -f /data/probe");
        }
        assertThat(percentUsed("/data")).isLessThan(5);
        assertThat(sh("ls -A /data").stdout()).doesNotContain(".faultline-fill");
        assertThat(sh("head -c 8M /dev/zero > /data/probe && rm /data/probe").exitCode()).isZero();
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
    }

    @Test
    void writesBytesToTheRootFilesystemAndDeletesThemOnRevert() {
        Injection fill = DiskFillFault.bytes("db", "/tmp", 20L << 20).inject(stack.context);
        try {
            assertThat(sh("stat -c %s /tmp/.faultline-fill-*").stdout().strip()).isEqualTo(Long.toString(20L << 20));
        } finally {
            fill.close();
        }
        assertThat(sh("ls -A /tmp").stdout()).doesNotContain(".faultline-fill");
    }

    @Test
    void refusesToFillWhatMayBeTheHostsDiskBeyondItsAllowance() {
        assertThatThrownBy(() -> DiskFillFault.toPercent("db", "/", 100).inject(stack.context))
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("nothing done")
                .hasMessageContaining("more than the allowed 1073741824 (atMost): this filesystem may be the Docker host's own disk");
        assertThat(sh("ls -A /").stdout()).doesNotContain(".faultline-fill");
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
    }
}

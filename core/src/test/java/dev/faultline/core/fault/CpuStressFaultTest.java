package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuStressFaultTest {

    @Test
    void findsTheCpuControllersPathOnCgroupV1() {
        String v1 = """
                12:cpuset:/docker/abc
                3:cpu,cpuacct:/docker/abc
                1:name=systemd:/docker/abc
                0::/docker/abc
                """;
        assertThat(CpuStressFault.parseCgroupV1(v1)).contains("/docker/abc");
        assertThat(CpuStressFault.parseCgroupV1("2:cpuacct:/docker/x\n1:cpu:/docker/y\n")).contains("/docker/y");
    }

    @Test
    void cgroupV2OrANamespacedRootGivesNothing() {
        assertThat(CpuStressFault.parseCgroupV1("0::/\n")).isEmpty();
        assertThat(CpuStressFault.parseCgroupV1("0::/system.slice/docker-abc.scope\n")).isEmpty();
        assertThat(CpuStressFault.parseCgroupV1("4:cpu,cpuacct:/\n")).isEmpty();
    }
}

package dev.faultline.core.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep script run by bash against a stand-in {@code iptables} that keeps each table as the
 * {@code -S} lines a real one prints (comments in double quotes) and refuses to delete rules
 * marked "stuck". Docker-backed proof is RecoverIT and NetworkLatencyFaultIT.
 */
class NetfilterSweepTest {

    private static final String FAKE_IPTABLES = String.join("\n",
            "#!/bin/bash",
            "while [ \"$1\" = -w ]; do shift 2; done",
            "t=filter; [ \"$1\" = -t ] && { t=$2; shift 2; }",
            "f=\"$FAKE_NF/$t\"; touch \"$f\"",
            "case \"$1\" in",
            "  -S) cat \"$f\";;",
            "  -D) shift; line=-A; prev=",
            "      for a in \"$@\"; do q=$a; [ \"$prev\" = --comment ] && q=\"\\\"$a\\\"\"; line=\"$line $q\"; prev=$a; done",
            "      case \"$line\" in *stuck*) echo \"iptables: refused\" >&2; exit 1;; esac",
            "      grep -qxF -- \"$line\" \"$f\" || { echo \"iptables: no such rule: $line\" >&2; exit 1; }",
            "      grep -vxF -- \"$line\" \"$f\" > \"$f.new\"; mv \"$f.new\" \"$f\";;",
            "esac",
            "");

    @TempDir
    Path dir;
    Path tables;

    @BeforeEach
    void fakeIptables() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        tables = Files.createDirectories(dir.resolve("tables"));
        Path iptables = bin.resolve("iptables");
        Files.writeString(iptables, FAKE_IPTABLES);
        Files.setPosixFilePermissions(iptables, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    void table(String name, String... rules) throws IOException {
        Files.write(tables.resolve(name), List.of(rules));
    }

    List<String> table(String name) throws IOException {
        return Files.readAllLines(tables.resolve(name)).stream().filter(l -> !l.isBlank()).toList();
    }

    record Run(int exit, List<String> lines) {}

    Run sweep(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", NetfilterSweep.script(), "sweep"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_NF", tables.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.lines().toList());
    }

    @Test
    void deletesARunsRulesInEveryTableIncludingRawAndReportsEach() throws Exception {
        table("nat", "-P OUTPUT ACCEPT",
                "-A OUTPUT -p tcp -d 10.0.0.2/32 --dport 5432 -m comment --comment \"faultline:dead:latency-0abc\" -j DNAT --to-destination 10.0.0.1:4000");
        table("filter", "-A OUTPUT -d 10.0.0.3/32 -m comment --comment \"faultline:dead:blackhole-1234\" -j DROP",
                "-A OUTPUT -d 10.0.0.9/32 -j DROP");
        table("raw", "-A PREROUTING -m comment --comment \"faultline:dead:loss-ffff\" -j NOTRACK");

        Run r = sweep(RuleTag.ofRun("dead"), "", "web-1");

        assertThat(r.exit()).as("%s", r.lines()).isZero();
        assertThat(r.lines()).containsExactly(
                "deleted nat rule in web-1: -A OUTPUT -p tcp -d 10.0.0.2/32 --dport 5432 -m comment --comment \"faultline:dead:latency-0abc\" -j DNAT --to-destination 10.0.0.1:4000",
                "deleted filter rule in web-1: -A OUTPUT -d 10.0.0.3/32 -m comment --comment \"faultline:dead:blackhole-1234\" -j DROP",
                "deleted raw rule in web-1: -A PREROUTING -m comment --comment \"faultline:dead:loss-ffff\" -j NOTRACK");
        assertThat(table("nat")).containsExactly("-P OUTPUT ACCEPT");
        assertThat(table("filter")).containsExactly("-A OUTPUT -d 10.0.0.9/32 -j DROP");
        assertThat(table("raw")).isEmpty();
    }

    @Test
    void keepsTheRulesOfLiveRuns() throws Exception {
        table("filter", "-A OUTPUT -d 10.0.0.3/32 -m comment --comment \"faultline:live:blackhole-1234\" -j DROP",
                "-A OUTPUT -d 10.0.0.4/32 -m comment --comment \"faultline:dead:blackhole-5678\" -j DROP");

        Run r = sweep(RuleTag.PREFIX, RuleTag.ofRun("live") + " " + RuleTag.ofRun("other"), "db-1");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).singleElement().asString().startsWith("deleted filter rule in db-1: ").contains("faultline:dead:");
        assertThat(table("filter")).containsExactly("-A OUTPUT -d 10.0.0.3/32 -m comment --comment \"faultline:live:blackhole-1234\" -j DROP");
    }

    @Test
    void nothingToDeleteIsSuccessAndSilent() throws Exception {
        table("nat", "-P OUTPUT ACCEPT");
        Run r = sweep(RuleTag.ofRun("r1"), "", "web-1");
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).isEmpty();
    }

    @Test
    void aRuleThatCannotBeDeletedFailsTheSweepAndIsNamed() throws Exception {
        table("mangle", "-A OUTPUT -m comment --comment \"faultline:r1:stuck-0001\" -j MARK --set-mark 1");
        Run r = sweep(RuleTag.ofRun("r1"), "", "web-1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).contains("failed to delete mangle rule in web-1: -A OUTPUT -m comment --comment \"faultline:r1:stuck-0001\" -j MARK --set-mark 1")
                .anyMatch(l -> l.startsWith("failed: still there in mangle of web-1: "));
    }

    @Test
    void theTrapsCommandCarriesItsArgumentsAndTouchesOnlyItsTag() throws Exception {
        table("filter", "-A OUTPUT -d 10.0.0.3/32 -m comment --comment \"faultline:r1:loss-0001\" -j DROP",
                "-A OUTPUT -d 10.0.0.4/32 -m comment --comment \"faultline:r1:loss-0002\" -j DROP");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", NetfilterSweep.command("faultline:r1:loss-0001", "web-1"))
                .redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_NF", tables.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(table("filter")).containsExactly("-A OUTPUT -d 10.0.0.4/32 -m comment --comment \"faultline:r1:loss-0002\" -j DROP");
    }

    @Test
    void tagsCarryTheRunAndKind() {
        assertThat(RuleTag.ofRun("run 1/x")).isEqualTo("faultline:run-1-x:");
        assertThat(RuleTag.next("r1", "loss")).matches("faultline:r1:loss-[0-9a-f]{4}");
    }
}

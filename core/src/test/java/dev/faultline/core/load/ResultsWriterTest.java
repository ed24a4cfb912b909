package dev.faultline.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.faultline.core.probe.ErrorClass;

class ResultsWriterTest {

    @TempDir
    Path dir;

    private static final List<RequestRecord> RECORDS = List.of(
            new RequestRecord(0, 120, 5_000_000, 200, ErrorClass.NONE, "GET /", null, null, 0),
            new RequestRecord(10_000_000, 10_000_050, 3_000_000, 201, ErrorClass.NONE, "POST /api/orders/", 42L, WriteOutcome.OK, 40),
            new RequestRecord(20_000_000, 20_000_010, 1_000_000_000, 0, ErrorClass.TIMEOUT, "POST /api/orders/", null, WriteOutcome.UNCERTAIN, 0),
            new RequestRecord(30_000_000, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0, ErrorClass.OTHER, "GET /", null, null, 0),
            new RequestRecord(40_000_000, 40_000_000, 2_000_000, 502, ErrorClass.HTTP_502, "GET /", null, null, 0));

    @Test
    void recordsRoundTripThroughJsonLines() throws IOException {
        Path file = dir.resolve("run/results.jsonl");
        try (ResultsWriter writer = ResultsWriter.open(file)) {
            RECORDS.forEach(writer::onRequest);
        }
        assertThat(Files.readAllLines(file)).hasSize(5).first().asString()
                .startsWith("{\"intendedStart\":0,\"actualStart\":120,\"latencyNanos\":5000000,\"status\":200,\"errorClass\":\"NONE\"");
        List<RequestRecord> back = ResultsWriter.read(file);
        assertThat(back).isEqualTo(RECORDS);
        assertThat(back.get(3).dropped()).isTrue();
    }

    @Test
    void aRunCanBeReReportedFromItsFile() {
        Path file = dir.resolve("results.jsonl");
        try (ResultsWriter writer = ResultsWriter.open(file)) {
            RECORDS.forEach(writer::onRequest);
        }
        LoadSummary summary = LoadSummary.of(ResultsWriter.read(file));
        assertThat(summary.requests()).isEqualTo(5);
        assertThat(summary.sent()).isEqualTo(4);
        assertThat(summary.dropped()).isEqualTo(1);
        assertThat(summary.ok()).isEqualTo(2);
        assertThat(summary.errors()).containsEntry(ErrorClass.TIMEOUT, 1L).containsEntry(ErrorClass.HTTP_502, 1L).hasSize(2);
        assertThat(summary.latency().max().toMillis()).isBetween(999L, 1001L);
    }

    @Test
    void aSlowFileDoesNotHoldUpTheThreadThatReportsRequests() throws Exception {
        // the listener runs on the generator's I/O thread: a write there would delay the responses behind it
        CountDownLatch diskFree = new CountDownLatch(1);
        Writer stalledDisk = new StringWriter() { // every way in waits for the disk
            @Override
            public void write(int c) {
                awaitQuietly(diskFree);
                super.write(c);
            }

            @Override
            public void write(char[] chars, int off, int len) {
                awaitQuietly(diskFree);
                super.write(chars, off, len);
            }

            @Override
            public void write(String text) {
                awaitQuietly(diskFree);
                super.write(text);
            }

            @Override
            public void write(String text, int off, int len) {
                awaitQuietly(diskFree);
                super.write(text, off, len);
            }
        };
        ResultsWriter writer = new ResultsWriter(dir.resolve("slow.jsonl"), stalledDisk);
        CompletableFuture<Void> reported = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 10_000; i++) {
                writer.onRequest(new RequestRecord(i, i, 1_000, 200, ErrorClass.NONE, "GET /", null, null, 0));
            }
        });
        // the disk stays stalled until the 10 000 calls are done: a call that waited for it would never return
        // (30 s only bounds how long a broken writer takes to fail this test)
        assertThat(reported).succeedsWithin(Duration.ofSeconds(30));
        assertThat(stalledDisk.toString()).isEmpty();
        diskFree.countDown();
        writer.close();
        List<String> lines = stalledDisk.toString().lines().toList();
        assertThat(lines).hasSize(10_000);
        assertThat(lines.get(9_999)).startsWith("{\"intendedStart\":9999,");
    }

    @Test
    void flushWritesWhatWasQueuedAndRecordsAfterCloseAreIgnored() throws IOException {
        Path file = dir.resolve("flushed.jsonl");
        ResultsWriter writer = ResultsWriter.open(file);
        RECORDS.forEach(writer::onRequest);
        writer.flush();
        assertThat(ResultsWriter.read(file)).isEqualTo(RECORDS);
        writer.close();
        writer.onRequest(RECORDS.get(0));
        writer.flush();
        writer.close();
        assertThat(Files.readAllLines(file)).hasSize(5);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void recordsReachTheFileWithoutFlushOrClose() {
        // a run killed in jshell (Ctrl-C) closes nothing: what was written must already be in the file
        Path file = dir.resolve("live.jsonl");
        ResultsWriter writer = ResultsWriter.open(file);
        RECORDS.forEach(writer::onRequest);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ResultsWriter.read(file)).isEqualTo(RECORDS));
        writer.close();
    }

    @Test
    void aLastLineCutShortIsLeftOutAndTheRecordsBeforeItAreRead() throws IOException {
        Path file = dir.resolve("killed.jsonl");
        try (ResultsWriter writer = ResultsWriter.open(file)) {
            RECORDS.forEach(writer::onRequest);
        }
        Files.writeString(file, "{\"intendedStart\":50000000,\"actualStart\":5", StandardOpenOption.APPEND);
        assertThat(ResultsWriter.read(file)).isEqualTo(RECORDS);
    }

    @Test
    void aLineWrittenBeforeTheSenderLagWasRecordedReadsWithNoLag() throws IOException {
        Path file = dir.resolve("old.jsonl");
        Files.writeString(file, "{\"intendedStart\":0,\"actualStart\":120,\"latencyNanos\":5000000,\"status\":200,"
                + "\"errorClass\":\"NONE\",\"requestName\":\"GET /\",\"writeId\":null,\"writeOutcome\":null}\n");
        assertThat(ResultsWriter.read(file)).containsExactly(
                new RequestRecord(0, 120, 5_000_000, 200, ErrorClass.NONE, "GET /", null, null, 0));
    }

    @Test
    void aBadLineIsNamed() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"intendedStart\":0}\nnot json\n");
        assertThatThrownBy(() -> ResultsWriter.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " line 2 is not a request record");
    }
}

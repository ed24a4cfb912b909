/**
 * A run's folder: {@code journal.json} (everything, versioned by {@code schemaVersion}),
 * {@code results.jsonl}, {@code report.md}, {@code report.html} (self-contained), {@code junit.xml}
 * and the stack's logs for the window; a suite's index. Every report is rendered from the {@link
 * dev.faultline.core.report.Journal} alone, so {@link dev.faultline.core.report.Reports#rerender}
 * can redo it later. Everything written passes through the {@link dev.faultline.core.redact.Redactor}.
 */
package dev.faultline.core.report;

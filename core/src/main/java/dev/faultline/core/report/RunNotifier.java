package dev.faultline.core.report;

import java.util.List;

/**
 * Told about each run once its report folder is written ({@code notify.Notifier} sends it to Slack
 * or a webhook). An interface here, implemented there, so that reports never depend on how a
 * notification travels (and the two packages have no cycle).
 */
public interface RunNotifier {

    /** Notifies nobody. */
    static RunNotifier none() {
        return new RunNotifier() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public List<String> secrets() {
                return List.of();
            }

            @Override
            public List<String> notifyRun(Journal run, String reportLink) {
                return List.of();
            }

            @Override
            public String toString() {
                return "RunNotifier.none()";
            }
        };
    }

    /** Whether {@link #notifyRun} would send anything. */
    boolean enabled();

    /** Values to redact from every report (webhook URLs are secrets). */
    List<String> secrets();

    /** Sends the run's summary; returns warnings (a failed notification is never a failed run), never throws. */
    List<String> notifyRun(Journal run, String reportLink);
}

package dev.faultline.core.netfilter;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place that knows how faultline names its netfilter rules: every rule a fault adds carries
 * the comment {@code faultline:<run id>:<kind>-<4 hex>}, so that the rule can be found again by its
 * exact tag (a fault's own revert), by its run's prefix {@code faultline:<run id>:} (a dead run's
 * recovery) or by {@link #PREFIX} (every run's leftovers). Comments only ever hold
 * {@code [A-Za-z0-9_.:-]}, so they need no quoting in a shell.
 */
public final class RuleTag {

    /** What every faultline rule comment starts with. */
    public static final String PREFIX = "faultline:";

    private RuleTag() {}

    /** The comment prefix of one run's rules: {@code faultline:<run id>:}. */
    public static String ofRun(String runId) {
        return PREFIX + runId.replaceAll("[^A-Za-z0-9_.-]", "-") + ":";
    }

    /** A new tag for one fault of a run: {@code faultline:<run id>:<kind>-<4 hex>}. */
    public static String next(String runId, String kind) {
        return ofRun(runId) + kind + "-" + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1);
    }
}

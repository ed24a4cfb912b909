package dev.faultline.core.observe;

/**
 * What counts as healthy when recovery is measured.
 *
 * @param errorRatioThreshold a bucket with requests is healthy when its error ratio is below this, failing otherwise
 * @param healthyBuckets      consecutive healthy buckets that make a recovery (10 buckets of 100 ms: 1 s)
 * @param slo                 availability objective, e.g. 0.999, for the error budget
 */
public record RecoveryCriteria(double errorRatioThreshold, int healthyBuckets, double slo) {

    public static final RecoveryCriteria DEFAULT = new RecoveryCriteria(0.05, 10, 0.99);

    public RecoveryCriteria {
        if (!(errorRatioThreshold > 0 && errorRatioThreshold <= 1)) {
            throw new IllegalArgumentException("errorRatioThreshold must be in (0, 1], was " + errorRatioThreshold);
        }
        if (healthyBuckets < 1 || healthyBuckets > 100_000) {
            throw new IllegalArgumentException("healthyBuckets must be in [1, 100000], was " + healthyBuckets);
        }
        if (!(slo > 0 && slo < 1)) {
            throw new IllegalArgumentException("slo must be in (0, 1), e.g. 0.999, was " + slo);
        }
    }

    public RecoveryCriteria withErrorRatioThreshold(double threshold) {
        return new RecoveryCriteria(threshold, healthyBuckets, slo);
    }

    public RecoveryCriteria withHealthyBuckets(int count) {
        return new RecoveryCriteria(errorRatioThreshold, count, slo);
    }

    public RecoveryCriteria withSlo(double slo) {
        return new RecoveryCriteria(errorRatioThreshold, healthyBuckets, slo);
    }
}

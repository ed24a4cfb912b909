/**
 * What an experiment saw, on one clock: the {@link dev.faultline.core.observe.Timeline} of requests in
 * 100 ms buckets with fault marks, container events and resource samples. Recovery figures are not
 * computed here: they come from the run's observations, in {@code experiment.Verdicts}.
 */
package dev.faultline.core.observe;

/**
 * What an experiment saw, on one clock: the {@link dev.faultline.core.observe.Timeline} of requests in
 * 100 ms buckets with fault marks, container events and resource samples, and the
 * {@link dev.faultline.core.observe.Recovery} figures computed from it.
 */
package dev.faultline.core.observe;
